package socket

import (
	"sync/atomic"

	"github.com/zring/zring/mempool"
)

// conflateSlot is a pipe's inbound queue under CONFLATE: it holds at most
// one message, the latest, as libzmq's conflating pipe does. The session
// replaces it; the socket takes it. Both sides swap the pointer, so a
// message has exactly one owner at any time.
//
// The sleep protocol mirrors the ring's: take stores asleep and then looks
// again; put stores the message and then loads asleep. With sequentially
// consistent atomics (Dekker) one of them sees the other, so a message put
// while the socket goes to sleep is either taken or signalled.
type conflateSlot struct {
	msg    atomic.Pointer[mempool.Frame]
	asleep atomic.Uint32
}

// put replaces the held message, releasing the one it displaces. It
// reports true when the socket slept on the slot and must be woken.
func (c *conflateSlot) put(m *mempool.Frame) (wakeReader bool) {
	if old := c.msg.Swap(m); old != nil {
		mempool.ReleaseChain(old) // never taken: displaced by a newer one
	}
	return c.asleep.Load() == 1 && c.asleep.CompareAndSwap(1, 0)
}

// take returns the held message, or nil after declaring the socket asleep
// (the next put then reports wakeReader).
func (c *conflateSlot) take() *mempool.Frame {
	if m := c.msg.Swap(nil); m != nil {
		return m
	}
	c.asleep.Store(1)
	if m := c.msg.Swap(nil); m != nil {
		c.asleep.Store(0)
		return m
	}
	return nil
}
