package mempool

import (
	"errors"
	"sync/atomic"
	"unsafe"
)

// Sentinel errors. Compare with errors.Is.
var (
	// ErrDoubleRelease reports a Release of a frame that was already free.
	ErrDoubleRelease = errors.New("mempool: frame released twice")
	// ErrTooLarge reports a length outside [0, Cap()].
	ErrTooLarge = errors.New("mempool: length exceeds frame capacity")
)

// inlineBytes is the largest body stored inside the Frame itself (class 0).
const inlineBytes = 64

// headerPad pads Frame's header to 64 bytes: the fields above take five
// words (slice and two pointers) plus 22 bytes, 62 bytes on 64-bit platforms.
const headerPad = 64 - 5*unsafe.Sizeof(uintptr(0)) - 22

// Frame flag bits.
const (
	flagMore uint8 = 1 << iota // another part of the message follows
	flagFree                   // the frame is in its pool (owner: free list)
)

// Frame is one ZeroMQ message part backed by pooled memory. Frames are
// reference counted so one frame can be shared (PUB fan-out). A multipart
// message is a chain of frames linked by Next.
//
// The header (everything before inline) is exactly 64 bytes, one cache line,
// and the inline body is the second line: a Frame is 128 bytes. Slabs are
// 128-byte aligned (they fall in the allocator's 128-byte or page-sized
// classes), so no two frames share a cache line.
type Frame struct {
	buf      []byte          // 24 B; owner: frame holder. Body; len = Len, cap = Cap.
	next     *Frame          // 8 B; owner: frame holder. Next part of the message.
	link     *Frame          // 8 B; owner: free list. Next frame of a free run or cache.
	refs     atomic.Int32    // 4 B; shared. References; freeRefs while the frame is free.
	freeNext atomic.Uint32   // 4 B; owner: free list. Index+1 of the next run's first frame.
	index    uint32          // 4 B; read-only. Position in the class's slab table.
	runLen   uint32          // 4 B; owner: free list. Length of the run this frame heads.
	routing  uint32          // 4 B; owner: frame holder. RoutingID; 0 when none.
	class    uint8           // 1 B; read-only. Size class, or unpooled.
	flags    uint8           // 1 B; owner: frame holder. flagMore, flagFree.
	_        [headerPad]byte // Pads the header to 64 bytes.
	inline   [inlineBytes]byte
}

// Compile-time checks: the header is one 64-byte line and the frame is two.
var (
	_ [64 - unsafe.Offsetof(Frame{}.inline)]byte
	_ [unsafe.Offsetof(Frame{}.inline) - 64]byte
	_ [128 - unsafe.Sizeof(Frame{})]byte
	_ [unsafe.Sizeof(Frame{}) - 128]byte
)

// Bytes returns the body, with len(Bytes()) == Len(). The slice is valid
// until the caller's reference is released.
func (f *Frame) Bytes() []byte {
	n := len(f.buf)
	return f.buf[:n:n]
}

// Len returns the body length.
func (f *Frame) Len() int { return len(f.buf) }

// Cap returns the largest length SetLen accepts.
func (f *Frame) Cap() int { return cap(f.buf) }

// SetLen resizes the body within its capacity. It returns ErrTooLarge, and
// leaves the frame unchanged, if n < 0 or n > Cap(). Growing exposes
// whatever bytes were there before.
func (f *Frame) SetLen(n int) error {
	if n < 0 || n > cap(f.buf) {
		return ErrTooLarge
	}
	f.buf = f.buf[:n]
	return nil
}

// More reports the MORE flag: another part of the message follows.
func (f *Frame) More() bool { return f.flags&flagMore != 0 }

// SetMore sets or clears the MORE flag.
func (f *Frame) SetMore(more bool) {
	if more {
		f.flags |= flagMore
	} else {
		f.flags &^= flagMore
	}
}

// RoutingID returns the routing id of a message part on a SERVER or
// PEER socket (libzmq's zmq_msg_routing_id): on a received message the
// peer it came from, on one to send the peer it goes to; 0 means none.
func (f *Frame) RoutingID() uint32 { return f.routing }

// SetRoutingID names the peer a message goes to on a SERVER or PEER
// socket (zmq_msg_set_routing_id); see RoutingID.
func (f *Frame) SetRoutingID(id uint32) { f.routing = id }

// Next returns the next frame of the message chain, or nil.
func (f *Frame) Next() *Frame { return f.next }

