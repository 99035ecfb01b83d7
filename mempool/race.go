//go:build race

package mempool

// raceEnabled disables the per-P caches, whose exclusion the race detector
// cannot see (cache.go).
const raceEnabled = true

// freeRefs is the reference count of a frame in its pool. Race builds count a free frame as 0 references, so the detector sees
// each hand-off as an atomic write (Frame.Release).
const freeRefs = 0
