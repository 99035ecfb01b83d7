// Command local_thr is zring's equivalent of libzmq's local_thr:
//
//	local_thr [flags] <bind-to> <message-size> <message-count>
//
// A PULL socket binds and receives message-count messages. The stopwatch
// starts after the first message; throughput is count/elapsed, as in libzmq.
package main

import (
	"os"

	"github.com/zring/zring/perf/internal/perfutil"
	"github.com/zring/zring/socket"
)

func main() {
	cfg := perfutil.Parse(perfutil.Tool{Name: "local_thr", Endpoint: "bind-to", Count: "message-count", MinCount: 1})
	cfg.StartProfile()

	ctx, err := socket.NewContext(socket.WithIOThreads(cfg.IOThreads), socket.WithCPUs(cfg.CPUs...))
	if err != nil {
		cfg.Fatalf("new context: %v", err)
	}
	s, err := ctx.NewSocket(socket.Pull)
	if err != nil {
		cfg.Fatalf("new socket: %v", err)
	}
	if err := s.Bind(cfg.Endpoint); err != nil {
		cfg.Fatalf("bind %s: %v", cfg.Endpoint, err)
	}

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
	elapsed := watch.Micros()

	perfutil.PrintThroughput(os.Stdout, cfg.Size, cfg.Count, elapsed)

	if err := s.Close(); err != nil {
		cfg.Fatalf("close: %v", err)
	}
	if err := ctx.Close(); err != nil {
		cfg.Fatalf("terminate context: %v", err)
	}
	cfg.StopProfile()
}
