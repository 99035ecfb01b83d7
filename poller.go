package zring

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/zring/zring/ring"
)

// PollEvents is a set of readiness conditions, numbered as libzmq's
// ZMQ_POLLIN and ZMQ_POLLOUT.
type PollEvents uint8

// Readiness conditions.
const (
	PollIn  PollEvents = 1 // a message can be received (an fd is readable)
	PollOut PollEvents = 2 // a message can be sent (an fd is writable)
)

// PollItem is one socket, file or file descriptor a Poller watches: a
// Socket, else a Conn (any syscall.Conn: *os.File, *net.TCPConn, ...),
// else FD.
type PollItem struct {
	Socket *Socket
	// Conn is watched through its descriptor, which must stay open while
	// the Poller watches it; the Poller keeps Conn reachable.
	Conn   syscall.Conn
	FD     int
	Events PollEvents // what to wait for
}

// Polled is an item found ready: its Index among the Poller's items (in
// the order added, closing up after Remove), what it is, and the
// conditions that hold.
type Polled struct {
	Index  int
	Socket *Socket      // the item's Socket, or nil
	Conn   syscall.Conn // the item's Conn, or nil
	FD     int          // the item's descriptor when Socket is nil
	Events PollEvents
}

// Poller waits until any of several sockets or file descriptors is ready
// (zmq_poll). Waiting costs no goroutine per socket and no busy loop: the
// calling goroutine blocks in poll(2) on the descriptors and on an eventfd
// that the watched sockets signal whenever an I/O thread tells them
// something (a message arrived, room freed, a peer came or went).
//
// A Poller is used by one goroutine at a time; Close releases it.
type Poller struct {
	items []PollItem
	wake  *ring.EventFD
	set   pollSet  // scratch: wake first, then the items' fds
	ready []Polled // scratch for results
	// closed is set by Close: the eventfd's number may since belong to
	// another file, so nothing may use or close it again.
	closed bool
}

// NewPoller returns a Poller watching items.
func NewPoller(items ...PollItem) (*Poller, error) {
	e, err := ring.NewEventFD()
	if err != nil {
		return nil, stepErr("new poller", err)
	}
	p := &Poller{wake: e}
	for _, it := range items {
		if err := p.Add(it); err != nil {
			p.Close()
			return nil, err
		}
	}
	return p, nil
}

// usable reports why p cannot be used: nil (ErrInvalid) or closed
// (ErrClosed).
func (p *Poller) usable() error {
	switch {
	case p == nil:
		return fmt.Errorf("%w: nil *Poller", ErrInvalid)
	case p.closed:
		return fmt.Errorf("%w: Poller closed", ErrClosed)
	}
	return nil
}

// Add watches one more item; its index is the number of items before it.
// After Close it is ErrClosed.
func (p *Poller) Add(it PollItem) error {
	if err := p.usable(); err != nil {
		return err
	}
	if it.Socket == nil && it.Conn != nil {
		fd, err := connFD(it.Conn)
		if err != nil {
			return err
		}
		it.FD = fd
	}
	if it.Socket == nil && it.FD < 0 {
		return fmt.Errorf("%w: PollItem with neither a Socket, a Conn nor an FD", ErrInvalid)
	}
	if it.Socket != nil {
		it.Socket.watch(p.wake)
	}
	p.items = append(p.items, it)
	return nil
}

// connFD is the descriptor behind c.
func connFD(c syscall.Conn) (int, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return -1, fmt.Errorf("%w: PollItem Conn: %w", ErrInvalid, err)
	}
	fd := -1
	if err := rc.Control(func(f uintptr) { fd = int(f) }); err != nil {
		return -1, fmt.Errorf("%w: PollItem Conn: %w", ErrInvalid, err)
	}
	return fd, nil
}

// Remove stops watching s; the items after it move up one index. A socket
// the Poller does not watch is ErrInvalid.
func (p *Poller) Remove(s *Socket) error {
	return p.remove(func(it *PollItem) bool { return s != nil && it.Socket == s })
}

