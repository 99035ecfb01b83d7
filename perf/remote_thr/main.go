// Command remote_thr is zring's equivalent of libzmq's remote_thr:
//
//	remote_thr [flags] <connect-to> <message-size> <message-count> [curve]
//
// A PUSH socket connects (-connections N times over as many TCP
// connections, which it uses round-robin; 1 as in libzmq) and sends message-count messages of message-size
// bytes, then closes (infinite linger) and terminates the context, so every
// message is delivered before the process exits. Prints nothing. With
// -batch N it sends with SendBatch, N messages a call.
package main

import (
	"github.com/zring/zring/perf/internal/perfutil"
)

func main() {
	cfg := perfutil.Parse(perfutil.Tool{Name: "remote_thr", Endpoint: "connect-to", Count: "message-count", Connections: true, Curve: true, Batch: true})
	cfg.StartProfile()
	ctx := cfg.Context()
	s := cfg.Open(ctx, cfg.SenderType(), false, cfg.Endpoint)
	cfg.Send(s)
	// Close lingers until every queued message is sent; Close on the
	// context waits for it, like zmq_ctx_term.
	cfg.CloseSocket(s)
	cfg.CloseContext(ctx)
}
