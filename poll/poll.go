package poll

// This file states the contract every backend implements, in the manner of
// runtime/netpoll.go. Backends live in files named <backend>_<goos>.go.
//
//	New() (Poller, error)
//		Creates the best backend for this kernel (epoll for now).
//
//	Poller.Add(fd, tok, ev) / Modify(fd, tok, ev) / Remove(fd)
//		Register, change or drop interest in fd. Registration is
//		edge-triggered: a condition is reported once per transition, so the
//		owner must drain fd (read or write until EAGAIN) before it can expect
//		another report. Readable and Writable select the conditions asked
//		for; Hangup is always reported and need not be requested. Modify
//		re-arms the registration, so conditions that already hold are
//		reported again by the next Wait.
//
//	Poller.Wait(events, timeout)
//		Fills events with at most len(events) reports and returns how many.
//		timeout < 0 blocks, 0 polls, > 0 waits at least that long, rounded
//		up to the backend's granularity (never down to a busy poll).
//		EINTR is not an error: Wait returns 0, nil, because the runtime's
//		SIGURG preemption interrupts waits routinely. Wait must not allocate
//		in steady state, and a blocking wait must enter the kernel through
//		syscall.Syscall-style entry points (which release the P), never
//		RawSyscall (which would hold the P and stall stop-the-world).
//
//	Poller.Close()
//		Releases the kernel object. Further calls return ErrClosed.
//
// Threading: one Poller is driven by exactly one OS thread, the I/O thread.
// Add, Modify, Remove, Wait and Close may be called only from that thread;
// nothing in a Poller is synchronised. Other threads wake the I/O thread
// through an eventfd registered like any other fd (engine.md §5).
//
// Stale events: the kernel may report an event that was queued before the
// owner removed fd and reused its slot. The Token's generation lets the owner
// recognise such events and drop them; the Poller itself never interprets
// tokens.

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Events is a bit set of readiness conditions.
type Events uint32

// Readiness conditions. Hangup covers EPOLLHUP, EPOLLRDHUP and EPOLLERR: the
// peer closed its end or the fd has a pending error. A Hangup may arrive
// without Readable; the owner learns the cause by reading or writing fd.
const (
	// Readable means a read will not block (data, EOF or an error).
	Readable Events = 1 << iota
	// Writable means a write will not block.
	Writable
	// Hangup means the peer closed (fully or its write side) or fd has an error.
	Hangup
)

// String returns the set as "Readable|Writable|Hangup", or "0" when empty.
func (e Events) String() string {
	if e == 0 {
		return "0"
	}
	names := [...]string{"Readable", "Writable", "Hangup"}
	parts := make([]string, 0, len(names)+1)
	for i, name := range names {
		if e&(1<<i) != 0 {
			parts = append(parts, name)
		}
	}
	if rest := e &^ (Readable | Writable | Hangup); rest != 0 {
		parts = append(parts, fmt.Sprintf("%#x", uint32(rest)))
	}
	return strings.Join(parts, "|")
}

// Token identifies a registration: a slot index plus a generation, so events
// for a closed and reused slot are recognised as stale and dropped by the
// owner.
//
// Layout: bits 0–31 hold the slot, bits 32–63 the generation.
type Token uint64

// MakeToken packs slot and gen into a Token.
func MakeToken(slot, gen uint32) Token {
	return Token(uint64(gen)<<32 | uint64(slot))
}

// Slot returns the slot index packed into t.
func (t Token) Slot() uint32 { return uint32(t) }

// Gen returns the generation packed into t.
func (t Token) Gen() uint32 { return uint32(t >> 32) }

// Event is one readiness report.
type Event struct {
	// Token is the value given to Add or the latest Modify for the fd.
	Token Token
	// Events is the set of conditions that became true.
	Events Events
}

// Poller is the contract every backend (epoll now, io_uring later)
// implements. One Poller is driven by exactly one OS thread (the I/O thread);
// Add/Modify/Remove may be called only from that thread too.
type Poller interface {
	// Add registers fd edge-triggered (EPOLLET) under tok. Readable and
	// Writable select EPOLLIN and EPOLLOUT; EPOLLRDHUP is always requested.
	Add(fd int, tok Token, ev Events) error
	// Modify replaces the token and interest set of a registered fd and
	// re-arms it: conditions that already hold are reported again.
	Modify(fd int, tok Token, ev Events) error
	// Remove drops fd. Events already queued for it may still be returned
	// by the next Wait; the token generation makes them recognisable.
	Remove(fd int) error
	// Wait fills events and returns how many. timeout < 0 blocks, 0 polls.
	// EINTR returns 0, nil (the runtime's SIGURG preemption interrupts
	// waits). Blocking waits must use a Syscall that lets the Go scheduler
	// run other goroutines (unix.EpollWait does: Syscall6), never
	// RawSyscall.
	Wait(events []Event, timeout time.Duration) (int, error)
	// Close releases the poller. Registered fds are not closed.
	Close() error
	// Name returns the backend name, such as "epoll".
	Name() string
}

// ErrClosed is returned by every method of a Poller after Close.
var ErrClosed = errors.New("poll: poller closed")

// ErrUnsupported is returned when no backend exists for this platform. It
// matches errors.ErrUnsupported under errors.Is.
var ErrUnsupported = fmt.Errorf("poll: no backend for this platform: %w", errors.ErrUnsupported)

// Kind names a backend, or the automatic choice between them.
type Kind string

// Backend kinds.
const (
	// KindAuto uses io_uring when this process can, and epoll otherwise.
	KindAuto Kind = "auto"
	// KindEpoll is edge-triggered epoll.
	KindEpoll Kind = "epoll"
	// KindUring is io_uring with multishot poll requests (Linux 5.13+).
	KindUring Kind = "uring"
)

// ErrUnknownKind reports a backend name ParseKind does not know.
var ErrUnknownKind = errors.New("poll: unknown poller (want auto, epoll or uring)")

// ParseKind parses "auto", "epoll" or "uring"; "" means auto.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(strings.ToLower(strings.TrimSpace(s))); k {
	case "", KindAuto:
		return KindAuto, nil
	case KindEpoll, KindUring:
		return k, nil
	}
	return "", fmt.Errorf("%w: %q", ErrUnknownKind, s)
}

// New opens the automatic choice of backend; see Open.
func New() (Poller, error) {
	p, _, err := Open(KindAuto)
	return p, err
}

// Open creates a backend of kind k. It must be called on the locked OS
// thread that will drive the Poller (io_uring rings belong to their
// creating thread). With KindAuto it tries io_uring first and falls back
// to epoll; fallback then says why io_uring was not used (nil if it was).
// Forcing KindUring where io_uring cannot work returns an error naming the
// cause.
func Open(k Kind) (p Poller, fallback error, err error) {
	switch k {
	case KindEpoll:
		p, err = NewEpoll()
	case KindUring:
		p, err = NewUring()
	case KindAuto, "":
		if p, fallback = NewUring(); fallback != nil {
			p, err = NewEpoll()
		}
	default:
		err = fmt.Errorf("%w: %q", ErrUnknownKind, string(k))
	}
	if err != nil {
		return nil, fallback, err
	}
	return p, fallback, nil
}
