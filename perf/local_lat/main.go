// Command local_lat is zring's equivalent of libzmq's local_lat:
//
//	local_lat [flags] <bind-to> <message-size> <roundtrip-count>
//
// A REP socket binds and echoes roundtrip-count messages, checking each
// one's size, then sleeps 1 s before closing, as in libzmq. Prints nothing.
package main

import (
	"time"

	"github.com/zring/zring/perf/internal/perfutil"
	"github.com/zring/zring/socket"
)

func main() {
	cfg := perfutil.Parse(perfutil.Tool{Name: "local_lat", Endpoint: "bind-to", Count: "roundtrip-count"})
	cfg.StartProfile()

	ctx, err := socket.NewContext(socket.WithIOThreads(cfg.IOThreads), socket.WithCPUs(cfg.CPUs...))
	if err != nil {
		cfg.Fatalf("new context: %v", err)
	}
	s, err := ctx.NewSocket(socket.Rep)
	if err != nil {
		cfg.Fatalf("new socket: %v", err)
	}
	if err := s.Bind(cfg.Endpoint); err != nil {
		cfg.Fatalf("bind %s: %v", cfg.Endpoint, err)
	}

	for i := 0; i < cfg.Count; i++ {
		f, err := s.RecvFrame(0)
		if err != nil {
			cfg.Fatalf("recv: %v", err)
		}
		if n := f.Len(); n != cfg.Size {
			f.Release()
			cfg.Fatalf("message of incorrect size received: %d, want %d", n, cfg.Size)
		}
		// Echo the received frame itself: ownership passes to the socket.
		if err := s.SendFrame(f, 0); err != nil {
			f.Release()
			cfg.Fatalf("send: %v", err)
		}
	}

	time.Sleep(time.Second)

	if err := s.Close(); err != nil {
		cfg.Fatalf("close: %v", err)
	}
	if err := ctx.Close(); err != nil {
		cfg.Fatalf("terminate context: %v", err)
	}
	cfg.StopProfile()
}
