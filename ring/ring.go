package ring

import (
	"math/bits"
	"sync/atomic"
	"unsafe"
)

// padBytes is the padding unit between the producer's and the consumer's
// fields: two 64-byte lines, because adjacent-line prefetch works on pairs.
const padBytes = 128

// sliceBytes is the size of a slice header.
const sliceBytes = unsafe.Sizeof([]byte(nil))

// minCapacity is the smallest ring New builds.
const minCapacity = 2

// Ring is a bounded lock-free single-producer single-consumer queue (libzmq
// ypipe semantics). See the package documentation for the protocol.
//
// The zero value is not usable; create rings with New.
type Ring[T any] struct {
	// Read-only after New; shared by both sides.
	buf  []T    // slots; index with seq & mask
	mask uint64 // len(buf) - 1
	_    [padBytes - sliceBytes - 8]byte

	// Consumer-owned group.
	head      atomic.Uint64 // written by the consumer (Release), read by the producer
	readPos   uint64        // consumer only: sequence of the next slot to read
	tailCache uint64        // consumer only: last tail value the consumer loaded
	_         [padBytes - 24]byte

	// Producer-owned group.
	tail      atomic.Uint64 // written by the producer (Flush), read by the consumer
	writePos  uint64        // producer only: sequence of the next slot to write
	headCache uint64        // producer only: last head value the producer loaded
	_         [padBytes - 24]byte

	// Sleep flags, written by both sides. They share a line with each other
	// but not with the indices: they are touched only when a side sleeps.
	readerAsleep atomic.Uint32 // 1 while the consumer sleeps; set by consumer, cleared by either
	writerParked atomic.Uint32 // 1 while the producer is parked; set by producer, cleared by either
	_            [padBytes - 8]byte
}

// New returns an empty ring holding at least capacity items. The capacity is
// rounded up to a power of two, with a minimum of 2.
func New[T any](capacity int) *Ring[T] {
	n := uint64(minCapacity)
	if capacity > minCapacity {
		n = 1 << bits.Len64(uint64(capacity-1))
	}
	return &Ring[T]{buf: make([]T, n), mask: n - 1}
}

// Cap returns the number of slots in the ring.
func (r *Ring[T]) Cap() int { return len(r.buf) }

// Write appends v to the current batch. It returns false, leaving the ring
// unchanged, when the ring is full; unflushed writes count towards full. The
// item stays invisible to the consumer until Flush. Producer side only.
func (r *Ring[T]) Write(v T) bool {
	if r.writePos-r.headCache == uint64(len(r.buf)) && !r.refreshHead() {
		return false
	}
	r.buf[r.writePos&r.mask] = v
	r.writePos++
	return true
}

// refreshHead reloads the consumer's head and reports whether a slot is free.
func (r *Ring[T]) refreshHead() bool {
	// Acquire side of Release's store: slots below head have been read and
	// cleared by the consumer, so overwriting them cannot race.
	r.headCache = r.head.Load()
	return r.writePos-r.headCache < uint64(len(r.buf))
}

// Flush publishes every write since the previous Flush with one atomic store.
// It returns true exactly when the consumer had declared itself asleep
// (TrySleep returned true) and this call is the one that flipped it awake;
// the caller must then signal the consumer. It returns false if there was
// nothing to publish. Producer side only.
func (r *Ring[T]) Flush() (wakeReader bool) {
	// Only the producer stores tail, so this load sees its own last store.
	if r.tail.Load() == r.writePos {
		return false
	}
	// Release store: the slot writes above happen before the consumer's
	// load of tail. Sequential consistency also orders this store before the
	// load of readerAsleep below (Dekker with TrySleep).
	r.tail.Store(r.writePos)
	// Load first so the common case (reader awake) costs no locked
	// instruction; the CAS picks the single Flush that must signal.
	return r.readerAsleep.Load() == 1 && r.readerAsleep.CompareAndSwap(1, 0)
}

// HasRoom reports whether Write would succeed. It reloads the consumer's
// head only when the cached one says the ring is full, so a producer with
// room does not touch the consumer's cache line. Producer side only.
func (r *Ring[T]) HasRoom() bool {
	return r.writePos-r.headCache < uint64(len(r.buf)) || r.refreshHead()
}

// Queued returns the producer's view of the ring's occupancy: items written
// (including unflushed ones) minus items released by the consumer. It is
// meant for high-water marks. Producer side only.
func (r *Ring[T]) Queued() int {
	// A fresh head makes the count as small as currently possible.
	r.headCache = r.head.Load()
	return int(r.writePos - r.headCache)
}

// TryParkWriter declares that the producer is about to wait for space. It
// returns false, leaving the producer unparked, if space is already
// available; the caller must then retry Write instead of sleeping. After it
// returns true, the first Release that frees space returns wakeWriter = true.
// Producer side only.
func (r *Ring[T]) TryParkWriter() bool {
	// Store then load (Dekker with Release): either Release sees the flag or
	// this load sees Release's head.
	r.writerParked.Store(1)
	if r.refreshHead() {
		// Plain store: if Release already flipped the flag it stored the
		// same value and will signal; the caller tolerates that spurious
		// wakeup.
		r.writerParked.Store(0)
		return false
	}
	return true
}

// CancelParkWriter withdraws a successful TryParkWriter, for example after
// the producer was woken for another reason. Producer side only.
func (r *Ring[T]) CancelParkWriter() {
	// Clearing can only suppress a signal the producer no longer needs.
	r.writerParked.Store(0)
}
