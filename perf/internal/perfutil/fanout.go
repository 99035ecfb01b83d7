package perfutil

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/zring/zring"
	"github.com/zring/zring/perf/perfmt"
)

// The fan-out pair (perf/pub_thr, perf/sub_thr): one XPUB publishing to
// Subs SUB sockets, losslessly, so that every subscriber receives exactly
// Count messages and the figures of zring and libzmq (bench/c/pub_thr.c,
// sub_thr.c) are measured under the same rule.

// Publisher makes pub_thr's XPUB and binds it to endpoint. XPUB_NODROP:
// a send waits while a subscriber's queue is full instead of dropping the
// message for it (as libzmq's blocking zmq_send does under
// ZMQ_XPUB_NODROP; with DontWait it would fail with ErrAgain).
// XPUB_VERBOSE: every subscriber's subscription reaches the application,
// not only the first one for a topic, so that AwaitSubscribers can count
// them. Infinite linger: Close delivers everything queued.
func (c *Config) Publisher(ctx *zring.Context, endpoint string) *zring.Socket {
	s, err := ctx.NewSocket(zring.XPub, zring.WithXPubNoDrop(true), zring.WithXPubVerbose(true),
		zring.WithLinger(-1))
	if err != nil {
		c.Fatalf("new socket: %v", err)
	}
	if err := s.Bind(endpoint); err != nil {
		c.Fatalf("bind %s: %v", endpoint, err)
	}
	return s
}

// AwaitSubscribers receives Subs subscription messages on the XPUB s, so
// that no message is published before every subscriber listens. Other
// messages (cancels, upstream data) are ignored.
func (c *Config) AwaitSubscribers(s *zring.Socket) {
	for n := 0; n < c.Subs; {
		f, err := s.RecvFrame(0)
		if err != nil {
			c.Fatalf("recv subscription: %v", err)
		}
		if b := f.Bytes(); len(b) > 0 && b[0] == 1 {
			n++
		}
		f.Release()
	}
}

// Span is when one subscriber received its first and its last message.
type Span struct{ First, Last time.Time }

// Subscribe opens Subs SUB sockets on ctx, each subscribed to everything
// and connected to endpoint, and receives Count messages of Size bytes on
// each, a goroutine per socket. It returns each subscriber's span once
// all are done; the sockets are closed.
func (c *Config) Subscribe(ctx *zring.Context, endpoint string) []Span {
	spans := make([]Span, c.Subs)
	var wg sync.WaitGroup
	for i := range spans {
		s := c.Open(ctx, zring.Sub, false, endpoint)
		if err := s.Subscribe(""); err != nil {
			c.Fatalf("subscribe: %v", err)
		}
		wg.Go(func() {
			spans[i] = c.receiveSpan(s)
			c.CloseSocket(s)
		})
	}
	wg.Wait()
	return spans
}

// receiveSpan receives Count messages on s, checking their size.
func (c *Config) receiveSpan(s *zring.Socket) Span {
	var sp Span
	for i := range c.Count {
		c.recvFrame(s).Release()
		if i == 0 {
			sp.First = time.Now()
		}
	}
	sp.Last = time.Now()
	return sp
}

// micros is whole microseconds from a to b, none if b is before a.
func micros(a, b time.Time) uint64 {
	d := b.Sub(a)
	if d < 0 {
		return 0
	}
	return uint64(d / time.Microsecond)
}

// FanoutRates computes sub_thr's figures from the subscribers' spans of
// count messages each: the aggregate rate, len(spans)*count over the time
// from the first message on any subscriber to the last message on any,
// and the slowest subscriber's rate, count over its own span (libzmq's
// local_thr formula for each). Both are in messages per second.
func FanoutRates(spans []Span, count int) (aggregate, slowest uint64) {
	if len(spans) == 0 {
		return 0, 0
	}
	first, last := spans[0].First, spans[0].Last
	for i, sp := range spans {
		if sp.First.Before(first) {
			first = sp.First
		}
		if sp.Last.After(last) {
			last = sp.Last
		}
		if r := perfmt.Rate(count, micros(sp.First, sp.Last)); i == 0 || r < slowest {
			slowest = r
		}
	}
	return perfmt.Rate(len(spans)*count, micros(first, last)), slowest
}

// PrintFanout prints sub_thr's lines: local_thr's four, where message
// count is the count per subscriber and the throughput the aggregate rate
// over all of them (FanoutRates), then the slowest subscriber's rate.
func PrintFanout(w io.Writer, size, count int, spans []Span) {
	aggregate, slowest := FanoutRates(spans, count)
	perfmt.PrintRate(w, size, count, aggregate)
	fmt.Fprintf(w, "slowest subscriber: %d [msg/s]\n", slowest)
}
