// Package mempool provides Frame, zring's reference-counted message part, and
// the size-class pools its bodies come from.
//
// Every message part that crosses a socket, a pipe or an I/O thread is a
// *Frame. Frames are reference counted so that one frame can be queued to
// many peers (PUB fan-out) without copying, and a multipart message is a
// chain of frames linked by Next with the MORE flag set on all but the last.
//
// # Ownership
//
// Get and FromBytes return a frame holding one reference, owned by the
// caller. Retain adds a reference for another owner; every owner calls
// Release exactly once. The last Release returns the frame to its pool, after
// which neither the frame nor its Bytes may be touched. Release of a frame
// that is already free reports ErrDoubleRelease and does nothing; this
// detection is best effort, because once the pool hands the frame out again a
// stale Release cannot be told from a legitimate one.
//
// # Size classes
//
// Bodies of up to 64 bytes live inside the Frame itself, as in libzmq's
// "very small message" (VSM) optimisation, so small messages cost no second
// cache miss. Larger bodies come from classes of 256 B, 1 KiB, 4 KiB,
// 16 KiB, 64 KiB, 256 KiB and 1 MiB (MaxPooled). Bodies above MaxPooled are
// allocated exactly and left to the garbage collector.
//
// # Large frames
//
// A body whose size comes from a peer is not allocated at the size
// claimed: GetLarge gives a frame whose body is an anonymous mapping of its
// own, and Grow extends it as bytes arrive. On Linux the kernel moves the
// pages (mremap) instead of copying them, so a body grown in steps costs one
// copy's memory. Sizes beyond the machine's memory (LargeLimit) fail with
// ErrNoMemory instead of aborting the process. A few released mappings are
// kept for reuse, which spares honest large messages the page faults of
// fresh memory.
//
// Each class grows in slabs: one []Frame batch plus one []byte chunk that
// backs all of the batch's bodies, so the pool allocates in large pieces and
// the garbage collector sees few objects. Slabs are never freed; the pool's
// footprint is its high-water mark, bounded per class by maxSlabs (when a
// class is exhausted Get falls back to unpooled frames rather than failing).
//
// # Free lists
//
// Each class keeps its free frames on a lock-free Treiber stack of runs:
// each node is a run of frames linked together, and the head packs a 32-bit
// frame index with a 32-bit version tag, so a pop cannot be fooled by the
// same frame being popped and pushed back in between (ABA). Frames are named
// by index, not pointer, because Go pointers cannot carry a tag.
//
// In front of the stack sits a cache per P (cache.go): Release stacks a frame
// on the releasing P's cache and a full cache is pushed as one run; Get pops
// from the getting P's cache and refills an empty one with a whole run. A
// frame usually crosses threads (an I/O thread gets it, a user goroutine
// releases it, or the reverse), so without the caches every Get and Release
// bounced the stack head between CPUs: measured with perf on 64 B TCP
// throughput, mempool fell from about 30% to 14% of the receiver's CPU.
// Access to a P's cache is exclusive while the goroutine is pinned to the P,
// as in sync.Pool; nothing that blocks runs while pinned. Race builds bypass
// the caches, because the race detector cannot see that exclusion.
//
// The lock-free stack was chosen over a mutex-protected slice after
// measuring both (BenchmarkFreeList, 2-vCPU VM, -count=6): uncontended a
// pop+push costs ≈18 ns lock-free against ≈29 ns with a sync.Mutex. The
// decisive point is progress: a sync.Mutex held by a preempted user
// goroutine would block a pinned I/O thread in a futex, which the engine's
// threading model forbids (I/O threads block only in their poller).
//
// Live-frame statistics are computed by Stats from the frames' free flags
// rather than kept in counters, so Get and Release touch only the free-list
// head and the frame itself. A frame in its pool keeps the count of 1 its
// last holder had, so neither Get nor the last Release writes an atomic
// (Frame.Release explains why that is safe); race builds count 0 instead.
//
// This is a lower-level API under the root package zring, public for those
// who embed the engine; it may change between releases. Applications use
// zring.
package mempool
