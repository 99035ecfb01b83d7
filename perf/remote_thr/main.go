// Command remote_thr is zring's equivalent of libzmq's remote_thr:
//
//	remote_thr [flags] <connect-to> <message-size> <message-count>
//
// A PUSH socket connects and sends message-count messages of message-size
// bytes, then closes (infinite linger) and terminates the context, so every
// message is delivered before the process exits. Prints nothing.
package main

import (
	"github.com/zring/zring/mempool"
	"github.com/zring/zring/perf/internal/perfutil"
	"github.com/zring/zring/socket"
)

func main() {
	cfg := perfutil.Parse(perfutil.Tool{Name: "remote_thr", Endpoint: "connect-to", Count: "message-count"})
	cfg.StartProfile()

	ctx, err := socket.NewContext(socket.WithIOThreads(cfg.IOThreads), socket.WithCPUs(cfg.CPUs...))
	if err != nil {
		cfg.Fatalf("new context: %v", err)
	}
	s, err := ctx.NewSocket(socket.Push)
	if err != nil {
		cfg.Fatalf("new socket: %v", err)
	}
	if err := s.Connect(cfg.Endpoint); err != nil {
		cfg.Fatalf("connect %s: %v", cfg.Endpoint, err)
	}

	for i := 0; i < cfg.Count; i++ {
		f := mempool.Get(cfg.Size)
		if err := s.SendFrame(f, 0); err != nil {
			f.Release() // on error the caller still owns the frame
			cfg.Fatalf("send: %v", err)
		}
	}

	// Close lingers until every queued message is sent; Close on the
	// context waits for it, like zmq_ctx_term.
	if err := s.Close(); err != nil {
		cfg.Fatalf("close: %v", err)
	}
	if err := ctx.Close(); err != nil {
		cfg.Fatalf("terminate context: %v", err)
	}
	cfg.StopProfile()
}
