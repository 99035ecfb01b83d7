package cpuhint

import (
	"testing"
	"unsafe"
)

// The hints must be harmless on any address a caller may pass, including
// nil, and Pause must return for any n.
func TestHintsAreHarmless(t *testing.T) {
	var x [128]byte
	PrefetchWrite(unsafe.Pointer(&x[0]))
	PrefetchWrite(unsafe.Pointer(&x[127]))
	PrefetchWrite(nil)
	x[5] = 7
	if x[5] != 7 {
		t.Fatal("prefetch changed memory")
	}
	for _, n := range []int{-1, 0, 1, 8} {
		Pause(n)
	}
}

func BenchmarkPause(b *testing.B) {
	for range b.N {
		Pause(1)
	}
}
