// Command remote_lat is zring's equivalent of libzmq's remote_lat:
//
//	remote_lat [flags] <connect-to> <message-size> <roundtrip-count> [curve]
//
// A REQ socket connects and performs roundtrip-count request/reply round
// trips. As in libzmq, the stopwatch starts right after the asynchronous
// connect, so the handshake is inside the measurement, and the reported
// latency is elapsed/(2*roundtrips): half the round-trip time. A second
// line gives the p50, p90, p99, p99.9 and maximum of half of each round
// trip, timed one by one into a slice allocated before the loop, so timing
// allocates nothing per round trip (nearest rank; see perfmt.Percentile). [curve], as for remote_thr (an extension: libzmq's
// remote_lat has none), makes the REQ a CURVE client. With -router a DEALER
// makes the round trips, to a local_lat -router.
package main

import (
	"os"

	"github.com/zring/zring/perf/internal/perfutil"
	"github.com/zring/zring/perf/perfmt"
)

func main() {
	cfg := perfutil.Parse(perfutil.Tool{Name: "remote_lat", Endpoint: "connect-to", Count: "roundtrip-count", Curve: true, Router: true})
	cfg.StartProfile()
	ctx := cfg.Context()
	s := cfg.Open(ctx, cfg.ReqType(), false, cfg.Endpoint)
	laps := perfmt.NewLaps(cfg.Count)
	watch := perfmt.StartStopwatch()
	laps.Start()
	cfg.Roundtrips(s, laps)
	elapsed := watch.Micros()
	perfmt.PrintLatency(os.Stdout, cfg.Size, cfg.Count, elapsed)
	perfmt.PrintPercentiles(os.Stdout, laps.Roundtrips())
	cfg.CloseSocket(s)
	cfg.CloseContext(ctx)
}