// SetNext links n after f in the message chain.
func (f *Frame) SetNext(n *Frame) { f.next = n }

// Retain adds a reference for a new owner, who must Release it.
func (f *Frame) Retain() {
	// The caller holds a reference, so the count cannot reach zero
	// concurrently; the new owner receives the frame through some other
	// synchronising handoff (a ring, a channel).
	f.refs.Add(1)
}

// RetainN adds n references at once, for n new owners (fan-out); n = 0 does
// nothing.
func (f *Frame) RetainN(n int32) {
	if n > 0 {
		f.refs.Add(n) // as Retain
	}
}

// Refs returns the current reference count; 0 means the frame is free. Only
// a holder of the frame, or a test with no frames moving, may call it.
func (f *Frame) Refs() int32 {
	if f.flags&flagFree != 0 {
		return 0
	}
	return f.refs.Load()
}

// Release drops the caller's reference. The last one returns the frame to
// its pool, clearing the MORE flag and the Next link but not the chain it
// pointed to (see ReleaseChain). It returns ErrDoubleRelease, and does
// nothing, if the frame was already free. It never panics.
//
// The last reference is released without an atomic write: a count of 1
// read by a holder means no one else holds the frame, so no one else can
// change the count, and a free frame keeps the count it had (freeRefs = 1)
// for the next Get. That saves a locked instruction on each side of every
// message, on a line that has just crossed cores. Freeness is the flagFree
// bit, which only the frame's owner writes. Race builds keep the counting
// form (freeRefs = 0) so the detector sees an atomic hand-off.
func (f *Frame) Release() error {
	for {
		// Acquire: when another holder's decrement made the count 1, its
		// reads of the frame happen before this recycle.
		r := f.refs.Load()
		if r == 1 {
			if f.flags&flagFree != 0 {
				return ErrDoubleRelease
			}
			if freeRefs == 0 {
				f.refs.Store(0)
			}
			f.recycle()
			return nil
		}
		if r <= 0 {
			return ErrDoubleRelease
		}
		// A shared frame: CAS rather than Add so concurrent releases count
		// down exactly once each; sequential consistency orders this
		// holder's reads of the frame before the last holder's recycle.
		if f.refs.CompareAndSwap(r, r-1) {
			return nil
		}
	}
}

// recycle clears the holder-owned fields of a frame whose last reference
// went and returns it to its pool.
func (f *Frame) recycle() {
	f.next = nil
	f.flags = flagFree
	if f.class == large {
		unpooledLive.Add(-1) // Statistics only.
		f.freeLarge()
		return
	}
	f.buf = f.buf[:0]
	if f.class == unpooled {
		unpooledLive.Add(-1) // Statistics only.
		f.buf = nil
		return
	}
	classes[f.class].put(f)
}

// ReleaseChain releases every frame of the chain starting at f, reading each
// Next link before releasing its frame. A nil f is allowed.
func ReleaseChain(f *Frame) {
	for f != nil {
		next := f.next
		_ = f.Release() // A double release was already a no-op; keep going.
		f = next
	}
}

// Get returns a frame with one reference, Len() == size, More() == false and
// Next() == nil. The body is not zeroed. A negative size is treated as 0.
// For size ≤ MaxPooled it does not allocate once the pool has grown to the
// program's working set.
func Get(size int) *Frame {
	size = max(size, 0)
	if size > MaxPooled {
		return getUnpooled(size)
	}
	f := classes[classOf(size)].get()
	if f == nil {
		return getUnpooled(size)
	}
	f.buf = f.buf[:size]
	// Plain writes: the frame reaches another goroutine only through a
	// synchronising handoff after Get returns. A free frame already counts
	// one reference (freeRefs), except in race builds.
	f.flags, f.routing = 0, 0
	if freeRefs == 0 {
		f.refs.Store(1)
	}
	return f
}

// FromBytes returns a new frame holding a copy of b.
func FromBytes(b []byte) *Frame {
	f := Get(len(b))
	copy(f.buf, b)
	return f
}

// getUnpooled allocates a frame outside the pools, sized exactly.
func getUnpooled(size int) *Frame {
	f := &Frame{class: unpooled}
	if size <= inlineBytes {
		f.buf = f.inline[:size]
	} else {
		f.buf = make([]byte, size)
	}
	f.refs.Store(1)     // Not shared yet; see Get.
	unpooledLive.Add(1) // Statistics only.
	return f
}
