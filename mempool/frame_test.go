package mempool

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClassOf(t *testing.T) {
	for _, tc := range []struct{ size, class int }{
		{0, 0}, {1, 0}, {64, 0}, {65, 1}, {256, 1}, {257, 2}, {1024, 2},
		{1025, 3}, {4096, 3}, {16 << 10, 4}, {64 << 10, 5}, {256 << 10, 6},
		{256<<10 + 1, 7}, {MaxPooled, 7},
	} {
		c := classOf(tc.size)
		assert.Equal(t, tc.class, c, "classOf(%d)", tc.size)
		assert.GreaterOrEqual(t, classes[c].size, tc.size)
	}
}

func TestGetSizes(t *testing.T) {
	for _, tc := range []struct{ size, cap int }{
		{0, 64}, {1, 64}, {64, 64}, {65, 256}, {1000, 1024}, {5000, 16 << 10},
		{MaxPooled, MaxPooled}, {MaxPooled + 1, MaxPooled + 1}, {-3, 64},
	} {
		t.Run(fmt.Sprint(tc.size), func(t *testing.T) {
			f := Get(tc.size)
			assert.Equal(t, max(tc.size, 0), f.Len())
			assert.Len(t, f.Bytes(), f.Len())
			assert.Equal(t, tc.cap, f.Cap())
			assert.Equal(t, int32(1), f.Refs())
			assert.False(t, f.More())
			assert.Nil(t, f.Next())
			require.NoError(t, f.Release())
		})
	}
}

func TestInlineBodyLivesInFrame(t *testing.T) {
	f := Get(10)
	defer f.Release()
	assert.Same(t, &f.inline[0], &f.Bytes()[0])
}

func TestSetLen(t *testing.T) {
	f := Get(100)
	defer f.Release()
	require.NoError(t, f.SetLen(f.Cap()))
	assert.Equal(t, 256, f.Len())
	require.NoError(t, f.SetLen(0))
	assert.Empty(t, f.Bytes())
	assert.ErrorIs(t, f.SetLen(257), ErrTooLarge)
	assert.ErrorIs(t, f.SetLen(-1), ErrTooLarge)
	assert.Equal(t, 0, f.Len(), "failed SetLen leaves the frame unchanged")
}

func TestBytesCannotGrowIntoSpareCapacity(t *testing.T) {
	f := Get(3)
	defer f.Release()
	b := f.Bytes()
	assert.Equal(t, 3, cap(b))
}

func TestFromBytes(t *testing.T) {
	for _, n := range []int{0, 5, 64, 300, 70000} {
		src := bytes.Repeat([]byte{'x'}, n)
		f := FromBytes(src)
		assert.Equal(t, src, f.Bytes())
		require.NoError(t, f.Release())
	}
}

func TestRetainRelease(t *testing.T) {
	f := Get(100)
	f.Retain()
	f.Retain()
	assert.Equal(t, int32(3), f.Refs())
	require.NoError(t, f.Release())
	require.NoError(t, f.Release())
	assert.Equal(t, int32(1), f.Refs(), "shared release only decrements")
	require.NoError(t, f.Release())
	assert.Equal(t, int32(0), f.Refs())
}

func TestDoubleRelease(t *testing.T) {
	for _, size := range []int{10, 1000, MaxPooled + 1} {
		f := Get(size)
		before := Stats()
		require.NoError(t, f.Release())
		after := Stats()
		assert.ErrorIs(t, f.Release(), ErrDoubleRelease)
		assert.Equal(t, after, Stats(), "double release must not touch the pool")
		assert.NotEqual(t, before, after)
		assert.Equal(t, int32(0), f.Refs())
	}
}

func TestReleaseClearsFlagsAndNext(t *testing.T) {
	f := Get(1)
	f.SetMore(true)
	f.SetNext(Get(1))
	next := f.Next()
	require.NoError(t, f.Release())
	assert.False(t, f.More())
	assert.Nil(t, f.Next())
	require.NoError(t, next.Release())
}

func TestSetMore(t *testing.T) {
	f := Get(1)
	defer f.Release()
	f.SetMore(true)
	assert.True(t, f.More())
	f.SetMore(false)
	assert.False(t, f.More())
}

func TestChain(t *testing.T) {
	parts := []string{"a", "bb", string(bytes.Repeat([]byte{'c'}, 500))}
	var head, tail *Frame
	for i, p := range parts {
		f := FromBytes([]byte(p))
		f.SetMore(i < len(parts)-1)
		if head == nil {
			head = f
		} else {
			tail.SetNext(f)
		}
		tail = f
	}
	var got []string
	for f := head; f != nil; f = f.Next() {
		got = append(got, string(f.Bytes()))
		assert.Equal(t, f != tail, f.More())
	}
	assert.Equal(t, parts, got)

	frames := []*Frame{head, head.Next(), tail}
	ReleaseChain(head)
	for _, f := range frames {
		assert.Equal(t, int32(0), f.Refs())
	}
	ReleaseChain(nil)
}

// A shared chain (PUB fan-out) is released once per owner.
func TestSharedChain(t *testing.T) {
	a, b := Get(1), Get(1)
	a.SetNext(b)
	a.Retain()
	b.Retain()
	ReleaseChain(a)
	assert.Same(t, b, a.Next(), "first owner's release keeps the chain")
	ReleaseChain(a)
	assert.Equal(t, int32(0), a.Refs())
	assert.Equal(t, int32(0), b.Refs())
}

func TestStatsLive(t *testing.T) {
	base := Stats()
	fs := []*Frame{Get(1), Get(1), Get(1000), Get(MaxPooled + 1)}
	now := Stats()
	assert.Equal(t, base[0].Live+2, now[0].Live)
	assert.Equal(t, base[2].Live+1, now[2].Live)
	assert.Equal(t, base[numClasses].Live+1, now[numClasses].Live)
	assert.GreaterOrEqual(t, now[0].Frames, 256)
	for _, f := range fs {
		require.NoError(t, f.Release())
	}
	assert.Equal(t, liveCounts(base), liveCounts(Stats()))
}

// Recycled frames come back from the same slab, and a class keeps handing
// out distinct frames while earlier ones are live.
func TestReuseAndDistinct(t *testing.T) {
	seen := map[*Frame]bool{}
	var live []*Frame
	for range 1000 {
		f := Get(200)
		require.False(t, seen[f], "frame handed out twice while live")
		seen[f] = true
		live = append(live, f)
	}
	for _, f := range live {
		require.NoError(t, f.Release())
	}
	f := Get(200)
	assert.True(t, seen[f], "released frames are reused")
	require.NoError(t, f.Release())
}

// TestCacheReuseWithoutGrowth checks that frames released through the per-P
// caches (and their spills to the shared stack) come back: a second round of
// the same working set reuses them instead of growing the class, and no
// frame is handed out twice.
func TestCacheReuseWithoutGrowth(t *testing.T) {
	const n = 3 * cacheFrames
	round := func() []*Frame {
		fs := make([]*Frame, n)
		seen := make(map[*Frame]bool, n)
		for i := range fs {
			fs[i] = Get(8)
			if seen[fs[i]] {
				t.Fatalf("frame %p handed out twice", fs[i])
			}
			seen[fs[i]] = true
		}
		return fs
	}
	for _, f := range round() {
		f.Release()
	}
	before := Stats()[0].Frames
	fs := round()
	after := Stats()[0].Frames
	for _, f := range fs {
		f.Release()
	}
	if after != before {
		t.Fatalf("class grew from %d to %d frames on reuse", before, after)
	}
}
