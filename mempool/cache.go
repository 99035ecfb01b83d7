package mempool

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/zring/zring/internal/cpuhint"
)

// Per-P caches in front of the shared free lists.
//
// Frames usually cross threads: an I/O thread gets them for received
// messages and the user's goroutine releases them, or the reverse on send.
// With only the shared stack, every Get and every Release moved its head's
// cache line between CPUs with a locked CAS, about a quarter of the CPU time
// per 64 B message over TCP (perf). A cache per P (the runtime's scheduling
// slot, which runs one goroutine at a time) makes that one CAS per run of
// frames: Release stacks frames locally and, once the cache is full, pushes
// all of them as one run; Get takes a whole run when its cache is empty.
// Neither walks the frames, so no frame's line moves for the batching.
//
// The caller is pinned to its P (procPin disables preemption), which makes
// the P's cache exclusively its own until procUnpin, so no atomics are needed
// inside. Nothing that can block runs while pinned: popRun and pushRun are
// lock-free, and growing a class (a mutex) happens after unpinning.
//
// The race detector cannot see the exclusion that pinning gives, so race
// builds bypass the caches (raceEnabled); the non-race test pass covers them.

//go:linkname procPin runtime.procPin
func procPin() int

//go:linkname procUnpin runtime.procUnpin
func procUnpin()

// cacheFrames is the most frames one class's cache on one P holds.
const cacheFrames = 128

// cacheBodyBytes bounds the body memory one cache holds, so large classes
// keep few frames per P and the largest none.
const cacheBodyBytes = 128 << 10

// freeList is one class's cache on one P: frames linked by link.
type freeList struct {
	head *Frame
	n    int
}

// pCache is one P's caches, padded so neighbouring Ps share no line.
type pCache struct {
	lists [numClasses]freeList
	_     [128]byte
}

// caches holds one entry per P, indexed by P id. The table grows when
// GOMAXPROCS rises (the application, or a Context with RaiseGOMAXPROCS): it is
// copied on write, and the entries are pointers, so a goroutine pinned to an
// entry keeps using it while a larger table replaces the old one.
var (
	caches     atomic.Pointer[[]*pCache]
	cachesGrow sync.Mutex // serialises table growth
)

func init() { growCaches(max(runtime.GOMAXPROCS(0), runtime.NumCPU())) }

// growCaches makes the table hold at least n entries.
func growCaches(n int) {
	cachesGrow.Lock()
	defer cachesGrow.Unlock()
	var t []*pCache
	if old := caches.Load(); old != nil {
		t = *old
	}
	if len(t) >= n {
		return
	}
	t = append(t[:len(t):len(t)], make([]*pCache, n-len(t))...)
	for i := range t {
		if t[i] == nil {
			t[i] = new(pCache)
		}
	}
	caches.Store(&t)
}

// pin pins the caller to its P and returns the P's caches; the caller must
// procUnpin. It grows the table first if the P is new.
func pin() *pCache {
	for {
		pid := procPin()
		// Acquire: the entries were allocated before the table was stored.
		if t := *caches.Load(); pid < len(t) {
			return t[pid]
		}
		procUnpin() // grow without pinning: growth allocates and locks
		growCaches(max(pid+1, runtime.GOMAXPROCS(0)))
	}
}

// cacheLimit returns how many frames of a body size one cache holds; 0
// disables caching for the class.
func cacheLimit(size int) int {
	if raceEnabled {
		return 0
	}
	return min(cacheFrames, cacheBodyBytes/size)
}

// cachedGet takes a frame from this P's cache, first refilling it with a run
// from the shared stack if it is empty. It returns nil if both are empty
// (the caller grows the class).
func (c *class) cachedGet() *Frame {
	l := &pin().lists[c.id]
	if l.n == 0 {
		l.head, l.n = c.popRun()
	}
	f := l.head
	if f != nil {
		l.head, f.link = f.link, nil
		l.n--
		if l.head != nil {
			// The next Get's frame was probably released on another core:
			// start moving its header line here now.
			cpuhint.PrefetchWrite(unsafe.Pointer(l.head))
		}
	}
	procUnpin()
	return f
}

// cachedPut stacks a free frame in this P's cache; a full cache goes to the
// shared stack as one run.
func (c *class) cachedPut(f *Frame) {
	l := &pin().lists[c.id]
	f.link, l.head = l.head, f
	if l.n++; l.n >= c.local {
		c.pushRun(l.head, l.n)
		l.head, l.n = nil, 0
	}
	procUnpin()
}
