// Command sub_thr is the measuring side of zring's fan-out throughput
// test (bench/c/sub_thr.c is its libzmq twin; perf/pub_thr publishes):
//
//	sub_thr [flags] <connect-to> <message-size> <message-count> [subscribers]
//
// It opens [subscribers] (1 when left out) SUB sockets on one context,
// each subscribed to everything and connected to the publisher, and
// receives message-count messages of message-size bytes on each, one
// goroutine per socket, checking their sizes and releasing each frame
// (nothing is allocated per message).
//
// It prints local_thr's four lines, where "message count" is the count per
// subscriber and the throughput is the aggregate delivered rate:
// subscribers*message-count over the time from the first message received
// on any subscriber to the last message received on any. Then
//
//	slowest subscriber: N [msg/s]
//
// the lowest of the subscribers' own rates, each message-count over the
// time from its first message to its last (libzmq's local_thr timing).
package main

import (
	"os"

	"github.com/zring/zring/perf/internal/perfutil"
)

func main() {
	cfg := perfutil.Parse(perfutil.Tool{Name: "sub_thr", Endpoint: "connect-to", Count: "message-count", MinCount: 1,
		Subscribers: perfutil.SubscribersOptional})
	cfg.StartProfile()
	ctx := cfg.Context()
	spans := cfg.Subscribe(ctx, cfg.Endpoint)
	perfutil.PrintFanout(os.Stdout, cfg.Size, cfg.Count, spans)
	cfg.CloseContext(ctx)
}
