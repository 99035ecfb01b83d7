// Command inproc_lat is zring's equivalent of libzmq's inproc_lat:
//
//	inproc_lat [flags] <message-size> <roundtrip-count>
//
// The main goroutine's REQ socket binds inproc://lat_test; a worker
// goroutine's REP socket connects and echoes. As in libzmq, the stopwatch
// starts right after the worker is started, so its connect falls inside
// the measurement, and the reported latency is elapsed/(2*roundtrips):
// half the round-trip time. The output lines are remote_lat's.
package main

import (
	"os"

	"github.com/zring/zring/mempool"
	"github.com/zring/zring/perf/internal/perfutil"
	"github.com/zring/zring/socket"
)

const endpoint = "inproc://lat_test"

func main() {
	cfg := perfutil.Parse(perfutil.Tool{Name: "inproc_lat", Count: "roundtrip-count", MinCount: 1, NoEndpoint: true})
	cfg.StartProfile()

	ctx, err := socket.NewContext(socket.WithIOThreads(cfg.IOThreads), socket.WithCPUs(cfg.CPUs...))
	if err != nil {
		cfg.Fatalf("new context: %v", err)
	}
	s, err := ctx.NewSocket(socket.Req)
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
	watch := perfutil.StartStopwatch()
	roundtrips(cfg, s)
	elapsed := watch.Micros()
	<-done // like libzmq's join of the worker thread

	perfutil.PrintLatency(os.Stdout, cfg.Size, cfg.Count, elapsed)

	if err := s.Close(); err != nil {
		cfg.Fatalf("close: %v", err)
	}
	if err := ctx.Close(); err != nil {
		cfg.Fatalf("terminate context: %v", err)
	}
	cfg.StopProfile()
}

// worker connects a REP socket, echoes cfg.Count messages and closes it.
func worker(cfg *perfutil.Config, ctx *socket.Context) {
	s, err := ctx.NewSocket(socket.Rep)
	if err != nil {
		cfg.Fatalf("worker: new socket: %v", err)
	}
	if err := s.Connect(endpoint); err != nil {
		cfg.Fatalf("worker: connect %s: %v", endpoint, err)
	}
	for i := 0; i < cfg.Count; i++ {
		f, err := s.RecvFrame(0)
		if err != nil {
			cfg.Fatalf("worker: recv: %v", err)
		}
		// Echo the received frame itself: ownership passes to the socket.
		if err := s.SendFrame(f, 0); err != nil {
			f.Release()
			cfg.Fatalf("worker: send: %v", err)
		}
	}
	if err := s.Close(); err != nil {
		cfg.Fatalf("worker: close: %v", err)
	}
}

// roundtrips sends cfg.Count requests of cfg.Size bytes on s, receiving
// and checking each reply.
func roundtrips(cfg *perfutil.Config, s *socket.Socket) {
	for i := 0; i < cfg.Count; i++ {
		f := mempool.Get(cfg.Size)
		if err := s.SendFrame(f, 0); err != nil {
			f.Release() // on error the caller still owns the frame
			cfg.Fatalf("send: %v", err)
		}
		r, err := s.RecvFrame(0)
		if err != nil {
			cfg.Fatalf("recv: %v", err)
		}
		n := r.Len()
		r.Release()
		if n != cfg.Size {
			cfg.Fatalf("message of incorrect size received: %d, want %d", n, cfg.Size)
		}
	}
}
