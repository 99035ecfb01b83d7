package pipe

import (
	"sync/atomic"

	"github.com/zring/zring/mempool"
)

// conflateSlot replaces a pipe's ring under CONFLATE: it holds at most one
// message, the latest, as libzmq's conflating pipe does. The producer (the
// session inbound, the socket outbound) replaces it; the consumer takes it.
// Both sides swap the pointer, so a message has exactly one owner at any
// time.
//
// The sleep protocol mirrors the ring's: trySleep stores asleep and then
// looks again; put stores the message and then loads asleep. With
// sequentially consistent atomics (Dekker) one of them sees the other, so a
// message put while the consumer goes to sleep is either taken or
// signalled.
type conflateSlot struct {
	msg    atomic.Pointer[mempool.Frame]
	asleep atomic.Uint32
}

// put replaces the held message, releasing the one it displaces. It
// reports true when the consumer slept on the slot and must be woken.
func (c *conflateSlot) put(m *mempool.Frame) (wakeReader bool) {
	if old := c.msg.Swap(m); old != nil {
		mempool.ReleaseChain(old) // never taken: displaced by a newer one
	}
	return c.asleep.Load() == 1 && c.asleep.CompareAndSwap(1, 0)
}

// take returns the held message, or nil.
func (c *conflateSlot) take() *mempool.Frame { return c.msg.Swap(nil) }

// trySleep declares the consumer asleep, so the next put reports
// wakeReader, unless a message is there (false: take it).
func (c *conflateSlot) trySleep() bool {
	c.asleep.Store(1)
	if c.msg.Load() != nil {
		c.asleep.Store(0)
		return false
	}
	return true
}

// drain releases the held message; the consumer only.
func (c *conflateSlot) drain() {
	if m := c.msg.Swap(nil); m != nil {
		mempool.ReleaseChain(m)
	}
}

// empty reports whether no message is held.
func (c *conflateSlot) empty() bool { return c.msg.Load() == nil }

// next takes the held message, or returns nil having put the consumer to
// sleep.
func (c *conflateSlot) next() *mempool.Frame {
	for {
		if m := c.take(); m != nil {
			return m
		}
		if c.trySleep() {
			return nil
		}
	}
}
