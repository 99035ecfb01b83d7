package mempool

import (
	"math/bits"
	"sync"
	"sync/atomic"
)

// MaxPooled is the largest body served from a pool. Larger frames are
// allocated exactly and left to the garbage collector on release.
const MaxPooled = 1 << 20

// Pool sizing. Every term is a limit, so a class's memory is bounded by
// maxSlabs × slabBytes(class).
const (
	// numClasses counts the body sizes 64 B (inline), 256 B, 1 KiB, 4 KiB,
	// 16 KiB, 64 KiB, 256 KiB and 1 MiB: powers of four from 256 B to
	// MaxPooled, so a body wastes at most 75% of its slot.
	numClasses = 8
	// slabTargetBytes is the body memory one slab aims for: big enough that
	// growth is rare and the GC sees few objects, small enough that an idle
	// class costs little.
	slabTargetBytes = 64 << 10
	// maxFramesPerSlab caps the frames per slab for the small classes,
	// whose []Frame (128 B each) dominates their slab: 256 × 128 B = 32 KiB.
	maxFramesPerSlab = 256
	// maxSlabs caps a class's slab table, so the table is a fixed array
	// (no resizing under concurrent lookup). Classes of ≥ 64 KiB get one
	// frame per slab, so the 1 MiB class pools at most 1 GiB.
	maxSlabs = 1024
	// unpooled marks frames allocated outside any class.
	unpooled uint8 = 0xff
)

// classes holds one pool per size class.
var classes = newClasses()

// unpooledLive counts live unpooled frames (above MaxPooled, or class full).
var unpooledLive atomic.Int64

// class is the pool of one body size.
//
// The shared free list is a stack of runs: each node is the first frame of
// a run of free frames linked by link, with the run's length in runLen and
// the next run in freeNext. The head packs two 32-bit fields: the low half is
// the index+1 of the top run's first frame (0 = empty) and the high half a
// tag incremented by every push and pop, which makes a CAS against a stale
// head fail even if the same frame is back on top (ABA).
type class struct {
	head atomic.Uint64 // shared: tag<<32 | top index+1; updated by Get and Release
	_    [128 - 8]byte // keeps the hot head off the read-mostly fields below

	size  int        // read-only: body capacity of every frame in the class
	local int        // read-only: capacity of the class's per-P caches (cache.go)
	shift uint       // read-only: log2 of frames per slab
	id    uint8      // read-only: index in classes
	grow  sync.Mutex // serialises slab allocation (slow path only)
	// nslabs counts published slabs; written under grow, read by Stats.
	nslabs atomic.Int32
	// slabs[i] is published once, before any of its frames is pushed; pops
	// load it to turn an index into a frame.
	slabs [maxSlabs]atomic.Pointer[slab]
}

// slab is one batch of frames; for non-inline classes their bodies share
// one []byte chunk.
type slab struct {
	frames []Frame
}

func newClasses() *[numClasses]class {
	c := new([numClasses]class)
	for i := range c {
		size := inlineBytes
		if i > 0 {
			size = 64 << (2 * i)
		}
		per := min(max(slabTargetBytes/size, 1), maxFramesPerSlab)
		c[i].size, c[i].id, c[i].local = size, uint8(i), cacheLimit(size)
		c[i].shift = uint(bits.TrailingZeros(uint(per)))
	}
	return c
}

// classOf returns the smallest class whose frames hold size bytes;
// 0 ≤ size ≤ MaxPooled.
func classOf(size int) int {
	if size <= inlineBytes {
		return 0
	}
	// Classes ≥ 1 hold 4^(i+3) bytes; l = ceil(log2(size)) ≥ 7.
	l := bits.Len(uint(size - 1))
	return (l - 5) / 2
}

// frame turns an index into its frame.
func (c *class) frame(i uint32) *Frame {
	// Acquire: the slab was stored before any of its indices was pushed,
	// and this index was read from the head after that push.
	s := c.slabs[i>>c.shift].Load()
	return &s.frames[i&(1<<c.shift-1)]
}

// get pops a free frame, growing the class if it is empty. It returns nil
// when the class has reached maxSlabs.
func (c *class) get() *Frame {
	var f *Frame
	if c.local > 0 {
		f = c.cachedGet()
	} else {
		f = c.popOne()
	}
	if f != nil {
		return f
	}
	return c.growAndPop()
}

// put returns a free frame to this P's cache or to the shared stack.
func (c *class) put(f *Frame) {
	if c.local > 0 {
		c.cachedPut(f)
	} else {
		c.pushRun(f, 1)
	}
}

// popOne takes one frame from the shared stack, or returns nil if it is
// empty; the rest of its run goes back.
func (c *class) popOne() *Frame {
	f, n := c.popRun()
	if n > 1 {
		c.pushRun(f.link, n-1)
	}
	if f != nil {
		f.link = nil
	}
	return f
}

