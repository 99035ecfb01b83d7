package poll

import (
	"fmt"
	"os"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/zring/zring/poll/uring"
)

// Uring is the io_uring backend. The I/O thread sleeps in io_uring_enter,
// where completion-based I/O will also be submitted and reaped; readiness
// comes from an epoll interest list nested in the ring.
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
// to wait. An idle one sleeps in the ring on an IORING_OP_EPOLL_WAIT
// (Linux 6.15), whose completion carries the reports: one syscall per
// wakeup, as with epoll_wait. An older kernel gets a multishot poll on the
// epoll descriptor instead, and pays an epoll_wait(0) after each wakeup.
//
// All fields are owned by the I/O thread that created the Uring; the ring
// is created with SINGLE_ISSUER where the kernel has it, so no other thread
// may use it.
type Uring struct {
	ep *Epoll
	r  *uring.Ring
	// armed records that the request on ep's descriptor is in flight.
	armed bool
	// epollWait is set when the kernel has IORING_OP_EPOLL_WAIT; kevs is
	// where that request writes its reports: mmap'd memory, which the
	// garbage collector neither moves nor reuses while the kernel may
	// write it.
	epollWait bool
	kevs      []unix.EpollEvent
	kmem      []byte
}

var _ Poller = (*Uring)(nil)

// epollData is the user data of the request on the epoll descriptor, and
// cancelData that of its cancellation (Close). Neither is a Token an
// engine hands out: slot 2^32-1.
const (
	epollData  = ^uint64(0)
	cancelData = epollData - 1
)

// uringEntries sizes the submission queue.
const uringEntries = 256

// opEpollWait is IORING_OP_EPOLL_WAIT (Linux 6.15).
const opEpollWait = 59

// newRing is uring.New; tests replace it to simulate a refusing kernel.
var newRing = uring.New

// useEpollWait lets tests force the older kernels' path.
var useEpollWait = true

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
	p := &Uring{ep: ep, r: r}
	if useEpollWait && r.Supports(opEpollWait) {
		if err := p.mapReports(); err != nil {
			p.Close()
			return nil, err
		}
	}
	return p, nil
}

// mapReports maps the buffer EPOLL_WAIT writes its reports to.
func (p *Uring) mapReports() error {
	const n = 256
	size := n * int(unsafe.Sizeof(unix.EpollEvent{}))
	mem, err := unix.Mmap(-1, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		return os.NewSyscallError("mmap", err)
	}
	p.kmem, p.epollWait = mem, true
	p.kevs = unsafe.Slice((*unix.EpollEvent)(unsafe.Pointer(&mem[0])), n)
	return nil
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
// or timeout passes. Like Epoll.Wait, an interrupted or timed-out sleep
// returns 0, nil.
func (p *Uring) Wait(events []Event, timeout time.Duration) (int, error) {
	if len(events) == 0 {
		return p.ep.Wait(events, 0) // EINVAL, or ErrClosed
	}
	n := p.reap(events) // a request that completed since the last Wait
	if n == 0 {
		var err error
		if n, err = p.ep.Wait(events, 0); err != nil {
			return 0, err
		}
	}
	if n > 0 || timeout == 0 {
		if p.r.Pending() > 0 {
			_, err := p.r.Submit()
			return n, err
		}
		return n, nil
	}
	if err := p.arm(len(events)); err != nil {
		return 0, err
	}
	if err := p.r.Wait(timeout); err != nil {
		return 0, err
	}
	if n = p.reap(events); n == 0 && !p.epollWait {
		return p.ep.Wait(events, 0) // the poll only said something is ready
	}
	return n, nil
}

// arm queues the request on the epoll descriptor unless one is in flight:
// an EPOLL_WAIT for at most max reports, or a multishot poll.
func (p *Uring) arm(max int) error {
	if p.armed {
		return nil
	}
	sqe := p.r.SQE()
	if sqe == nil {
		if _, err := p.r.Submit(); err != nil {
			return err
		}
		if sqe = p.r.SQE(); sqe == nil {
			return os.NewSyscallError("io_uring submit", unix.EBUSY)
		}
	}
	sqe.Fd, sqe.UserData = int32(p.ep.epfd), epollData
	if p.epollWait {
		sqe.Opcode = opEpollWait
		sqe.Addr = uint64(uintptr(unsafe.Pointer(&p.kevs[0])))
		sqe.Len = uint32(min(max, len(p.kevs)))
	} else {
		sqe.Opcode, sqe.Len, sqe.OpFlags = uring.OpPollAdd, uring.PollAddMulti, unix.POLLIN
	}
	p.armed = true
	return nil
}

// reap consumes the waiting completions and returns how many reports it
// wrote to events. An EPOLL_WAIT's reports are copied out; the multishot
// poll only says to arm again once it ends. A completion whose reports do
// not fit in events stays queued for the next Wait (EPOLL_WAIT is armed
// for at most len(events), so only a caller shrinking its slice sees
// that).
func (p *Uring) reap(events []Event) int {
	n, k, ready := 0, uint32(0), p.r.Ready()
	for ; k < ready; k++ {
		c := p.r.CQE(k)
		if c.UserData != epollData {
			continue
		}
		if p.epollWait {
			got := int(max(c.Res, 0))
			if n+got > len(events) {
				break
			}
			n += copyEvents(events[n:], p.kevs[:got])
		}
		if p.ends(c) {
			p.armed = false // arm again next time
		}
	}
	p.r.Advance(k)
	return n
}

// ends reports whether c ends the request on the epoll descriptor: an
// EPOLL_WAIT ends with its one completion, a multishot poll when the
// kernel drops it (no IORING_CQE_F_MORE, say after a failure).
func (p *Uring) ends(c *uring.CQE) bool {
	return c.UserData == epollData && (p.epollWait || c.Flags&uring.CQEFMore == 0)
}

// Close cancels the request on the epoll descriptor and waits for its end
// (the kernel must be done with the report buffer before it is unmapped),
// then closes the ring and the epoll descriptor. Registered fds stay
// open. A second Close returns ErrClosed.
func (p *Uring) Close() error {
	if err := p.ep.Close(); err != nil {
		return err
	}
	p.cancelArmed()
	err := p.r.Close()
	// A request that somehow outlived the cancellation keeps its buffer:
	// leaking a page beats the kernel writing into reused memory.
	if p.kmem != nil && !p.armed {
		unix.Munmap(p.kmem)
		p.kmem, p.kevs = nil, nil
	}
	return err
}

// cancelArmed cancels the request in flight and reaps until it ends.
func (p *Uring) cancelArmed() {
	if !p.armed {
		return
	}
	if sqe := p.r.SQE(); sqe != nil {
		sqe.Opcode, sqe.Addr, sqe.UserData = uring.OpCancel, epollData, cancelData
	}
	for tries := 0; p.armed && tries < 100; tries++ {
		if p.r.Wait(10*time.Millisecond) != nil {
			return
		}
		n := p.r.Ready()
		for k := range n {
			if p.ends(p.r.CQE(k)) {
				p.armed = false
			}
		}
		p.r.Advance(n)
	}
}
