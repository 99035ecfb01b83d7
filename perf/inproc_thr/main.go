// Command inproc_thr is zring's equivalent of libzmq's inproc_thr:
//
//	inproc_thr [flags] <message-size> <message-count>
//
// A worker goroutine's PUSH socket connects to inproc://thr_test and sends
// message-count messages of message-size bytes; the main goroutine's PULL
// socket binds inproc://thr_test and receives them. As in local_thr, the
// stopwatch starts after the first message and throughput is
// count/elapsed; the output lines are local_thr's.
package main

import (
	"os"

	"github.com/zring/zring/mempool"
	"github.com/zring/zring/perf/internal/perfutil"
	"github.com/zring/zring/socket"
)

const endpoint = "inproc://thr_test"

func main() {
	cfg := perfutil.Parse(perfutil.Tool{Name: "inproc_thr", Count: "message-count", MinCount: 1, NoEndpoint: true})
	cfg.StartProfile()

	ctx, err := socket.NewContext(socket.WithIOThreads(cfg.IOThreads), socket.WithCPUs(cfg.CPUs...))
	if err != nil {
		cfg.Fatalf("new context: %v", err)
	}
	s, err := ctx.NewSocket(socket.Pull)
	if err != nil {
		cfg.Fatalf("new socket: %v", err)
	}
	if err := s.Bind(endpoint); err != nil {
		cfg.Fatalf("bind %s: %v", endpoint, err)
	}

	done := make(chan struct{})
	go func() {
		defer close(done)
		worker(cfg, ctx)
	}()
	elapsed := receive(cfg, s)
	<-done // like libzmq's join of the worker thread

	perfutil.PrintThroughput(os.Stdout, cfg.Size, cfg.Count, elapsed)

	if err := s.Close(); err != nil {
		cfg.Fatalf("close: %v", err)
	}
	if err := ctx.Close(); err != nil {
		cfg.Fatalf("terminate context: %v", err)
	}
	cfg.StopProfile()
}

// worker connects a PUSH socket and sends cfg.Count pooled frames of
// cfg.Size bytes, then closes the socket.
func worker(cfg *perfutil.Config, ctx *socket.Context) {
	s, err := ctx.NewSocket(socket.Push)
	if err != nil {
		cfg.Fatalf("worker: new socket: %v", err)
	}
	if err := s.Connect(endpoint); err != nil {
		cfg.Fatalf("worker: connect %s: %v", endpoint, err)
	}
	for i := 0; i < cfg.Count; i++ {
		f := mempool.Get(cfg.Size)
		if err := s.SendFrame(f, 0); err != nil {
			f.Release() // on error the caller still owns the frame
			cfg.Fatalf("worker: send: %v", err)
		}
	}
	if err := s.Close(); err != nil {
		cfg.Fatalf("worker: close: %v", err)
	}
}

// receive receives cfg.Count messages on s, checking each one's size, and
// returns the microseconds elapsed since the first one arrived.
func receive(cfg *perfutil.Config, s *socket.Socket) uint64 {
	var watch perfutil.Stopwatch
	for i := 0; i < cfg.Count; i++ {
		f, err := s.RecvFrame(0)
		if err != nil {
			cfg.Fatalf("recv: %v", err)
		}
		n := f.Len()
		f.Release()
		if n != cfg.Size {
			cfg.Fatalf("message of incorrect size received: %d, want %d", n, cfg.Size)
		}
		if i == 0 {
			watch = perfutil.StartStopwatch()
		}
	}
	return watch.Micros()
}
