package poll

import (
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/zring/zring/poll/uring"
)

// Uring is the io_uring backend of the readiness contract: each
// registration is one multishot IORING_OP_POLL_ADD whose user data is the
// registration's Token, so a report costs no syscall of its own and a loop
// pass submits all its registrations and reaps all its reports in one
// io_uring_enter.
//
// Multishot poll reports every wakeup of the fd, as edge-triggered epoll
// does. A multishot request can end (the kernel posts a completion without
// IORING_CQE_F_MORE); Wait then reports the event and re-arms the
// registration. Remove submits at once, because the request holds a
// reference to the file: until it is cancelled, closing fd would not close
// the socket.
//
// All fields are owned by the I/O thread that created the Uring; the ring is
// created with SINGLE_ISSUER where the kernel has it, so no other thread may
// use it.
type Uring struct {
	r *uring.Ring
	// regs maps a registered fd to its request; touched only by Add,
	// Modify, Remove and the rare re-arm, never per report.
	regs map[int]uringReg
	// byTok maps a live request's token back to its fd, to re-arm it.
	byTok map[Token]int
}

// uringReg is one registration's request.
type uringReg struct {
	tok  Token
	mask uint32
}

var _ Poller = (*Uring)(nil)

// ignoredData tags requests whose completions Wait skips (poll removals).
// It is not a Token any engine hands out: slot 2^32-1.
const ignoredData = ^uint64(0)

// uringEntries sizes the submission queue: one loop pass rarely arms more
// registrations than this, and a fuller queue is submitted early.
const uringEntries = 256

// newRing is uring.New; tests replace it to simulate a refusing kernel.
var newRing = uring.New

// NewUring creates an io_uring backend. It must be called on the locked OS
// thread that will drive it. It fails with an error wrapping
// uring.ErrUnavailable, naming the cause, when io_uring cannot be used
// here or lacks multishot poll (Linux 5.13).
func NewUring() (*Uring, error) {
	r, err := newRing(uringEntries)
	if err != nil {
		return nil, err
	}
	if !r.Supports(uring.OpPollAdd) || !r.Supports(uring.OpPollRemove) {
		r.Close()
		return nil, unsupportedOp("POLL_ADD")
	}
	return &Uring{r: r, regs: make(map[int]uringReg), byTok: make(map[Token]int)}, nil
}

// Name returns "uring".
func (p *Uring) Name() string { return "uring" }

// Ring returns the underlying ring, for completion-based I/O on the same
// thread.
func (p *Uring) Ring() *uring.Ring { return p.r }

// Add registers fd under tok. The request is submitted with the loop's next
// Wait; a bad fd is refused at once.
func (p *Uring) Add(fd int, tok Token, ev Events) error {
	if p.r.FD() < 0 {
		return ErrClosed
	}
	if _, ok := p.regs[fd]; ok {
		return os.NewSyscallError("io_uring poll add", unix.EEXIST)
	}
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err != nil {
		return os.NewSyscallError("io_uring poll add", err)
	}
	reg := uringReg{tok: tok, mask: toPoll(ev)}
	if err := p.arm(fd, reg); err != nil {
		return err
	}
	p.regs[fd] = reg
	p.byTok[tok] = fd
	return nil
}

// Modify replaces fd's token and interest set: the old request is removed
// and a new one armed, which reports the conditions that already hold.
func (p *Uring) Modify(fd int, tok Token, ev Events) error {
	if err := p.Remove(fd); err != nil {
		return err
	}
	return p.Add(fd, tok, ev)
}

// Remove cancels fd's request and submits the cancellation at once. Reports
// already queued for it may still come from the next Wait.
func (p *Uring) Remove(fd int) error {
	if p.r.FD() < 0 {
		return ErrClosed
	}
	reg, ok := p.regs[fd]
	if !ok {
		return os.NewSyscallError("io_uring poll remove", unix.ENOENT)
	}
	delete(p.regs, fd)
	delete(p.byTok, reg.tok)
	sqe, err := p.sqe()
	if err != nil {
		return err
	}
	sqe.Opcode, sqe.Addr, sqe.UserData = uring.OpPollRemove, uint64(reg.tok), ignoredData
	_, err = p.r.Submit()
	return err
}

// arm queues a multishot poll request for fd.
func (p *Uring) arm(fd int, reg uringReg) error {
	sqe, err := p.sqe()
	if err != nil {
		return err
	}
	sqe.Opcode, sqe.Fd, sqe.Len = uring.OpPollAdd, int32(fd), uring.PollAddMulti
	sqe.OpFlags, sqe.UserData = reg.mask, uint64(reg.tok)
	return nil
}

// sqe returns a free submission slot, submitting the queue first if it is
// full.
func (p *Uring) sqe() (*uring.SQE, error) {
	if sqe := p.r.SQE(); sqe != nil {
		return sqe, nil
	}
	if _, err := p.r.Submit(); err != nil {
		return nil, err
	}
	if sqe := p.r.SQE(); sqe != nil {
		return sqe, nil
	}
	return nil, os.NewSyscallError("io_uring submit", unix.EBUSY)
}

// Wait submits what the loop queued, waits as the contract says, and fills
// events from the completions. A completion that ends a request which is
// still registered re-arms it; completions of removed requests are
// dropped. With more completions than len(events), the rest stay in the
// ring for the next Wait.
func (p *Uring) Wait(events []Event, timeout time.Duration) (int, error) {
	if p.r.FD() < 0 {
		return 0, ErrClosed
	}
	if len(events) == 0 {
		return 0, os.NewSyscallError("io_uring wait", unix.EINVAL)
	}
	if err := p.r.Wait(timeout); err != nil {
		return 0, err
	}
	n, k, ready := 0, uint32(0), p.r.Ready()
	for ; k < ready && n < len(events); k++ {
		if ev, ok := p.report(p.r.CQE(k)); ok {
			events[n] = ev
			n++
		}
	}
	p.r.Advance(k)
	return n, nil
}

// report turns one completion into an event, re-arming an ended request.
func (p *Uring) report(c *uring.CQE) (Event, bool) {
	if c.UserData == ignoredData {
		return Event{}, false
	}
	tok := Token(c.UserData)
	if c.Flags&uring.CQEFMore == 0 {
		fd, live := p.byTok[tok]
		if !live {
			return Event{}, false // the end of a removed request
		}
		if c.Res >= 0 {
			// Best effort: a full queue is submitted first, and a failure
			// shows as a Hangup the next time round.
			_ = p.arm(fd, p.regs[fd])
		}
	}
	if c.Res < 0 {
		// The request failed (say the fd was closed under it): report
		// everything, so the owner's read or write finds the error.
		return Event{Token: tok, Events: Readable | Writable | Hangup}, true
	}
	return Event{Token: tok, Events: fromEpoll(uint32(c.Res))}, true
}

// Close closes the ring; the kernel cancels every request. Registered fds
// stay open. A second Close returns ErrClosed.
func (p *Uring) Close() error {
	if p.r.FD() < 0 {
		return ErrClosed
	}
	clear(p.regs)
	clear(p.byTok)
	return p.r.Close()
}

// toPoll maps an interest set to poll(2) flags; as with epoll, a peer's
// shutdown (POLLRDHUP), POLLHUP and POLLERR are always reported.
func toPoll(ev Events) uint32 {
	return toEpoll(ev) &^ unix.EPOLLET
}

// unsupportedOp reports a kernel whose io_uring lacks an opcode zring needs.
func unsupportedOp(name string) error {
	return fmt.Errorf("%w: kernel lacks IORING_OP_%s", uring.ErrUnavailable, name)
}
