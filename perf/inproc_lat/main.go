// Command inproc_lat is zring's equivalent of libzmq's inproc_lat:
//
//	inproc_lat [flags] <message-size> <roundtrip-count>
//
// The main goroutine's REQ socket binds inproc://lat_test; a worker
// goroutine's REP socket connects and echoes. As in libzmq, the stopwatch
// starts right after the worker is started, so its connect falls inside
// the measurement, and the reported latency is elapsed/(2*roundtrips):
// half the round-trip time. The output lines are remote_lat's, percentiles
// included (zring's remote_lat prints them; libzmq's inproc_lat does not).
package main

import (
	"os"

	"github.com/zring/zring"
	"github.com/zring/zring/perf/internal/perfutil"
	"github.com/zring/zring/perf/perfmt"
)

const endpoint = "inproc://lat_test"

func main() {
	cfg := perfutil.Parse(perfutil.Tool{Name: "inproc_lat", Count: "roundtrip-count", MinCount: 1, NoEndpoint: true})
	cfg.StartProfile()
	ctx := cfg.Context()
	s := cfg.Open(ctx, zring.Req, true, endpoint)

	done := make(chan struct{})
	go func() { // the worker: a REP that echoes everything, then closes
		defer close(done)
		w := cfg.Open(ctx, zring.Rep, false, endpoint)
		cfg.Echo(w)
		cfg.CloseSocket(w)
	}()
	// As in libzmq, the worker's connect falls inside the measurement.
	laps := perfmt.NewLaps(cfg.Count)
	watch := perfmt.StartStopwatch()
	laps.Start()
	cfg.Roundtrips(s, laps)
	elapsed := watch.Micros()
	<-done // like libzmq's join of the worker thread

	perfmt.PrintLatency(os.Stdout, cfg.Size, cfg.Count, elapsed)
	perfmt.PrintPercentiles(os.Stdout, laps.Roundtrips())
	cfg.CloseSocket(s)
	cfg.CloseContext(ctx)
}
