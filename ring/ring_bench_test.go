package ring

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"
)

// backoff spins briefly and then yields, so a waiting side neither burns its
// CPU while the other side is descheduled nor pays a Gosched per miss.
func backoff(spins *int) {
	if *spins++; *spins > 64 {
		*spins = 0
		runtime.Gosched()
	}
}

// BenchmarkPingPong bounces one item between two goroutines through two
// rings, each side sleeping on a Waiter when its ring is empty: it measures
// the Flush → Wake → Read round trip that user goroutines pay, against the
// channel baseline below.
func BenchmarkPingPong(b *testing.B) {
	b.ReportAllocs()
	ping, pong := New[int](2), New[int](2)
	pingW, pongW := NewWaiter(), NewWaiter()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			v := readOrSleep(ping, pingW)
			writeAndWake(pong, pongW, v)
			if v < 0 {
				return
			}
		}
	}()
	for i := 0; b.Loop(); i++ {
		writeAndWake(ping, pingW, i)
		readOrSleep(pong, pongW)
	}
	writeAndWake(ping, pingW, -1)
	<-done
}

func writeAndWake(r *Ring[int], w *Waiter, v int) {
	r.Write(v)
	if r.Flush() {
		w.Wake()
	}
}

// readOrSleep reads one item, sleeping on w while the ring is empty.
func readOrSleep(r *Ring[int], w *Waiter) int {
	for {
		if v, ok := r.Read(); ok {
			r.Release()
			return v
		}
		w.Prepare()
		if asleep, _ := r.TrySleep(); !asleep {
			w.Cancel()
			continue
		}
		_ = w.Wait(context.Background(), time.Time{})
		r.Wake()
	}
}

// BenchmarkChanPingPong is the buffered-channel baseline for
// BenchmarkPingPong.
func BenchmarkChanPingPong(b *testing.B) {
	b.ReportAllocs()
	ping, pong := make(chan int, 1), make(chan int, 1)
	go func() {
		for v := range ping {
			pong <- v
		}
	}()
	for i := 0; b.Loop(); i++ {
		ping <- i
		<-pong
	}
	close(ping)
}

// BenchmarkThroughput streams items from a producer to a consumer goroutine,
// flushing every batch items; ns/op is per item.
func BenchmarkThroughput(b *testing.B) {
	for _, batch := range []int{1, 32} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			b.ReportAllocs()
			benchThroughput(b, New[int](1024), batch)
		})
	}
}

func benchThroughput(b *testing.B, r *Ring[int], batch int) {
	n := b.N
	done := make(chan struct{})
	go func() {
		defer close(done)
		spins := 0
		for got := 0; got < n; {
			if _, ok := r.Read(); ok {
				got++
				if got%batch == 0 {
					r.Release()
				}
				continue
			}
			r.Release()
			backoff(&spins)
		}
	}()
	b.ResetTimer()
	spins := 0
	for i := range n {
		for !r.Write(i) {
			r.Flush()
			backoff(&spins)
		}
		if (i+1)%batch == 0 {
			r.Flush()
		}
	}
	r.Flush()
	<-done
}

// BenchmarkChanThroughput is the buffered-channel baseline for
// BenchmarkThroughput.
func BenchmarkChanThroughput(b *testing.B) {
	b.ReportAllocs()
	ch := make(chan int, 1024)
	n := b.N
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range n {
			<-ch
		}
	}()
	b.ResetTimer()
	for i := range n {
		ch <- i
	}
	<-done
}
