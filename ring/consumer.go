package ring

// Read removes and returns the next published item. It returns false when no
// item is visible. The slot is cleared to the zero T so the ring does not
// keep the item reachable, but it is not handed back to the producer until
// Release. Consumer side only.
func (r *Ring[T]) Read() (T, bool) {
	var zero T
	if r.readPos == r.tailCache && !r.refreshTail() {
		return zero, false
	}
	slot := &r.buf[r.readPos&r.mask]
	v := *slot
	*slot = zero
	r.readPos++
	return v, true
}

// Peek returns the next published item without consuming it. It returns
// false when no item is visible. Consumer side only.
func (r *Ring[T]) Peek() (T, bool) {
	if r.readPos == r.tailCache && !r.refreshTail() {
		var zero T
		return zero, false
	}
	return r.buf[r.readPos&r.mask], true
}

// refreshTail reloads the producer's tail and reports whether an item is
// visible.
func (r *Ring[T]) refreshTail() bool {
	// Acquire side of Flush's store: every slot below tail is fully written.
	r.tailCache = r.tail.Load()
	return r.readPos != r.tailCache
}

// Release hands every slot read since the previous Release back to the
// producer with one atomic store. It returns true when the producer was
// parked (TryParkWriter returned true), at most half the ring is still
// occupied, and this call is the one that flipped it; the caller must then
// signal the producer. Consumer side only.
func (r *Ring[T]) Release() (wakeWriter bool) {
	// Only the consumer stores head, so this load sees its own last store.
	if r.head.Load() == r.readPos {
		return false
	}
	// Release store: the slot reads and clears above happen before the
	// producer reuses the slots. Sequential consistency orders this store
	// before the load of writerParked (Dekker with TryParkWriter).
	r.head.Store(r.readPos)
	if r.writerParked.Load() != 1 {
		return false
	}
	// Low-water mark, as libzmq's pipes have: a parked producer resumes
	// only once at most half the ring is occupied, with room for a batch,
	// instead of being woken for every few slots. The visible occupancy
	// is a lower bound of the true one. No signal is lost: while items
	// remain visible the consumer keeps reading and releasing, and a
	// consumer about to sleep (TrySleep) sees none.
	if r.tail.Load()-r.readPos > uint64(len(r.buf)/2) {
		return false
	}
	return r.writerParked.CompareAndSwap(1, 0)
}

// TrySleep releases consumed slots and then declares the consumer asleep. It
// returns asleep = false, with the declaration withdrawn, if items are
// visible; the caller must keep reading. With asleep = true the next Flush
// that publishes items returns wakeReader = true. wakeWriter is the result of
// the internal Release and must be acted on either way. Consumer side only.
func (r *Ring[T]) TrySleep() (asleep bool, wakeWriter bool) {
	wakeWriter = r.Release()
	// Store then load (Dekker with Flush): either Flush sees the flag or
	// this load sees Flush's tail.
	r.readerAsleep.Store(1)
	if r.refreshTail() {
		// Plain store: if Flush already flipped the flag it stored the same
		// value and will signal; the caller tolerates that spurious wakeup.
		r.readerAsleep.Store(0)
		return false, wakeWriter
	}
	return true, wakeWriter
}

// Wake withdraws the consumer's sleep declaration, for example when it was
// woken by something other than this ring. Consumer side only.
func (r *Ring[T]) Wake() {
	// Clearing can only suppress a signal the consumer no longer needs.
	r.readerAsleep.Store(0)
}

// Ahead returns the item k places after the next one, if the producer has
// published it, without consuming anything. It does not reload the tail.
// Consumer side only.
func (r *Ring[T]) Ahead(k uint64) (T, bool) {
	if r.tailCache-r.readPos <= k {
		var zero T
		return zero, false
	}
	return r.buf[(r.readPos+k)&r.mask], true
}
