package ring

// Queue lengths for statistics, each read by one side about its own end:
// no other goroutine may call them, and they cost two plain loads.

// ReaderLen is how many items the producer has flushed that the consumer
// has not read yet. Consumer only.
func (r *Ring[T]) ReaderLen() int {
	// tail is the producer's published position; readPos is ours.
	return int(r.tail.Load() - r.readPos)
}

// WriterLen is how many items the producer has written (flushed or not)
// that the consumer has not released yet: at most the capacity, and up to
// one release batch more than it has read. Producer only.
func (r *Ring[T]) WriterLen() int {
	// head only grows and never passes writePos, so the difference is
	// never negative.
	return int(r.writePos - r.head.Load())
}
