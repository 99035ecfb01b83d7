//go:build !race

package mempool

// raceEnabled is false: the per-P caches are on (cache.go).
const raceEnabled = false

// freeRefs is the reference count of a frame in its pool. A free frame keeps the 1 reference its last holder had, so Get and the
// last Release write no atomics (Frame.Release).
const freeRefs = 1
