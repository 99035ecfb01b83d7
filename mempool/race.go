//go:build race

package mempool

// raceEnabled disables the per-P caches, whose exclusion the race detector
// cannot see (cache.go).
const raceEnabled = true
