package ring

import (
	"sync"
	"testing"
	"unsafe"

	"github.com/zring/zring/internal/cpuhint"
	"github.com/zring/zring/mempool"
)

// BenchmarkFloor streams 64 B messages between two goroutines the way an
// inproc socket pair does, built up from its parts: the bare ring (a flush
// per message, a release per 32, the reader pausing on an empty ring), then
// a mutex on each side (sockets are safe for concurrent use), then a pooled
// frame per message (Get on the writer, Release on the reader), then both.
// ns/op is per message; it bounds what inproc throughput can reach with
// these parts (docs/performance.md).
func BenchmarkFloor(b *testing.B) {
	for _, c := range []struct {
		name        string
		lock, frame bool
	}{{"ring", false, false}, {"ring+mutex", true, false}, {"ring+frame", false, true}, {"ring+mutex+frame", true, true}} {
		b.Run(c.name, func(b *testing.B) { benchFloor(b, c.lock, c.frame) })
	}
}

// paddedMutex keeps the two sides' mutexes off one cache line, as two
// sockets' are.
type paddedMutex struct {
	sync.Mutex
	_ [120]byte
}

func benchFloor(b *testing.B, lock, frame bool) {
	r := New[*mempool.Frame](2048)
	var wmu, rmu paddedMutex
	fixed := mempool.Get(64)
	n := b.N
	done := make(chan struct{})
	go func() {
		defer close(done)
		for got := 0; got < n; {
			if lock {
				rmu.Lock()
			}
			f, ok := r.Read()
			if ok {
				if next, ok := r.Ahead(4); ok {
					cpuhint.PrefetchWrite(unsafe.Pointer(next))
				}
				if got%32 == 31 {
					r.Release()
				}
			}
			if lock {
				rmu.Unlock()
			}
			if !ok {
				r.Release()
				cpuhint.Pause(4)
				continue
			}
			if f.Len() != 64 {
				panic("wrong frame")
			}
			if frame {
				f.Release()
			}
			got++
		}
	}()
	b.ResetTimer()
	for range n {
		f := fixed
		if frame {
			f = mempool.Get(64)
		}
		if lock {
			wmu.Lock()
		}
		for !r.Write(f) {
			r.Flush()
		}
		r.Flush()
		if lock {
			wmu.Unlock()
		}
	}
	<-done
	fixed.Release()
}
