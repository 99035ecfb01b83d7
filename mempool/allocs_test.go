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
