package mempool

import (
	"runtime"
	_ "unsafe" // go:linkname
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

// caches has one entry per P that existed at start-up (or per CPU, if more).
// A P beyond it (GOMAXPROCS raised later) uses the shared stacks directly.
var caches = make([]pCache, max(runtime.GOMAXPROCS(0), runtime.NumCPU()))

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
	pid := procPin()
	if pid >= len(caches) {
		procUnpin()
		return c.popOne()
	}
	l := &caches[pid].lists[c.id]
	if l.n == 0 {
		l.head, l.n = c.popRun()
	}
	f := l.head
	if f != nil {
		l.head, f.link = f.link, nil
		l.n--
	}
	procUnpin()
	return f
}

// cachedPut stacks a free frame in this P's cache; a full cache goes to the
// shared stack as one run.
func (c *class) cachedPut(f *Frame) {
	pid := procPin()
	if pid >= len(caches) {
		procUnpin()
		c.pushRun(f, 1)
		return
	}
	l := &caches[pid].lists[c.id]
	f.link, l.head = l.head, f
	if l.n++; l.n >= c.local {
		c.pushRun(l.head, l.n)
		l.head, l.n = nil, 0
	}
	procUnpin()
}
