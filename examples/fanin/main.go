// Command fanin shows telemetry fan-in with a poller (zguide chapter 2,
// "Sockets and Patterns", handling multiple sockets). Each source has its
// own PULL socket fed by a sender; one goroutine waits on all of them in a
// zring.Poller, reads whichever is ready, and keeps per-source totals.
// Every sample is a two-part message: [source, value].
//
//	go run ./examples/fanin -sources 4 -samples 1000
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"

	"github.com/zring/zring"
)

type config struct {
	// Endpoint names the sources' endpoints: one ending in ":*" is used
	// for every source as is, any other gets "-<source>" appended.
	Endpoint string
	Sources  int // senders, each with its own PULL socket
	Samples  int // samples each sender sends
}

func main() {
	var cfg config
	flag.StringVar(&cfg.Endpoint, "endpoint", "inproc://telemetry", "endpoint name, or tcp://host:*")
	flag.IntVar(&cfg.Sources, "sources", 4, "telemetry sources")
	flag.IntVar(&cfg.Samples, "samples", 1000, "samples per source")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "fanin:", err)
		os.Exit(1)
	}
}

// totals is what the aggregator knows about one source.
type totals struct {
	samples int
	sum     int64
	min     int64
	max     int64
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	zctx, err := zring.NewContext()
	if err != nil {
		return err
	}
	defer zctx.Close()

	var items []zring.PollItem
	for i := range cfg.Sources {
		pull, err := zctx.NewSocket(zring.Pull)
		if err != nil {
			return err
		}
		endpoint := cfg.Endpoint
		if !strings.HasSuffix(endpoint, ":*") {
			endpoint = fmt.Sprintf("%s-%d", endpoint, i)
		}
		if err := pull.Bind(endpoint); err != nil {
			return err
		}
		items = append(items, zring.PollItem{Socket: pull, Events: zring.PollIn})
	}

	sent := make(chan error, cfg.Sources)
	for i, it := range items {
		go func() { sent <- send(zctx, it.Socket.Endpoint(), fmt.Sprintf("source-%d", i), i+1, cfg.Samples) }()
	}
	stats, err := aggregate(ctx, items, cfg.Sources*cfg.Samples)
	for range cfg.Sources {
		err = errors.Join(err, <-sent)
	}
	if err != nil {
		return err
	}
	for i := range cfg.Sources {
		name := fmt.Sprintf("source-%d", i)
		t := stats[name]
		fmt.Fprintf(out, "%s: %d samples, sum %d, min %d, max %d\n", name, t.samples, t.sum, t.min, t.max)
	}
	return nil
}

// send sends n samples from one source: scale, 2*scale, ... n*scale.
func send(zctx *zring.Context, endpoint, name string, scale, n int) error {
	push, err := zctx.NewSocket(zring.Push)
	if err != nil {
		return err
	}
	defer push.Close() // linger: what is queued is still delivered
	if err := push.Connect(endpoint); err != nil {
		return err
	}
	for v := 1; v <= n; v++ {
		if err := push.SendMulti([][]byte{[]byte(name), strconv.AppendInt(nil, int64(v*scale), 10)}, 0); err != nil {
			return err
		}
	}
	return nil
}

// aggregate polls every source's socket until total samples have arrived.
func aggregate(ctx context.Context, items []zring.PollItem, total int) (map[string]*totals, error) {
	poller, err := zring.NewPoller(items...)
	if err != nil {
		return nil, err
	}
	defer poller.Close()
	stats := map[string]*totals{}
	for got := 0; got < total; {
		ready, err := poller.WaitContext(ctx, -1)
		if err != nil {
			return nil, err
		}
		for _, r := range ready {
			// Drain what is there without blocking, so one busy source
			// cannot hold the others back for long.
			for range 64 {
				msg, err := r.Socket.RecvMulti(zring.DontWait)
				if errors.Is(err, zring.ErrAgain) {
					break
				}
				if err != nil {
					return nil, err
				}
				if err := add(stats, msg); err != nil {
					return nil, err
				}
				got++
			}
		}
	}
	return stats, nil
}

func add(stats map[string]*totals, msg [][]byte) error {
	if len(msg) != 2 {
		return fmt.Errorf("malformed sample %q", msg)
	}
	v, err := strconv.ParseInt(string(msg[1]), 10, 64)
	if err != nil {
		return fmt.Errorf("sample %q: %w", msg, err)
	}
	t := stats[string(msg[0])]
	if t == nil {
		t = &totals{min: v, max: v}
		stats[string(msg[0])] = t
	}
	t.samples++
	t.sum += v
	t.min = min(t.min, v)
	t.max = max(t.max, v)
	return nil
}
