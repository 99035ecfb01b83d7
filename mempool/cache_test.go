package mempool

import (
	"bytes"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// freeLen counts the frames on a class's shared free list. Only meaningful
// while no frames are moving.
func freeLen(cl *class) int {
	n := 0
	for next := uint32(cl.head.Load()); next != 0; n++ {
		next = cl.frame(next - 1).freeNext.Load()
	}
	return n
}

// requireNoStranded checks that every pooled frame is either live or on its
// class's shared free list, i.e. no Cache still holds frames. Every Cache
// must have been flushed.
func requireNoStranded(t *testing.T) {
	t.Helper()
	for i, st := range Stats()[:numClasses] {
		require.Equal(t, st.Frames-int(st.Live), freeLen(&classes[i]),
			"class %d: free frames missing from the shared list", st.Size)
	}
}

func stashed(c *Cache) int {
	n := 0
	for i := range c.stash {
		n += c.stash[i].n
	}
	return n
}

func TestStashCaps(t *testing.T) {
	want := []int{64, 64, 64, 64, 16, 4, 0, 0}
	for i := range classes {
		assert.Equal(t, want[i], classes[i].stashCap, "class %d", classes[i].size)
		assert.LessOrEqual(t, classes[i].stashCap, maxStash)
		assert.Zero(t, classes[i].stashCap%2)
	}
}

func TestCacheGetRelease(t *testing.T) {
	var c Cache
	base := Stats()
	for _, tc := range []struct{ size, cap int }{
		{0, 64}, {1, 64}, {64, 64}, {65, 256}, {1000, 1024}, {5000, 16 << 10},
		{60_000, 64 << 10}, {200 << 10, 256 << 10}, {MaxPooled, MaxPooled},
		{MaxPooled + 1, MaxPooled + 1}, {-3, 64},
	} {
		t.Run(fmt.Sprint(tc.size), func(t *testing.T) {
			f := c.Get(tc.size)
			assert.Equal(t, max(tc.size, 0), f.Len())
			assert.Equal(t, tc.cap, f.Cap())
			assert.Equal(t, int32(1), f.Refs())
			assert.False(t, f.More())
			assert.Nil(t, f.Next())
			f.SetMore(true)
			f.SetNext(f)
			f.Retain()
			require.NoError(t, c.Release(f))
			assert.Equal(t, int32(1), f.Refs(), "shared release only decrements")
			require.NoError(t, c.Release(f))
			assert.Equal(t, int32(0), f.Refs())
			assert.False(t, f.More())
			assert.Nil(t, f.Next())
			assert.Zero(t, f.Len())

			id := classOf(min(max(tc.size, 0), MaxPooled))
			if tc.size > MaxPooled || classes[id].stashCap == 0 {
				return
			}
			// The stash is LIFO: the frame just released comes back.
			g := c.Get(tc.size)
			assert.Same(t, f, g)
			require.NoError(t, c.Release(g))
		})
	}
	assert.Equal(t, liveCounts(base), liveCounts(Stats()), "stashed frames are not live")
	c.Flush()
	assert.Zero(t, stashed(&c))
	requireNoStranded(t)
}

func TestCacheFromBytesAndChain(t *testing.T) {
	var c Cache
	base := Stats()
	parts := [][]byte{[]byte("a"), bytes.Repeat([]byte{'b'}, 300), bytes.Repeat([]byte{'c'}, 5000)}
	var head, tail *Frame
	for i, p := range parts {
		f := c.FromBytes(p)
		assert.Equal(t, p, f.Bytes())
		f.SetMore(i < len(parts)-1)
		if head == nil {
			head = f
		} else {
			tail.SetNext(f)
		}
		tail = f
	}
	frames := []*Frame{head, head.Next(), tail}
	before := stashed(&c)
	c.ReleaseChain(head)
	for _, f := range frames {
		assert.Equal(t, int32(0), f.Refs())
	}
	c.ReleaseChain(nil)
	assert.Equal(t, before+3, stashed(&c))
	assert.Equal(t, liveCounts(base), liveCounts(Stats()))
	c.Flush()
	requireNoStranded(t)
}

// A full stash pushes its older half back to the class in one run.
func TestCacheSpillHalf(t *testing.T) {
	var c Cache
	cl := &classes[0]
	fs := make([]*Frame, maxStash+1)
	for i := range fs {
		fs[i] = Get(1)
	}
	free := freeLen(cl)
	for _, f := range fs[:maxStash] {
		require.NoError(t, c.Release(f))
	}
	assert.Equal(t, maxStash, c.stash[0].n)
	assert.Equal(t, free, freeLen(cl), "nothing spilled before the stash is full")

	require.NoError(t, c.Release(fs[maxStash]))
	assert.Equal(t, maxStash/2+1, c.stash[0].n)
	assert.Equal(t, free+maxStash/2, freeLen(cl), "half spilled")
	// The spilled run is the oldest half, in stash order, on top of the list.
	for _, want := range fs[:maxStash/2] {
		got := cl.pop()
		require.Same(t, want, got)
		defer cl.push(got, got)
	}
	// The newest frame is still the stash's top.
	assert.Same(t, fs[maxStash], c.stash[0].frames[c.stash[0].n-1])
	c.Flush()
}

// An empty stash refills with half its capacity in one batch.
func TestCacheRefillBatch(t *testing.T) {
	var c Cache
	cl := &classes[1]
	warm := make([]*Frame, 100)
	for i := range warm {
		warm[i] = Get(200)
	}
	for _, f := range warm {
		require.NoError(t, f.Release())
	}
	free := freeLen(cl)
	f := c.Get(200)
	assert.Equal(t, free-maxStash/2, freeLen(cl))
	assert.Equal(t, maxStash/2-1, c.stash[1].n)
	require.NoError(t, c.Release(f))
	c.Flush()
	assert.Equal(t, free, freeLen(cl))
	requireNoStranded(t)
}

func TestCacheFlush(t *testing.T) {
	var c Cache
	base := Stats()
	var fs []*Frame
	for i := range 500 {
		fs = append(fs, c.Get(stressSizes[i%len(stressSizes)]), c.Get(200<<10), Get(MaxPooled+1))
	}
	for _, f := range fs {
		require.NoError(t, c.Release(f))
	}
	assert.Equal(t, liveCounts(base), liveCounts(Stats()))
	assert.NotZero(t, stashed(&c))
	c.Flush()
	assert.Zero(t, stashed(&c))
	requireNoStranded(t)
	c.Flush() // Idempotent.
	requireNoStranded(t)
}

func TestCacheDoubleRelease(t *testing.T) {
	var c Cache
	for _, size := range []int{10, 1000, 200 << 10, MaxPooled + 1} {
		f := c.Get(size)
		require.NoError(t, c.Release(f))
		after, n := Stats(), stashed(&c)
		assert.ErrorIs(t, c.Release(f), ErrDoubleRelease)
		assert.ErrorIs(t, f.Release(), ErrDoubleRelease)
		assert.Equal(t, after, Stats(), "double release must not touch the pool")
		assert.Equal(t, n, stashed(&c), "a double release must not stash the frame again")
		assert.Equal(t, int32(0), f.Refs())
	}
	c.Flush()
	requireNoStranded(t)
}

// Frames of an unpooled or unstashed class never land in a stash.
func TestCacheBypass(t *testing.T) {
	var c Cache
	base := Stats()
	for _, size := range []int{200 << 10, MaxPooled, MaxPooled + 1} {
		require.NoError(t, c.Release(c.Get(size)))
	}
	assert.Zero(t, stashed(&c))
	assert.Equal(t, liveCounts(base), liveCounts(Stats()))
	requireNoStranded(t)
}

func TestPopBatch(t *testing.T) {
	cl := &newClasses()[1] // A private, empty class; its frames never reach Release.
	dst := make([]*Frame, 32)
	assert.Zero(t, cl.popBatch(dst))

	first := cl.growAndPop() // Index 0; pushes 1..255 in index order.
	require.NotNil(t, first)
	n := cl.popBatch(dst)
	require.Equal(t, 32, n)
	for i, f := range dst {
		assert.Equal(t, uint32(i+1), f.index)
	}
	assert.Equal(t, 255-32, freeLen(cl))

	// Push the batch back as a run and take everything.
	for i := range n - 1 {
		dst[i].freeNext.Store(dst[i+1].index + 1)
	}
	cl.push(dst[0], dst[n-1])
	big := make([]*Frame, 300)
	require.Equal(t, 255, cl.popBatch(big))
	seen := map[*Frame]bool{first: true}
	for _, f := range big[:255] {
		require.False(t, seen[f], "frame popped twice")
		seen[f] = true
	}
	assert.Zero(t, cl.popBatch(dst))

	// Junk indices do not resolve.
	assert.Nil(t, cl.lookup(1<<cl.shift))
	assert.Nil(t, cl.lookup(maxSlabs<<cl.shift))
	assert.Nil(t, cl.lookup(^uint32(0)))
	assert.Same(t, first, cl.lookup(0))
}

// TestStressCaches mixes, on the same classes, producer goroutines getting
// through their own Cache and handing frames to consumers that release
// through theirs (so stashes constantly refill by batch pop and spill by run
// push), with plain Get/Release goroutines hammering the shared heads. Every
// frame carries a token in its body; a frame handed out twice while live
// overwrites it (and, under -race, races).
func TestStressCaches(t *testing.T) {
	base := Stats()
	const pairs, hammers = 3, 2
	n := stressN() / 4
	sizes := []int{0, 8, 64, 65, 200, 256, 3000}
	var stop atomic.Bool
	var hw sync.WaitGroup
	errs := make(chan error, 2*pairs+hammers)
	for h := range hammers {
		hw.Add(1)
		go func() {
			defer hw.Done()
			var held []stamped
			for i := 0; !stop.Load(); i++ {
				f := Get(sizes[(i+h)%len(sizes)])
				tok := uint64(1<<62) | uint64(h)<<40 | uint64(i)
				stamp(f, tok)
				held = append(held, stamped{f, tok})
				if len(held) < 8 {
					continue
				}
				for _, s := range held {
					if err := checkStamp(s.f, s.tok); err != nil {
						errs <- err
						return
					}
					_ = s.f.Release()
				}
				held = held[:0]
			}
			for _, s := range held {
				_ = s.f.Release()
			}
			errs <- nil
		}()
	}
	var pw sync.WaitGroup
	for p := range pairs {
		ch := make(chan stamped, 128)
		pw.Add(2)
		go func() { // Consumer: check, then release through its own cache.
			defer pw.Done()
			var c Cache
			defer c.Flush()
			var first error
			for s := range ch {
				if err := checkStamp(s.f, s.tok); err != nil && first == nil {
					first = err
				}
				if err := c.Release(s.f); err != nil && first == nil {
					first = err
				}
			}
			errs <- first
		}()
		go func() { // Producer: get through its own cache; keep a third.
			defer pw.Done()
			defer close(ch)
			var c Cache
			defer c.Flush()
			var local []stamped
			for i := range n {
				f := c.Get(sizes[(i+p)%len(sizes)])
				tok := uint64(p)<<40 | uint64(i)
				stamp(f, tok)
				if i%3 != 0 {
					ch <- stamped{f, tok}
					continue
				}
				local = append(local, stamped{f, tok})
				if len(local) < 40 {
					continue
				}
				for _, s := range local {
					if err := checkStamp(s.f, s.tok); err != nil {
						errs <- err
						return
					}
					if err := c.Release(s.f); err != nil {
						errs <- err
						return
					}
				}
				local = local[:0]
			}
			for _, s := range local {
				_ = c.Release(s.f)
			}
			errs <- nil
		}()
	}
	pw.Wait()
	stop.Store(true)
	hw.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, liveCounts(base), liveCounts(Stats()), "every frame returned")
	requireNoStranded(t)
}