// popRun removes the top run of free frames: its first frame and length.
// The run's frames are linked by link. It returns nil, 0 if the stack is
// empty.
func (c *class) popRun() (*Frame, int) {
	for {
		// This load and the CAS below are sequentially consistent, so a
		// successful CAS proves nobody changed the head (tag included) in
		// between, hence next really is the run below top.
		h := c.head.Load()
		top := uint32(h)
		if top == 0 {
			return nil, 0
		}
		f := c.frame(top - 1)
		// May be stale if the run was popped and f re-pushed meanwhile;
		// the tag then fails the CAS. Every stored value is a valid index+1
		// or 0, so even a stale one names a real frame.
		next := f.freeNext.Load()
		if c.head.CompareAndSwap(h, retag(h, next)) {
			// The run is ours now; runLen and the links were written
			// before the CAS that pushed it.
			return f, int(f.runLen)
		}
	}
}

// pushRun puts n free frames, linked by link from first, on top of the
// shared stack as one run.
func (c *class) pushRun(first *Frame, n int) {
	first.runLen = uint32(n)
	for {
		h := c.head.Load()
		// Written before the CAS that publishes it; a popper trusts it only
		// after a CAS against a head that contains first.
		first.freeNext.Store(uint32(h))
		// Publishes runLen, the links and the frames' recycled fields to
		// the next popRun.
		if c.head.CompareAndSwap(h, retag(h, first.index+1)) {
			return
		}
	}
}

// retag builds a new head with top index+1 = top and the tag of h plus one.
func retag(h uint64, top uint32) uint64 {
	return (h>>32+1)<<32 | uint64(top)
}

// growAndPop adds a slab to the class and returns one of its frames, unless
// another goroutine refilled the list meanwhile or the class is full.
func (c *class) growAndPop() *Frame {
	c.grow.Lock()
	defer c.grow.Unlock()
	if f := c.popOne(); f != nil {
		return f
	}
	n := c.nslabs.Load()
	if n == maxSlabs {
		return nil
	}
	s := c.newSlab(uint32(n))
	// Publish before any index of this slab can reach the free list.
	c.slabs[n].Store(s)
	c.nslabs.Store(n + 1)
	if len(s.frames) > 1 {
		c.pushRun(&s.frames[1], len(s.frames)-1)
	}
	return &s.frames[0]
}

// newSlab allocates slab number n with its frames linked in index order.
func (c *class) newSlab(n uint32) *slab {
	per := 1 << c.shift
	s := &slab{frames: make([]Frame, per)}
	var chunk []byte
	if c.size > inlineBytes {
		chunk = make([]byte, per*c.size)
	}
	for i := range s.frames {
		f := &s.frames[i]
		f.class, f.index, f.flags = c.id, n<<c.shift|uint32(i), flagFree
		f.refs.Store(freeRefs) // not yet shared: the slab is published later
		if chunk != nil {
			f.buf = chunk[i*c.size : i*c.size : (i+1)*c.size]
		} else {
			f.buf = f.inline[:0]
		}
		if i+1 < per {
			f.link = &s.frames[i+1]
		}
	}
	return s
}

// ClassStats describes one size class, for leak tests and monitoring.
type ClassStats struct {
	Size   int   // body capacity; 0 for the unpooled entry
	Frames int   // frames allocated in slabs (the class's pooled capacity)
	Live   int64 // frames holding at least one reference
}

// Stats returns one entry per size class, smallest first, followed by one
// entry for unpooled frames. Live counts of pooled classes come from scanning
// every frame's free flag, which keeps counters off the Get/Release
// path; Stats is therefore O(pooled frames) and meant for tests and
// diagnostics. Counts are exact only when no frames are moving.
func Stats() []ClassStats {
	out := make([]ClassStats, 0, numClasses+1)
	for i := range classes {
		out = append(out, classes[i].stats())
	}
	return append(out, ClassStats{Live: unpooledLive.Load()})
}

func (c *class) stats() ClassStats {
	st := ClassStats{Size: c.size}
	n := int(c.nslabs.Load())
	for i := range n {
		// nslabs was stored after slabs[i], so the slab is visible.
		frames := c.slabs[i].Load().frames
		for j := range frames {
			if frames[j].live() {
				st.Live++
			}
		}
	}
	st.Frames = n << c.shift
	return st
}

// live reports whether a pooled frame is held, for Stats. Race builds read
// the count, which is 0 exactly while the frame is free. Other builds read
// the owner-written flag without synchronisation: a word-sized racy read
// sees either the old or the new value, and Stats is exact only when no
// frames are moving anyway.
func (f *Frame) live() bool {
	if freeRefs == 0 {
		return f.refs.Load() > 0
	}
	return f.flags&flagFree == 0
}
