//go:build !linux

package mempool

// Without mremap, large bodies live on the Go heap and growing copies them.

import (
	"errors"
	"math"
)

// maxHeapBytes keeps make from panicking on a size it cannot allocate:
// 1 TiB where int has 64 bits, 1 GiB (half the address space an int can
// index) where it has 32.
const maxHeapBytes = min(1<<40, math.MaxInt>>1+1)

var errTooBig = errors.New("beyond the heap's limit")

func mapBytes(n int) ([]byte, error) {
	if n > maxHeapBytes {
		return nil, errTooBig
	}
	return make([]byte, n), nil
}

func remapBytes(b []byte, n int) ([]byte, error) {
	if n > maxHeapBytes {
		return nil, errTooBig
	}
	nb := make([]byte, n)
	copy(nb, b)
	return nb, nil
}

func unmapBytes([]byte) {}

func largeLimit() int { return maxHeapBytes }
