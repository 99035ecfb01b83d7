// Command local_lat is zring's equivalent of libzmq's local_lat:
//
//	local_lat [flags] <bind-to> <message-size> <roundtrip-count> [curve]
//
// A REP socket binds and echoes roundtrip-count messages, checking each
// one's size, then sleeps 1 s before closing, as in libzmq. Prints nothing.
// [curve], as for local_thr (an extension: libzmq's local_lat has none),
// makes the REP a CURVE server. With -router a ROUTER echoes instead, the
// routing id going back first (DEALER/ROUTER round trips).
package main

import (
	"time"

	"github.com/zring/zring/perf/internal/perfutil"
)

func main() {
	cfg := perfutil.Parse(perfutil.Tool{Name: "local_lat", Endpoint: "bind-to", Count: "roundtrip-count", Curve: true, Router: true})
	cfg.StartProfile()
	ctx := cfg.Context()
	s := cfg.Open(ctx, cfg.RepType(), true, cfg.Endpoint)
	cfg.Echo(s)
	time.Sleep(time.Second)
	cfg.CloseSocket(s)
	cfg.CloseContext(ctx)
}
