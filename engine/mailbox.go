package engine

import (
	"sync"
	"sync/atomic"
)

// Mailbox is a multi-producer, single-consumer command queue. Producers
// append under a mutex, as libzmq's mailbox_t does: commands are rare next to
// messages (at most one activation per ring sleep), so a short critical
// section costs less than a lock-free list. The consumer swaps the whole
// batch out and runs it without holding the lock, so a producer never waits
// for a command to run. Both slices are reused, so steady-state posting does
// not allocate.
//
// The zero value is ready to use. Post may be called from any goroutine;
// Take, Recycle are for the single consumer.
type Mailbox[T any] struct {
	mu    sync.Mutex
	queue []T // guarded by mu
	spare []T // consumer-owned between swaps
	// count mirrors len(queue). The consumer reads it without the lock
	// after declaring itself asleep; producers increment it before loading
	// the consumer's sleeping flag. Sequentially consistent atomics order
	// both pairs (Dekker), so a post is either seen by the consumer or its
	// producer sees the consumer asleep and wakes it.
	count atomic.Int64
}

// Post appends a command.
func (m *Mailbox[T]) Post(c T) {
	m.mu.Lock()
	m.queue = append(m.queue, c)
	m.count.Add(1)
	m.mu.Unlock()
}

// Pending reports whether commands are queued.
func (m *Mailbox[T]) Pending() bool { return m.count.Load() != 0 }

// Take returns every queued command, or nil. The consumer hands the slice
// back with Recycle once it has run them.
func (m *Mailbox[T]) Take() []T {
	if m.count.Load() == 0 {
		return nil
	}
	m.mu.Lock()
	batch := m.queue
	m.queue = m.spare[:0]
	m.count.Store(0)
	m.mu.Unlock()
	return batch
}

// Recycle returns a batch from Take for reuse.
func (m *Mailbox[T]) Recycle(batch []T) {
	clear(batch)
	m.spare = batch[:0]
}
