// Command remote_lat is zring's equivalent of libzmq's remote_lat:
//
//	remote_lat [flags] <connect-to> <message-size> <roundtrip-count>
//
// A REQ socket connects and performs roundtrip-count request/reply round
// trips. As in libzmq, the stopwatch starts right after the asynchronous
// connect, so the handshake is inside the measurement, and the reported
// latency is elapsed/(2*roundtrips): half the round-trip time.
package main

import (
	"os"

	"github.com/zring/zring/mempool"
	"github.com/zring/zring/perf/internal/perfutil"
	"github.com/zring/zring/socket"
)

func main() {
	cfg := perfutil.Parse(perfutil.Tool{Name: "remote_lat", Endpoint: "connect-to", Count: "roundtrip-count", MinCount: 1})
	cfg.StartProfile()

	ctx, err := socket.NewContext(socket.WithIOThreads(cfg.IOThreads), socket.WithCPUs(cfg.CPUs...))
	if err != nil {
		cfg.Fatalf("new context: %v", err)
	}
	s, err := ctx.NewSocket(socket.Req)
	if err != nil {
		cfg.Fatalf("new socket: %v", err)
	}
	if err := s.Connect(cfg.Endpoint); err != nil {
		cfg.Fatalf("connect %s: %v", cfg.Endpoint, err)
	}

	watch := perfutil.StartStopwatch()
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
	elapsed := watch.Micros()

	perfutil.PrintLatency(os.Stdout, cfg.Size, cfg.Count, elapsed)

	if err := s.Close(); err != nil {
		cfg.Fatalf("close: %v", err)
	}
	if err := ctx.Close(); err != nil {
		cfg.Fatalf("terminate context: %v", err)
	}
	cfg.StopProfile()
}
