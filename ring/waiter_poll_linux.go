package ring

import (
	"encoding/binary"
	"errors"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// pollWake is a Waiter's wakeup through Go's runtime netpoller: a
// non-blocking eventfd wrapped in an *os.File. The waiting goroutine parks
// in the netpoller on it; Wake writes it. Unlike a channel send, the write
// readies no goroutine on the waker's P, which matters when the waker is an
// OS-thread-locked I/O thread about to block in epoll_wait: the readied
// goroutine would sit in that P's runnext until another thread, woken by
// futex, backs off (usleep(3), tens of µs with timer slack) and steals it.
// Here the kernel wakes the thread parked in the netpoller directly.
type pollWake struct {
	f     *os.File        // closed by close (Waiter.Close)
	raw   syscall.RawConn // f's, kept to avoid an allocation per Wait
	one   [8]byte         // read-only: native-endian 1
	buf   [8]byte         // waiting goroutine only: read buffer
	read  func(fd uintptr) bool
	write func(fd uintptr) bool
	dlSet bool // waiting goroutine only: f has a read deadline
}

// newPollWake returns nil when the eventfd cannot be made or registered; the
// Waiter then uses its channel only.
func newPollWake() *pollWake {
	fd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		return nil
	}
	// A non-blocking descriptor is registered with the netpoller.
	f := os.NewFile(uintptr(fd), "ring-waiter")
	raw, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil
	}
	p := &pollWake{f: f, raw: raw}
	binary.NativeEndian.PutUint64(p.one[:], 1)
	p.read, p.write = p.tryRead, p.tryWrite
	return p
}

// tryRead consumes the counter; false (EAGAIN) parks in the netpoller.
func (p *pollWake) tryRead(fd uintptr) bool {
	for {
		_, err := unix.Read(int(fd), p.buf[:])
		if err != unix.EINTR {
			return err != unix.EAGAIN
		}
	}
}

// signal makes the eventfd readable. Any goroutine. It goes through the
// RawConn, which holds a reference on the descriptor for the write: after
// close it does nothing, and it can never write to a reused descriptor
// number.
func (p *pollWake) signal() {
	_ = p.raw.Write(p.write)
}

// tryWrite adds 1 to the counter. EAGAIN means the counter is saturated,
// so it is readable anyway: done either way.
func (p *pollWake) tryWrite(fd uintptr) bool {
	for {
		if _, err := unix.Write(int(fd), p.one[:]); err != unix.EINTR {
			return true
		}
	}
}

// close closes the eventfd; a goroutine parked in wait returns.
func (p *pollWake) close() { p.f.Close() }

// wait parks until signal or the deadline (zero: none).
func (p *pollWake) wait(deadline time.Time) error {
	if !deadline.IsZero() || p.dlSet {
		// Deadlines are rare on the hot path; clearing one costs a call
		// only after a Wait that set it.
		p.f.SetReadDeadline(deadline)
		p.dlSet = !deadline.IsZero()
	}
	err := p.raw.Read(p.read)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return ErrTimeout
	}
	return err
}
