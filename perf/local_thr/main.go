// Command local_thr is zring's equivalent of libzmq's local_thr:
//
//	local_thr [flags] <bind-to> <message-size> <message-count> [curve]
//
// A PULL socket binds and receives message-count messages. The stopwatch
// starts after the first message; throughput is count/elapsed, as in libzmq.
// With -batch N it receives with RecvBatch, up to N messages a call (the
// stopwatch then starts after the first batch). Over udp://, where
// datagrams can be lost, it stops after a second without a message, times
// up to the last one, and prints the count received and a loss line.
package main

import (
	"os"

	"github.com/zring/zring/perf/internal/perfutil"
	"github.com/zring/zring/perf/perfmt"
)

func main() {
	cfg := perfutil.Parse(perfutil.Tool{Name: "local_thr", Endpoint: "bind-to", Count: "message-count", MinCount: 1, Curve: true, Batch: true})
	cfg.StartProfile()
	ctx := cfg.Context()
	s := cfg.Open(ctx, cfg.ReceiverType(), true, cfg.Endpoint)
	elapsed, got := cfg.Receive(s)
	perfmt.PrintThroughput(os.Stdout, cfg.Size, got, elapsed)
	if cfg.Lossy() {
		perfmt.PrintLoss(os.Stdout, cfg.Count-got, cfg.Count)
	}
	cfg.CloseSocket(s)
	cfg.CloseContext(ctx)
}
