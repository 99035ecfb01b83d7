package ring

import (
	"encoding/binary"
	"os"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// EventFD wakes an I/O thread blocked in epoll_wait or io_uring_enter. Wakeups
// are coalesced: Wake writes to the descriptor only on a sleep→wake
// transition, so a busy I/O thread costs its producers one atomic load each.
//
// The I/O thread calls PrepareSleep, re-checks its queues, and then either
// CancelSleep (work found) or blocks in the poller with FD registered for
// reading; when the poller reports FD readable it calls Drain.
type EventFD struct {
	fd       int           // read-only after NewEventFD
	one      [8]byte       // read-only: the native-endian value 1 that Wake writes
	drain    [8]byte       // I/O thread only: Drain's read buffer
	sleeping atomic.Uint32 // 1 while the I/O thread sleeps; set by it, cleared by either side
}

// NewEventFD creates a non-blocking, close-on-exec eventfd with a zero counter.
func NewEventFD() (*EventFD, error) {
	fd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		return nil, os.NewSyscallError("eventfd2", err)
	}
	e := &EventFD{fd: fd}
	binary.NativeEndian.PutUint64(e.one[:], 1)
	return e, nil
}

// FD returns the descriptor to register with the poller for readability.
func (e *EventFD) FD() int { return e.fd }

// PrepareSleep declares the I/O thread asleep. The thread must re-check its
// queues afterwards and call CancelSleep if it finds work.
func (e *EventFD) PrepareSleep() {
	// Store then the caller's queue loads (Dekker with the producer's
	// publish-then-Wake): a producer that published before this store is seen
	// by the re-check, one that published after sees sleeping = 1.
	e.sleeping.Store(1)
}

// CancelSleep withdraws PrepareSleep after the I/O thread found work.
func (e *EventFD) CancelSleep() {
	// If a Wake already flipped the flag, its write leaves the counter
	// non-zero and the next poll returns at once: a spurious wakeup only.
	e.sleeping.Store(0)
}

// Wake wakes the I/O thread if it declared itself asleep. It is safe to call
// from any goroutine, at any rate, and never blocks.
func (e *EventFD) Wake() {
	// Load first so wakes aimed at an awake thread cost no locked
	// instruction; the CAS elects the single caller that writes.
	if e.sleeping.Load() != 1 || !e.sleeping.CompareAndSwap(1, 0) {
		return
	}
	for {
		_, err := unix.Write(e.fd, e.one[:])
		// EAGAIN means the counter is already non-zero, so the thread will
		// wake anyway; EBADF after Close has nobody left to wake.
		if err != unix.EINTR {
			return
		}
	}
}

// Drain resets the counter after the poller reported FD readable and clears
// the sleeping flag. I/O thread only.
func (e *EventFD) Drain() {
	// The thread is awake whatever woke it; a concurrent Wake whose CAS now
	// fails has nothing to do.
	e.sleeping.Store(0)
	for {
		_, err := unix.Read(e.fd, e.drain[:])
		// EAGAIN: the counter was already zero (spurious poll result).
		if err != unix.EINTR {
			return
		}
	}
}

// Close closes the descriptor.
func (e *EventFD) Close() error {
	if err := unix.Close(e.fd); err != nil {
		return os.NewSyscallError("close", err)
	}
	return nil
}
