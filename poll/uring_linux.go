package poll

import (
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/zring/zring/poll/uring"
)

// Uring is the io_uring backend. The I/O thread sleeps in io_uring_enter,
// where completion-based I/O will also be submitted and reaped; readiness
// comes from an epoll interest list nested in the ring: one multishot
// IORING_OP_POLL_ADD on the epoll descriptor wakes the ring when any
// registered fd reports, and epoll_wait(0) then collects the reports.
//
// Why not one multishot poll request per fd: a pending request holds a
// reference to its file, and a process that dies releases its ring's
// requests asynchronously. A listening socket then stayed bound for
// 5–10 ms after SIGKILL, so a restarted server failed to bind (measured
// here; epoll releases it at once, because an epoll interest list holds no
// reference). Nesting epoll keeps epoll's exact semantics (edge-triggered,
// synchronous errors, Remove final) for readiness.
//
// A busy loop finds reports with epoll_wait(0) and never enters the ring
// to wait; an idle one pays one io_uring_enter to sleep and one
// epoll_wait(0) after waking.
//
// All fields are owned by the I/O thread that created the Uring; the ring
// is created with SINGLE_ISSUER where the kernel has it, so no other thread
// may use it.
type Uring struct {
	ep *Epoll
	r  *uring.Ring
	// armed records that the multishot poll on ep's descriptor is in
	// place; the kernel may end it, and Wait then arms a new one.
	armed bool
}

var _ Poller = (*Uring)(nil)

// epollData is the user data of the poll request on the epoll descriptor.
// It is not a Token any engine hands out: slot 2^32-1.
const epollData = ^uint64(0)

// uringEntries sizes the submission queue.
const uringEntries = 256

// newRing is uring.New; tests replace it to simulate a refusing kernel.
var newRing = uring.New

// NewUring creates an io_uring backend. It must be called on the locked OS
// thread that will drive it. It fails with an error wrapping
// uring.ErrUnavailable, naming the cause, when io_uring cannot be used
// here or lacks what zring needs.
func NewUring() (*Uring, error) {
	r, err := newRing(uringEntries)
	if err != nil {
		return nil, err
	}
	if !r.Supports(uring.OpPollAdd) {
		r.Close()
		return nil, fmt.Errorf("%w: kernel lacks IORING_OP_POLL_ADD", uring.ErrUnavailable)
	}
	ep, err := NewEpoll()
	if err != nil {
		r.Close()
		return nil, err
	}
	return &Uring{ep: ep, r: r}, nil
}

// Name returns "uring".
func (p *Uring) Name() string { return "uring" }

// Ring returns the underlying ring, for completion-based I/O on the same
// thread.
func (p *Uring) Ring() *uring.Ring { return p.r }

// Add registers fd edge-triggered under tok, as Epoll.Add.
func (p *Uring) Add(fd int, tok Token, ev Events) error { return p.ep.Add(fd, tok, ev) }

// Modify replaces fd's token and interest set, as Epoll.Modify.
func (p *Uring) Modify(fd int, tok Token, ev Events) error { return p.ep.Modify(fd, tok, ev) }

// Remove drops fd, as Epoll.Remove.
func (p *Uring) Remove(fd int) error { return p.ep.Remove(fd) }

// Wait returns the reports ready now; if there are none and timeout is not
// 0, it submits what is queued and sleeps in the ring until an fd reports
// or timeout passes, then collects. Like Epoll.Wait, an interrupted or
// timed-out sleep returns 0, nil.
func (p *Uring) Wait(events []Event, timeout time.Duration) (int, error) {
	n, err := p.ep.Wait(events, 0)
	if n > 0 || err != nil || timeout == 0 {
		if err != nil {
			return n, err
		}
		if p.r.Pending() > 0 {
			_, err = p.r.Submit()
		}
		// Without DEFER_TASKRUN the kernel posts a completion for every
		// wakeup of the epoll descriptor, also while this loop is too busy
		// to sleep: consume them here, so the queue never fills.
		p.reap()
		return n, err
	}
	if err := p.sleep(timeout); err != nil {
		return 0, err
	}
	return p.ep.Wait(events, 0)
}

// sleep arms the poll on the epoll descriptor if needed and waits in the
// ring.
func (p *Uring) sleep(timeout time.Duration) error {
	if !p.armed {
		sqe := p.r.SQE()
		if sqe == nil {
			if _, err := p.r.Submit(); err != nil {
				return err
			}
			if sqe = p.r.SQE(); sqe == nil {
				return os.NewSyscallError("io_uring submit", unix.EBUSY)
			}
		}
		sqe.Opcode, sqe.Fd, sqe.Len = uring.OpPollAdd, int32(p.ep.epfd), uring.PollAddMulti
		sqe.OpFlags, sqe.UserData = unix.POLLIN, epollData
		p.armed = true
	}
	if err := p.r.Wait(timeout); err != nil {
		return err
	}
	p.reap()
	return nil
}

// reap consumes the waiting completions: for now only the epoll
// descriptor's, whose end means arming again.
func (p *Uring) reap() {
	n := p.r.Ready()
	for k := range n {
		if c := p.r.CQE(k); c.UserData == epollData && c.Flags&uring.CQEFMore == 0 {
			p.armed = false // ended (or failed): arm again next time
		}
	}
	p.r.Advance(n)
}

// Close closes the ring and the epoll descriptor. Registered fds stay
// open. A second Close returns ErrClosed.
func (p *Uring) Close() error {
	if err := p.ep.Close(); err != nil {
		return err
	}
	return p.r.Close()
}
