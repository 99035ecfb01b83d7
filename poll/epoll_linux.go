package poll

import (
	"math"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// Epoll is the edge-triggered epoll backend.
//
// A registration's Token travels in the 8-byte epoll_data of the kernel's
// epoll_event: x/sys exposes it as Fd (slot) and Pad (generation) on every
// architecture, so no Go pointer is ever handed to the kernel.
//
// All fields are owned by the I/O thread; Epoll does no locking.
type Epoll struct {
	// epfd is the epoll file descriptor, or -1 after Close.
	epfd int
	// evs is the kernel-facing buffer Wait reuses; it grows only when a
	// caller passes a longer events slice, so steady-state Wait never
	// allocates.
	evs []unix.EpollEvent
}

var _ Poller = (*Epoll)(nil)

// baseFlags are requested on every registration: edge-triggered reporting,
// and EPOLLRDHUP so a peer's shutdown(SHUT_WR) surfaces as Hangup.
// EPOLLHUP and EPOLLERR are always reported by the kernel.
const baseFlags = unix.EPOLLET | unix.EPOLLRDHUP

// hangupFlags are the kernel conditions reported as Hangup.
const hangupFlags = unix.EPOLLHUP | unix.EPOLLRDHUP | unix.EPOLLERR

// NewEpoll creates an epoll instance (close-on-exec).
func NewEpoll() (*Epoll, error) {
	fd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, os.NewSyscallError("epoll_create1", err)
	}
	return &Epoll{epfd: fd}, nil
}

// Name returns "epoll".
func (p *Epoll) Name() string { return "epoll" }

// Add registers fd edge-triggered under tok for the conditions in ev.
func (p *Epoll) Add(fd int, tok Token, ev Events) error {
	return p.ctl(unix.EPOLL_CTL_ADD, "epoll_ctl add", fd, tok, ev)
}

// Modify replaces fd's token and interest set and re-arms the registration,
// so conditions that already hold are reported by the next Wait.
func (p *Epoll) Modify(fd int, tok Token, ev Events) error {
	return p.ctl(unix.EPOLL_CTL_MOD, "epoll_ctl mod", fd, tok, ev)
}

// Remove drops fd from the interest list. Events the kernel already queued
// for fd may still be returned by the next Wait.
func (p *Epoll) Remove(fd int) error {
	if p.epfd < 0 {
		return ErrClosed
	}
	if err := unix.EpollCtl(p.epfd, unix.EPOLL_CTL_DEL, fd, nil); err != nil {
		return os.NewSyscallError("epoll_ctl del", err)
	}
	return nil
}

func (p *Epoll) ctl(op int, name string, fd int, tok Token, ev Events) error {
	if p.epfd < 0 {
		return ErrClosed
	}
	kev := unix.EpollEvent{
		Events: toEpoll(ev),
		Fd:     int32(tok.Slot()),
		Pad:    int32(tok.Gen()),
	}
	if err := unix.EpollCtl(p.epfd, op, fd, &kev); err != nil {
		return os.NewSyscallError(name, err)
	}
	return nil
}

// Wait blocks in epoll_pwait (via unix.EpollWait, a Syscall6 that releases
// the P) and fills events. timeout < 0 blocks, 0 polls, and a positive
// timeout is rounded up to whole milliseconds; timeouts beyond epoll's
// int32-millisecond range are clamped, so Wait may then return 0 early.
// EINTR yields 0, nil. With an empty events slice the kernel reports EINVAL.
func (p *Epoll) Wait(events []Event, timeout time.Duration) (int, error) {
	if p.epfd < 0 {
		return 0, ErrClosed
	}
	if cap(p.evs) < len(events) {
		p.evs = make([]unix.EpollEvent, len(events))
	}
	evs := p.evs[:len(events)]
	n, err := unix.EpollWait(p.epfd, evs, timeoutMillis(timeout))
	if err != nil {
		if err == unix.EINTR {
			// SIGURG preemption or another signal: the caller loops anyway.
			return 0, nil
		}
		return 0, os.NewSyscallError("epoll_wait", err)
	}
	return copyEvents(events, evs[:n]), nil
}

// copyEvents converts the kernel's reports to Events; len(events) must be
// at least len(evs).
func copyEvents(events []Event, evs []unix.EpollEvent) int {
	for i := range evs {
		events[i] = Event{
			Token:  MakeToken(uint32(evs[i].Fd), uint32(evs[i].Pad)),
			Events: fromEpoll(evs[i].Events),
		}
	}
	return len(evs)
}

// Close closes the epoll fd. Registered fds stay open. A second Close
// returns ErrClosed.
func (p *Epoll) Close() error {
	if p.epfd < 0 {
		return ErrClosed
	}
	fd := p.epfd
	p.epfd = -1
	p.evs = nil
	if err := unix.Close(fd); err != nil {
		return os.NewSyscallError("close", err)
	}
	return nil
}

// timeoutMillis converts a Wait timeout to epoll's millisecond argument.
// Positive timeouts round up, so 100µs becomes 1ms rather than a busy poll.
func timeoutMillis(d time.Duration) int {
	switch {
	case d < 0:
		return -1
	case d == 0:
		return 0
	case d >= math.MaxInt32*time.Millisecond:
		return math.MaxInt32
	}
	return int((d + time.Millisecond - 1) / time.Millisecond)
}

// toEpoll maps an interest set to epoll flags; Hangup needs no request.
func toEpoll(ev Events) uint32 {
	flags := uint32(baseFlags)
	if ev&Readable != 0 {
		flags |= unix.EPOLLIN
	}
	if ev&Writable != 0 {
		flags |= unix.EPOLLOUT
	}
	return flags
}

// fromEpoll maps kernel-reported epoll flags to Events.
func fromEpoll(flags uint32) Events {
	var ev Events
	if flags&unix.EPOLLIN != 0 {
		ev |= Readable
	}
	if flags&unix.EPOLLOUT != 0 {
		ev |= Writable
	}
	if flags&hangupFlags != 0 {
		ev |= Hangup
	}
	return ev
}
