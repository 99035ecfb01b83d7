//go:build !race

package mempool

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGetReleaseAllocs(t *testing.T) {
	for _, size := range []int{0, 64, 256, 1000, 4096, 16 << 10, 64 << 10, 256 << 10, MaxPooled} {
		Get(size).Release() // Warm the class so no slab is allocated below.
		allocs := testing.AllocsPerRun(1000, func() {
			f := Get(size)
			f.Retain()
			f.SetMore(true)
			_ = f.Release()
			_ = f.Release()
		})
		assert.Zero(t, allocs, "size %d", size)
	}
}

func TestChainAllocs(t *testing.T) {
	msg := []byte("hello")
	ReleaseChain(FromBytes(msg))
	allocs := testing.AllocsPerRun(1000, func() {
		a, b := FromBytes(msg), Get(300)
		a.SetNext(b)
		ReleaseChain(a)
	})
	assert.Zero(t, allocs)
}

// TestCacheAllocs cycles more frames than a stash holds through a Cache, so
// refills (batch pops) and spills (run pushes) are on the measured path.
func TestCacheAllocs(t *testing.T) {
	var c Cache
	var fs [3 * maxStash]*Frame
	msg := []byte("hello")
	for _, size := range []int{0, 64, 256, 1000, 4096, 16 << 10, 64 << 10, 256 << 10, MaxPooled} {
		// Three stashes' worth (one frame for unstashed classes), so the
		// big classes do not pin hundreds of MiB.
		n := 3 * max(classes[classOf(size)].stashCap, 1)
		cycle := func() {
			for i := range fs[:n] {
				fs[i] = c.Get(size)
			}
			for _, f := range fs[:n] {
				f.SetMore(true)
				f.SetNext(c.FromBytes(msg))
				c.ReleaseChain(f)
			}
		}
		cycle() // Warm the class so no slab is allocated below.
		allocs := testing.AllocsPerRun(100, cycle)
		assert.Zero(t, allocs, "size %d", size)
	}
	c.Flush()
}
