//go:build !race

package mempool

// raceEnabled is false: the per-P caches are on (cache.go).
const raceEnabled = false
