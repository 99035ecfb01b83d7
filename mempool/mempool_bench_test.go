package mempool

import (
	"fmt"
	"sync"
	"testing"
)

var benchSizes = []int{64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20}

// BenchmarkGetRelease measures one Get plus one Release per class.
func BenchmarkGetRelease(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Get(size).Release()
			}
		})
	}
}

// BenchmarkGetReleaseParallel runs Get+Release on every P at once, so the
// class's free-list head is contended.
func BenchmarkGetReleaseParallel(b *testing.B) {
	for _, size := range []int{64, 4 << 10} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					Get(size).Release()
				}
			})
		})
	}
}

var sink []byte

// BenchmarkMakeBytes is the baseline: a fresh make([]byte) per message,
// reclaimed by the GC.
func BenchmarkMakeBytes(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink = make([]byte, size)
			}
		})
	}
}

// mutexStack is the alternative free list BenchmarkFreeList compares the
// lock-free one against.
type mutexStack struct {
	mu    sync.Mutex
	items []*Frame
}

func (s *mutexStack) pop() *Frame {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.items)
	if n == 0 {
		return nil
	}
	f := s.items[n-1]
	s.items = s.items[:n-1]
	return f
}

func (s *mutexStack) push(f *Frame) {
	s.mu.Lock()
	s.items = append(s.items, f)
	s.mu.Unlock()
}

// BenchmarkFreeList compares the tagged-index Treiber stack with a
// mutex-protected slice stack, serially and with every P contending.
func BenchmarkFreeList(b *testing.B) {
	c := &classes[0]
	Get(1).Release() // Ensure the class has a slab.
	ms := &mutexStack{}
	for range 64 {
		ms.push(new(Frame))
	}
	b.Run("lockfree", func(b *testing.B) {
		for b.Loop() {
			f := c.popOne()
			c.pushRun(f, 1)
		}
	})
	b.Run("mutex", func(b *testing.B) {
		for b.Loop() {
			ms.push(ms.pop())
		}
	})
	b.Run("lockfree-parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				f := c.popOne()
				c.pushRun(f, 1)
			}
		})
	})
	b.Run("mutex-parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				ms.push(ms.pop())
			}
		})
	})
}