// RemoveFD stops watching the item (FD or Conn) on descriptor fd, as
// Polled.FD names it.
func (p *Poller) RemoveFD(fd int) error {
	return p.remove(func(it *PollItem) bool { return it.Socket == nil && it.FD == fd })
}

func (p *Poller) remove(match func(*PollItem) bool) error {
	if err := p.usable(); err != nil {
		return err
	}
	for i := range p.items {
		if match(&p.items[i]) {
			if s := p.items[i].Socket; s != nil {
				s.unwatch(p.wake)
			}
			p.items = append(p.items[:i], p.items[i+1:]...)
			return nil
		}
	}
	return fmt.Errorf("%w: not watched by this Poller", ErrInvalid)
}

// SetEvents changes what item i (in the order Add kept) waits for. Events
// 0 keeps the item but parks it: Wait reports nothing for it (but a
// descriptor's error or hang-up) until a later SetEvents asks again, as
// zmq_poller_modify with no events.
func (p *Poller) SetEvents(i int, events PollEvents) error {
	if err := p.usable(); err != nil {
		return err
	}
	if i < 0 || i >= len(p.items) {
		return ErrInvalid
	}
	p.items[i].Events = events
	return nil
}

// Close stops watching and releases the Poller's descriptor. Closing
// again does nothing; Wait, Add and SetEvents after Close are ErrClosed.
func (p *Poller) Close() error {
	if p == nil || p.closed {
		return nil
	}
	p.closed = true
	for _, it := range p.items {
		if it.Socket != nil {
			it.Socket.unwatch(p.wake)
		}
	}
	p.items = nil
	return p.wake.Close()
}

// Wait blocks until an item is ready or timeout passes (negative: no
// limit; zero: just check) and returns the ready items, in order. The slice
// is reused by the next Wait. No item ready at the timeout is not an error.
func (p *Poller) Wait(timeout time.Duration) ([]Polled, error) {
	return p.WaitContext(context.Background(), timeout)
}

// WaitContext is Wait that also returns when ctx ends, with ctx's error. A
// ctx already done returns its error at once, without polling, as every
// ...Context method does; a nil ctx is ErrInvalid.
func (p *Poller) WaitContext(ctx context.Context, timeout time.Duration) ([]Polled, error) {
	if err := p.usable(); err != nil {
		return nil, err
	}
	if ctx == nil {
		return nil, errNilContext
	}
	var deadline time.Time
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	if ctx.Done() != nil {
		stop := context.AfterFunc(ctx, p.wake.Wake)
		defer stop()
	}
	for {
		// Declare sleep before checking, so a signal from a socket in
		// between makes the eventfd readable (EventFD's protocol).
		p.wake.PrepareSleep()
		if err := ctx.Err(); err != nil {
			p.wake.CancelSleep()
			return nil, err
		}
		ready, err := p.check()
		if err != nil || len(ready) > 0 || timeout == 0 {
			p.wake.CancelSleep()
			return ready, err
		}
		ms := -1
		if !deadline.IsZero() {
			left := time.Until(deadline)
			if left <= 0 {
				p.wake.CancelSleep()
				return nil, nil
			}
			ms = int((left + time.Millisecond - 1) / time.Millisecond)
		}
		if err := p.block(ms); err != nil {
			return nil, err
		}
	}
}

// check collects the items ready now; fds are polled without blocking.
func (p *Poller) check() ([]Polled, error) {
	p.ready = p.ready[:0]
	for i, it := range p.items {
		var got PollEvents
		if it.Socket != nil {
			var err error
			if got, err = it.Socket.events(); err != nil {
				return nil, err
			}
		}
		if got &= it.Events; got != 0 {
			p.ready = append(p.ready, Polled{Index: i, Socket: it.Socket, Events: got})
		}
	}
	if err := p.pollFDs(0); err != nil {
		return nil, err
	}
	for j := 1; j < p.set.len(); j++ {
		if got := p.set.revents(j); got != 0 {
			i := p.fdIndex(j)
			p.ready = append(p.ready, Polled{Index: i, Conn: p.items[i].Conn, FD: p.items[i].FD, Events: got})
		}
	}
	return p.ready, nil
}

