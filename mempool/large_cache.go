package mempool

import "sync"

// A few released large mappings are kept for the next large frames: a
// fresh mapping costs a page fault and a zeroed page for every 4 KiB
// written, which made 8 MiB messages about 1.4 times slower to receive
// than bodies on the Go heap, whose pages stay resident. The cache is
// bounded in count and bytes, so what it keeps is a fixed price, not one a
// peer can raise.
const (
	cacheMaps   = 8        // mappings kept at most
	cacheBytes  = 64 << 20 // bytes kept at most, all mappings together
	cacheMaxOne = 16 << 20 // larger mappings are never kept
)

// largeCache holds released mappings, each a whole mapping (len == its
// length). A mutex is fine here: it is taken once per frame above 1 MiB,
// whose copy costs far more, and never by the pooled path.
var largeCache struct {
	mu    sync.Mutex
	maps  [cacheMaps][]byte
	n     int // maps[:n] are held
	bytes int // their total length
}

// takeCached returns the largest kept mapping of at least size and at
// most upTo bytes, or nil.
func takeCached(size, upTo int) []byte {
	c := &largeCache
	c.mu.Lock()
	defer c.mu.Unlock()
	best := -1
	for i, b := range c.maps[:c.n] {
		if len(b) >= size && len(b) <= upTo && (best < 0 || len(b) > len(c.maps[best])) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	b := c.maps[best]
	c.n--
	c.maps[best], c.maps[c.n] = c.maps[c.n], nil
	c.bytes -= len(b)
	return b
}

// keepCached keeps a released mapping if there is room, and reports
// whether it did; otherwise the caller unmaps it.
func keepCached(b []byte) bool {
	if len(b) > cacheMaxOne {
		return false
	}
	c := &largeCache
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == cacheMaps || c.bytes+len(b) > cacheBytes {
		return false
	}
	c.maps[c.n] = b
	c.n++
	c.bytes += len(b)
	return true
}

// LargeCachedBytes returns the bytes of released large mappings kept for
// reuse (at most 64 MiB).
func LargeCachedBytes() int64 {
	c := &largeCache
	c.mu.Lock()
	defer c.mu.Unlock()
	return int64(c.bytes)
}
