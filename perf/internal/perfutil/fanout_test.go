//go:build linux

package perfutil

import (
	"bytes"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/zring/zring"
)

var (
	pubThr = Tool{Name: "pub_thr", Endpoint: "bind-to", Count: "message-count", Subscribers: SubscribersRequired}
	subThr = Tool{Name: "sub_thr", Endpoint: "connect-to", Count: "message-count", MinCount: 1, Subscribers: SubscribersOptional}
)

func TestParseArgsSubscribers(t *testing.T) {
	cfg, err := ParseArgs(pubThr, []string{"-poller", "epoll", "tcp://127.0.0.1:5555", "64", "1000", "10"}, io.Discard)
	if err != nil || cfg.Subs != 10 || cfg.Count != 1000 || cfg.Size != 64 || cfg.Curve {
		t.Fatalf("pub_thr: got %+v, %v", cfg, err)
	}
	cfg, err = ParseArgs(subThr, []string{"tcp://127.0.0.1:5555", "64", "1000", "100"}, io.Discard)
	if err != nil || cfg.Subs != 100 || cfg.Curve {
		t.Fatalf("sub_thr: got %+v, %v", cfg, err)
	}
	cfg, err = ParseArgs(subThr, []string{"tcp://127.0.0.1:5555", "64", "1000"}, io.Discard)
	if err != nil || cfg.Subs != 1 {
		t.Fatalf("sub_thr default: got %+v, %v", cfg, err)
	}
	for _, tc := range []struct {
		tool Tool
		args []string
	}{
		{pubThr, []string{"tcp://127.0.0.1:5555", "64", "1000"}}, // <subscribers> is required
		{pubThr, []string{"tcp://127.0.0.1:5555", "64", "1000", "0"}},
		{pubThr, []string{"tcp://127.0.0.1:5555", "64", "1000", "10", "1"}},
		{subThr, []string{"tcp://127.0.0.1:5555", "64", "1000", "x"}},
		{subThr, []string{"tcp://127.0.0.1:5555", "64", "1000", "-1"}},
		{subThr, []string{"tcp://127.0.0.1:5555", "64", "0", "1"}},
	} {
		if _, err := ParseArgs(tc.tool, tc.args, io.Discard); err == nil {
			t.Errorf("%s %q: no error", tc.tool.Name, tc.args)
		}
	}
	for tool, want := range map[*Tool]string{
		&pubThr: "usage: pub_thr [flags] <bind-to> <message-size> <message-count> <subscribers>\n",
		&subThr: "usage: sub_thr [flags] <connect-to> <message-size> <message-count> [subscribers]\n",
	} {
		var usage bytes.Buffer
		if _, err := ParseArgs(*tool, nil, &usage); err == nil || !bytes.HasPrefix(usage.Bytes(), []byte(want)) {
			t.Errorf("%s: usage %q, want it to start %q", tool.Name, usage.String(), want)
		}
	}
}

func TestPrintFanout(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(us int) time.Time { return t0.Add(time.Duration(us) * time.Microsecond) }
	// Three subscribers of 1000 messages: the aggregate runs from the
	// earliest first message (0) to the latest last one (2000 µs); the
	// slowest took 1500 µs for its own 1000.
	spans := []Span{{at(0), at(1000)}, {at(100), at(1600)}, {at(1500), at(2000)}}
	var b bytes.Buffer
	PrintFanout(&b, 64, 1000, spans)
	want := "message size: 64 [B]\n" +
		"message count: 1000\n" +
		"mean throughput: 1500000 [msg/s]\n" +
		"mean throughput: 768.000 [Mb/s]\n" +
		"slowest subscriber: 666666 [msg/s]\n"
	if b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// TestFanout runs pub_thr's and sub_thr's logic in one process over TCP
// loopback: three subscribers must each get every one of 20000 messages,
// far more than the default high-water marks of 1000 hold, so the XPUB
// waits for room (XPUB_NODROP) on the way. A dropped message would leave a
// subscriber waiting: the test then fails on its timeout.
func TestFanout(t *testing.T) {
	const subs, size, count = 3, 64, 20000
	ctx, err := zring.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	cfg := &Config{Tool: pubThr, Size: size, Count: count, Subs: subs, Conns: 1}
	pub := cfg.Publisher(ctx, "tcp://127.0.0.1:*")
	ep := pub.Endpoint()
	published := publish(cfg, pub)
	got := make(chan []Span, 1)
	go func() { got <- cfg.Subscribe(ctx, ep) }()
	select {
	case spans := <-got:
		if len(spans) != subs {
			t.Fatalf("%d spans, want %d", len(spans), subs)
		}
		for i, sp := range spans {
			if sp.First.IsZero() || sp.Last.Before(sp.First) {
				t.Errorf("subscriber %d: span %v", i, sp)
			}
		}
	case <-time.After(60 * time.Second):
		t.Fatal("subscribers did not receive every message within 60 s (a message lost?)")
	}
	<-published
}

// fanoutMallocs runs the fan-out logic in process over TCP with subs
// subscribers and count messages and returns the heap allocations the
// whole process made meanwhile (I/O threads included).
func fanoutMallocs(t *testing.T, subs, count int) uint64 {
	t.Helper()
	ctx, err := zring.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	cfg := &Config{Tool: pubThr, Size: 64, Count: count, Subs: subs, Conns: 1}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	pub := cfg.Publisher(ctx, "tcp://127.0.0.1:*")
	published := publish(cfg, pub)
	cfg.Subscribe(ctx, pub.Endpoint())
	<-published
	runtime.ReadMemStats(&after)
	return after.Mallocs - before.Mallocs
}

// publish runs pub_thr's side on pub in a goroutine: it waits for the
// subscribers, sends, and closes pub. The channel is closed when it is done.
func publish(cfg *Config, pub *zring.Socket) <-chan struct{} {
	published := make(chan struct{})
	go func() {
		defer close(published)
		cfg.AwaitSubscribers(pub)
		cfg.Send(pub)
		cfg.CloseSocket(pub)
	}()
	return published
}