// block waits in poll(2) for the wake eventfd or any fd, up to ms.
func (p *Poller) block(ms int) error {
	if err := p.pollFDs(ms); err != nil {
		p.wake.CancelSleep() // awake: sockets need not write the eventfd
		return err
	}
	if p.set.revents(0) != 0 {
		p.wake.Drain()
	} else {
		p.wake.CancelSleep()
	}
	return nil
}

// pollFDs builds the poll set (the wake eventfd, then each fd item) and
// polls it for ms milliseconds (0: no wait, -1: forever).
func (p *Poller) pollFDs(ms int) error {
	p.set.reset(p.wake.FD())
	for _, it := range p.items {
		if it.Socket == nil {
			p.set.add(it.FD, it.Events)
		}
	}
	if ms == 0 && p.set.len() == 1 {
		return nil
	}
	return p.set.poll(ms)
}

// fdIndex maps position j of the poll set back to its item index.
func (p *Poller) fdIndex(j int) int {
	for i, it := range p.items {
		if it.Socket == nil {
			if j--; j == 0 {
				return i
			}
		}
	}
	return -1
}

// watchers are the pollers a socket signals when an I/O thread posts to
// it: a copy-on-write list, so posting (on I/O threads) takes no lock.
type watchers struct {
	mu sync.Mutex // serialises writers
	// list is stored by watch and unwatch, under mu, on the goroutine
	// using a Poller (Add, Close): each builds a new slice and stores a
	// pointer to it, and a stored slice is never written again. It is
	// loaded by wakeWatchers on whichever goroutine posts the socket a
	// command (an I/O thread, an inproc peer). The load must see the
	// slice's elements: the store publishes them, since a load that
	// observes a store is synchronized after it. It must also not miss a
	// poller that went to sleep after watching: watch stores list before
	// the poller's Wait loads the socket's mailbox count (in events), and
	// post adds to that count before it loads list; with sequentially
	// consistent atomics either the poller's check sees the command or
	// the post sees the new list and wakes the poller (Dekker, as the
	// eventfd's own sleep flag). A post that loaded the list just before
	// unwatch may still wake the departing poller: a spurious wakeup, or
	// nothing once its eventfd is no longer asleep.
	list atomic.Pointer[[]*ring.EventFD]
}

func (s *Socket) watch(e *ring.EventFD) {
	w := &s.watchers
	w.mu.Lock()
	defer w.mu.Unlock()
	var next []*ring.EventFD
	if cur := w.list.Load(); cur != nil {
		next = append(next, *cur...)
	}
	next = append(next, e)
	w.list.Store(&next)
}

func (s *Socket) unwatch(e *ring.EventFD) {
	w := &s.watchers
	w.mu.Lock()
	defer w.mu.Unlock()
	cur := w.list.Load()
	if cur == nil {
		return
	}
	// One entry per watch: a Poller holding the socket twice (say, one
	// item for PollIn, one for PollOut) still watches it after one Remove.
	var next []*ring.EventFD
	removed := false
	for _, x := range *cur {
		if x == e && !removed {
			removed = true
			continue
		}
		next = append(next, x)
	}
	w.list.Store(&next)
}

// wakeWatchers signals every poller watching the socket.
func (s *Socket) wakeWatchers() {
	if l := s.watchers.list.Load(); l != nil {
		for _, e := range *l {
			e.Wake()
		}
	}
}

// events returns the socket's current readiness (ZMQ_EVENTS): PollIn when
// a message is waiting (it is taken from the pattern, as libzmq
// prefetches), PollOut when a send would not wait.
func (s *Socket) events() (PollEvents, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closeErr != nil {
		return 0, s.closeErr
	}
	s.processCommands()
	var e PollEvents
	if ok, err := s.loadMsg(); ok && err == nil {
		e |= PollIn
	}
	if s.outHead != nil || s.pat.CanSend() {
		e |= PollOut
	}
	return e, nil
}

// Events reports whether the socket can receive (PollIn) or send (PollOut)
// without waiting now (ZMQ_EVENTS).
func (s *Socket) Events() (PollEvents, error) { return s.events() }
