// Command pub_thr is the publishing side of zring's fan-out throughput
// test (bench/c/pub_thr.c is its libzmq twin; perf/sub_thr measures):
//
//	pub_thr [flags] <bind-to> <message-size> <message-count> <subscribers>
//
// An XPUB socket binds and waits until <subscribers> subscription
// messages have arrived (XPUB_VERBOSE, so that each subscriber's reaches
// it), so that no message is published before every subscriber listens.
// It then publishes message-count messages of message-size bytes, each a
// pooled frame, and closes with infinite linger and terminates the
// context, so that everything queued is delivered before it exits.
//
// The test is lossless, so that every subscriber receives exactly
// message-count messages and zring and libzmq run under the same rule:
// XPUB_NODROP makes a send wait while a subscriber's queue is full instead
// of dropping the message for it. As in libzmq, the wait is the blocking
// send's own: with DontWait it would fail with ErrAgain, and polling for
// PollOut would not help, as an XPUB always reports PollOut (libzmq's
// dist_t::has_out is always true too). Prints nothing.
package main

import (
	"github.com/zring/zring/perf/internal/perfutil"
)

func main() {
	cfg := perfutil.Parse(perfutil.Tool{Name: "pub_thr", Endpoint: "bind-to", Count: "message-count",
		Subscribers: perfutil.SubscribersRequired})
	cfg.StartProfile()
	ctx := cfg.Context()
	s := cfg.Publisher(ctx, cfg.Endpoint)
	cfg.AwaitSubscribers(s)
	cfg.Send(s)
	cfg.CloseSocket(s)
	cfg.CloseContext(ctx)
}
