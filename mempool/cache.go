package mempool

// Cache sizing. A stash never holds more than stashBudget bytes of bodies
// per class, so an idle owner strands little memory, and classes whose stash
// would be tiny bypass the cache: for them a CAS is nothing next to filling
// the body.
const (
	// maxStash caps the frames one Cache holds per class; frames move to
	// and from the shared class maxStash/2 at a time.
	maxStash = 64
	// stashBudget bounds the body bytes one Cache stashes per class.
	stashBudget = 256 << 10
	// minStash is the smallest stash worth having (two-frame batches).
	minStash = 4
	// numStashed counts the classes with a stash: 64 B to 64 KiB (newClasses
	// checks it).
	numStashed = 6
)

// stashCapOf returns a class's per-Cache stash capacity, even so that it
// splits into two batches, or 0 if the class bypasses Caches: 64 frames up
// to 4 KiB, 16 of 16 KiB, 4 of 64 KiB, none above.
func stashCapOf(size int) int {
	n := min(maxStash, stashBudget/size)
	if n < minStash {
		return 0
	}
	return n &^ 1
}

// Cache is a small per-owner stash of free frames in front of the shared
// size classes. It is NOT safe for concurrent use: its owner (an I/O thread,
// or a socket under its mutex) serialises calls. Frames move between the
// cache and the shared class in batches, one CAS per batch.
//
// Get serves a class from the stash and, when the stash is empty, refills
// half of it with a single batch pop from the class. Release puts the frame a
// last reference leaves onto the releasing cache's stash (whichever cache
// the frame came from) and, when the stash is full, pushes its older half
// back to the class as one pre-linked run. So a producer that gets on one
// core and a consumer that releases on another touch the shared head once
// per batch instead of once per frame. Classes 64 B to 64 KiB are stashed,
// at most 64 frames and 256 KiB of bodies per class; larger and unpooled
// frames go straight to the shared pool.
//
// Frames on a stash are free (reference count 0): Stats counts them as not
// Live, and Release of one reports ErrDoubleRelease. They are, however,
// unavailable to other goroutines, so an owner must Flush before it goes
// idle for long or goes away; a dropped Cache that was not flushed strands
// its frames for the life of the program. The zero value is ready to use. A
// Cache must not be copied (go vet reports copies).
type Cache struct {
	_     noCopy
	stash [numStashed]stash
}

// stash is one class's free frames in a Cache; frames[n-1] is the top.
// Entries at n and above are stale and ignored (frames live in slabs that
// are never freed, so stale pointers retain nothing).
type stash struct {
	n      int
	frames [maxStash]*Frame
}

// Get is mempool.Get served from the cache: it returns a frame with one
// reference, Len() == size, More() == false and Next() == nil; the body is
// not zeroed and a negative size is treated as 0.
func (c *Cache) Get(size int) *Frame {
	size = max(size, 0)
	if size > MaxPooled {
		return getUnpooled(size)
	}
	id := classOf(size)
	cl := &classes[id]
	var f *Frame
	if cl.stashCap == 0 {
		f = cl.get()
	} else {
		f = c.stash[id].get(cl)
	}
	if f == nil {
		return getUnpooled(size)
	}
	f.buf = f.buf[:size]
	// Plain publication, as in Get.
	f.refs.Store(1)
	return f
}

// FromBytes is mempool.FromBytes served from the cache.
func (c *Cache) FromBytes(b []byte) *Frame {
	f := c.Get(len(b))
	copy(f.buf, b)
	return f
}

// Release is f.Release() with the frame, if this was its last reference,
// going to the cache's stash instead of the shared class. It returns
// ErrDoubleRelease, and does nothing, if the frame was already free.
func (c *Cache) Release(f *Frame) error {
	pooled, err := f.drop()
	if pooled {
		c.put(f)
	}
	return err
}

// ReleaseChain is mempool.ReleaseChain through the cache.
func (c *Cache) ReleaseChain(f *Frame) {
	for f != nil {
		next := f.next
		_ = c.Release(f) // A double release was already a no-op; keep going.
		f = next
	}
}

// Flush returns every stashed frame to the shared classes, one push per
// class. The cache stays usable.
func (c *Cache) Flush() {
	for id := range c.stash {
		if s := &c.stash[id]; s.n > 0 {
			s.spill(&classes[id], s.n)
		}
	}
}

// put stashes a free pooled frame, spilling half the stash first if full.
func (c *Cache) put(f *Frame) {
	cl := &classes[f.class]
	if cl.stashCap == 0 {
		cl.push(f, f)
		return
	}
	s := &c.stash[f.class]
	if s.n == cl.stashCap {
		s.spill(cl, cl.stashCap/2)
	}
	s.frames[s.n] = f
	s.n++
}

// get takes the top stashed frame, refilling the stash with one batch pop
// (or growing the class) when it is empty; nil if the class is full.
func (s *stash) get(cl *class) *Frame {
	if s.n == 0 {
		s.n = cl.popBatch(s.frames[:cl.stashCap/2])
		if s.n == 0 {
			return cl.growAndPop()
		}
	}
	s.n--
	return s.frames[s.n]
}

// spill pushes the k oldest stashed frames (the bottom of the stash, the
// least likely to be in this core's cache) to the class as one run.
func (s *stash) spill(cl *class, k int) {
	run := s.frames[:k]
	// Link the run. These frames are ours and on no list, but a popper's
	// stale walk may still read their freeNext, hence the atomic stores;
	// push publishes them with its CAS.
	for i := range k - 1 {
		run[i].freeNext.Store(run[i+1].index + 1)
	}
	cl.push(run[0], run[k-1])
	s.n = copy(s.frames[:], s.frames[k:s.n])
}

// noCopy makes go vet's copylocks check report copies of a Cache.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}
