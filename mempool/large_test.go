package mempool

import (
	"bytes"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A large frame grown step by step keeps what it held, maps only what was
// asked for, and gives its memory back on release.
func TestLargeGrowKeepsBody(t *testing.T) {
	emptyCache(t)
	base := LargeBytes()
	f, err := GetLarge(1000, 0)
	require.NoError(t, err)
	assert.Equal(t, 1000, f.Len())
	assert.Equal(t, pageSize, f.Cap(), "capacity is the whole mapping")
	assert.Equal(t, int64(pageSize), LargeBytes()-base)

	want := []byte{}
	for _, size := range []int{1000, 3 << 20, 9<<20 + 7, 64 << 20} {
		require.NoError(t, f.Grow(size))
		b := f.Bytes()
		require.Len(t, b, size)
		require.Equal(t, want, b[:len(want)], "grow to %d kept the body", size)
		for i := len(want); i < size; i++ {
			b[i] = byte(i * 7)
		}
		want = append(want, b[len(want):]...)
		assert.Equal(t, int64(f.Cap()), LargeBytes()-base)
	}
	require.NoError(t, f.Grow(10), "shrinking keeps the mapping")
	assert.Equal(t, want[:10], f.Bytes())
	require.NoError(t, f.Release())
	assert.Equal(t, base, LargeBytes(), "release frees the mapping")
	assert.ErrorIs(t, f.Release(), ErrDoubleRelease)
}

// Sizes no machine can map fail with ErrNoMemory instead of panicking or
// aborting the process, and a failed Grow leaves the frame as it was.
func TestLargeImpossibleSizes(t *testing.T) {
	base := LargeBytes()
	impossible := impossibleSizes()
	for _, size := range impossible {
		f, err := GetLarge(size, 0)
		assert.ErrorIs(t, err, ErrNoMemory, "GetLarge(%d, 0)", size)
		assert.Nil(t, f)
	}
	f, err := GetLarge(100, 0)
	require.NoError(t, err)
	copy(f.Bytes(), "kept")
	for _, size := range impossible {
		assert.ErrorIs(t, f.Grow(size), ErrNoMemory, "Grow(%d)", size)
		assert.Equal(t, 100, f.Len())
		assert.True(t, bytes.HasPrefix(f.Bytes(), []byte("kept")))
	}
	assert.ErrorIs(t, f.Grow(-1), ErrTooLarge)
	require.NoError(t, f.Release())
	assert.Equal(t, base, LargeBytes())
}

// impossibleSizes returns 2^62, math.MaxInt, 2^47 and LargeLimit()+1,
// leaving out those an int cannot hold (2^62 and 2^47 on 32-bit platforms,
// LargeLimit()+1 if it is math.MaxInt).
func impossibleSizes() []int {
	var sizes []int
	for _, size := range []int64{1 << 62, math.MaxInt, 1 << 47} {
		if size <= math.MaxInt {
			sizes = append(sizes, int(size))
		}
	}
	if limit := LargeLimit(); limit < math.MaxInt {
		sizes = append(sizes, limit+1)
	}
	return sizes
}

// Grow is for large frames only: a pooled body cannot move.
func TestGrowRefusesPooledFrames(t *testing.T) {
	for _, size := range []int{10, 4000, MaxPooled + 1} {
		f := Get(size)
		assert.ErrorIs(t, f.Grow(size+1), ErrTooLarge)
		assert.Equal(t, size, f.Len())
		require.NoError(t, f.Release())
	}
}

// A shared large frame is unmapped only by its last holder.
func TestLargeSharedRelease(t *testing.T) {
	base := LargeBytes()
	f, err := GetLarge(5<<20, 0)
	require.NoError(t, err)
	f.Bytes()[5<<20-1] = 9
	f.Retain()
	require.NoError(t, f.Release())
	assert.Equal(t, byte(9), f.Bytes()[5<<20-1], "still mapped for the other holder")
	require.NoError(t, f.Release())
	assert.Equal(t, base, LargeBytes())
}

// emptyCache unmaps the mappings kept for reuse, so a test sees fresh ones.
func emptyCache(t *testing.T) {
	t.Helper()
	for b := takeCached(1, math.MaxInt); b != nil; b = takeCached(1, math.MaxInt) {
		unmapBytes(b)
	}
	require.Zero(t, LargeCachedBytes())
}

// A released mapping serves the next large frame that may grow as large,
// so honest large messages stop paying for fresh pages; the cache keeps at
// most 8 mappings and 64 MiB, and never hands a frame more than upTo.
func TestLargeCacheReuseAndBounds(t *testing.T) {
	emptyCache(t)
	f, err := GetLarge(8<<20, 0)
	require.NoError(t, err)
	f.Bytes()[0] = 42
	require.NoError(t, f.Release())
	assert.Equal(t, int64(8<<20), LargeCachedBytes())

	g, err := GetLarge(1<<20, 2<<20)
	require.NoError(t, err)
	assert.Equal(t, pageSize*((1<<20)/pageSize), g.Cap(), "8 MiB is more than upTo: a fresh mapping")
	h, err := GetLarge(1<<20, 8<<20)
	require.NoError(t, err)
	assert.Equal(t, 8<<20, h.Cap(), "the kept mapping")
	assert.Equal(t, byte(42), h.Bytes()[0], "not zeroed")
	assert.Zero(t, LargeCachedBytes())
	require.NoError(t, g.Release())
	require.NoError(t, h.Release())

	var frames []*Frame
	for range 12 {
		f, err := GetLarge(12<<20, 0)
		require.NoError(t, err)
		frames = append(frames, f)
	}
	big, err := GetLarge(cacheMaxOne+1, 0)
	require.NoError(t, err)
	frames = append(frames, big)
	for _, f := range frames {
		require.NoError(t, f.Release())
	}
	assert.LessOrEqual(t, LargeCachedBytes(), int64(cacheBytes))
	assert.LessOrEqual(t, largeCache.n, cacheMaps)
	emptyCache(t)
}
