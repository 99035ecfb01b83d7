package mempool

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"
)

// ErrNoMemory reports that the memory for a large frame could not be had:
// the kernel refused the mapping, or the size is beyond what the platform
// can address. It wraps the system's error where there is one.
var ErrNoMemory = errors.New("mempool: cannot allocate frame memory")

// large marks frames from GetLarge, whose body is a mapping of their own.
const large uint8 = 0xfe

// largeBytes counts the bytes mapped for live large frames.
var largeBytes atomic.Int64

// pageSize rounds mappings: the kernel maps whole pages, so a frame's
// capacity is its mapping's true length.
var pageSize = os.Getpagesize()

// LargeLimit returns the largest body a large frame may reach: the
// machine's memory and swap, beyond which no allocation could succeed.
// GetLarge and Grow refuse larger sizes with ErrNoMemory, so a peer's
// claim of a frame no machine of this size could hold can be refused when
// it is made rather than once memory runs out.
func LargeLimit() int { return largeLimit() }

// GetLarge returns a frame with one reference and Len() == size whose body
// lives outside the Go heap, in an anonymous mapping of its own, and can be
// extended with Grow without copying. It is meant for a body that arrives
// piece by piece and may end up far larger than what is there yet: grow it
// as bytes arrive, and memory is spent only on what arrived. upTo is the
// size the body may grow to: a mapping released earlier, of at most that
// capacity, may be reused, and then Cap() is already that large.
//
// It returns ErrNoMemory, and no frame, when the mapping cannot be made.
// The body is not zeroed. Its memory is returned to the system, or kept
// for reuse, on the last Release, after which Bytes must not be touched:
// it may fault instead of reading stale data.
func GetLarge(size, upTo int) (*Frame, error) {
	size = max(size, 1)
	n, err := mappingSize(size)
	if err != nil {
		return nil, err
	}
	b := takeCached(n, max(upTo, n))
	if b == nil {
		if b, err = mapBytes(n); err != nil {
			return nil, fmt.Errorf("%w: %d bytes: %w", ErrNoMemory, size, err)
		}
	}
	largeBytes.Add(int64(len(b)))
	f := &Frame{class: large, buf: b[:size]}
	f.refs.Store(1) // Not shared yet; see Get.
	unpooledLive.Add(1)
	return f, nil
}

// Grow sets the length of a frame from GetLarge to size, keeping its body:
// bytes below the old length are unchanged, new ones are not zeroed. Growing
// past Cap() remaps the body, which may move it, so a slice taken from
// Bytes before Grow must not be used after it. On Linux the kernel moves the
// pages rather than copying them, so a body grown in steps costs one copy's
// memory, not two.
//
// Grow returns ErrTooLarge for a frame not from GetLarge, or a negative
// size, and ErrNoMemory if the memory cannot be had; the frame is then
// unchanged. Only the frame's sole holder may call it.
func (f *Frame) Grow(size int) error {
	if f.class != large || size < 0 {
		return ErrTooLarge
	}
	if size <= cap(f.buf) {
		f.buf = f.buf[:size]
		return nil
	}
	n, err := mappingSize(size)
	if err != nil {
		return err
	}
	old := cap(f.buf)
	b, err := remapBytes(f.buf[:old], n)
	if err != nil {
		return fmt.Errorf("%w: %d bytes: %w", ErrNoMemory, size, err)
	}
	largeBytes.Add(int64(n - old))
	f.buf = b[:size]
	return nil
}

// LargeBytes returns the bytes mapped for the large frames alive now (see
// GetLarge), for tests and monitoring: a peer that announces a huge frame
// and sends little of it shows up here as little. Mappings kept for reuse
// are counted by LargeCachedBytes instead.
func LargeBytes() int64 { return largeBytes.Load() }

// freeLarge keeps a large frame's mapping for reuse or returns it to the
// system.
func (f *Frame) freeLarge() {
	b := f.buf[:cap(f.buf)]
	f.buf = nil
	largeBytes.Add(-int64(len(b)))
	if !keepCached(b) {
		unmapBytes(b)
	}
}

// mappingSize returns the length of the mapping for a body of size bytes,
// whole pages, or ErrNoMemory for a size beyond LargeLimit or one whose
// rounding overflows.
func mappingSize(size int) (int, error) {
	n := (size + pageSize - 1) &^ (pageSize - 1)
	if n < size || size > largeLimit() {
		return 0, fmt.Errorf("%w: %d bytes", ErrNoMemory, size)
	}
	return n, nil
}
