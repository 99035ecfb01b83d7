//go:build linux

package perfutil

import (
	"io"
	"testing"

	"github.com/zring/zring"
)

// -batch and -router select the loops and socket types the tools run.
func TestBatchAndRouterFlags(t *testing.T) {
	thr := Tool{Name: "local_thr", Endpoint: "bind-to", Count: "message-count", MinCount: 1, Batch: true}
	cfg, err := ParseArgs(thr, []string{"-batch", "64", "tcp://127.0.0.1:5555", "64", "10"}, io.Discard)
	if err != nil || cfg.Batch != 64 {
		t.Fatalf("got %+v, %v", cfg, err)
	}
	if _, err := ParseArgs(thr, []string{"-batch", "-1", "tcp://127.0.0.1:5555", "64", "10"}, io.Discard); err == nil {
		t.Fatal("-batch -1 accepted")
	}
	if _, err := ParseArgs(localThr, []string{"-batch", "8", "tcp://127.0.0.1:5555", "64", "10"}, io.Discard); err == nil {
		t.Fatal("-batch accepted by a tool without Batch")
	}
	lat := Tool{Name: "local_lat", Endpoint: "bind-to", Count: "roundtrip-count", Router: true}
	cfg, err = ParseArgs(lat, []string{"-router", "tcp://127.0.0.1:5555", "64", "10"}, io.Discard)
	if err != nil || !cfg.Router || cfg.ReqType() != zring.Dealer || cfg.RepType() != zring.Router {
		t.Fatalf("got %+v, %v", cfg, err)
	}
	if cfg, _ = ParseArgs(lat, []string{"tcp://127.0.0.1:5555", "64", "10"}, io.Discard); cfg.ReqType() != zring.Req || cfg.RepType() != zring.Rep {
		t.Fatalf("default types: %v %v", cfg.ReqType(), cfg.RepType())
	}
}

// The batch loops move every message (a count that is no multiple of the
// batch), and the DEALER/ROUTER round trips complete, over TCP.
func TestLoops(t *testing.T) {
	ctx, err := zring.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	for _, router := range []bool{false, true} {
		cfg := &Config{Size: 64, Count: 1000, Conns: 1, Batch: 37, Router: router}
		pull := cfg.Open(ctx, zring.Pull, true, "tcp://127.0.0.1:*")
		push := cfg.Open(ctx, zring.Push, false, pull.Endpoint())
		go cfg.Send(push)
		if _, got := cfg.Receive(pull); got != cfg.Count { // Fatalf on a wrong size
			t.Fatalf("received %d of %d", got, cfg.Count)
		}
		rep := cfg.Open(ctx, cfg.RepType(), true, "tcp://127.0.0.1:*")
		req := cfg.Open(ctx, cfg.ReqType(), false, rep.Endpoint())
		go cfg.Echo(rep)
		cfg.Roundtrips(req, nil)
		for _, s := range []*zring.Socket{pull, push, rep, req} {
			cfg.CloseSocket(s)
		}
	}
}

// Over udp:// a DISH's receive loop ends at a second of silence and
// reports what arrived: here 100 of the 150 it was told to expect, all
// timed, with the group checked on each.
func TestLossyReceive(t *testing.T) {
	ctx, err := zring.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	cfg := &Config{Size: 64, Count: 150, Conns: 1, Pattern: "radio"}
	dish := cfg.Open(ctx, zring.Dish, true, "udp://127.0.0.1:*")
	cfg.Endpoint = dish.Endpoint()
	if !cfg.Lossy() {
		t.Fatalf("%s is not lossy", cfg.Endpoint)
	}
	sender := *cfg
	sender.Count = 100 // few enough that loopback keeps them all
	radio := sender.Open(ctx, zring.Radio, false, cfg.Endpoint)
	go sender.Send(radio)
	elapsed, got := cfg.Receive(dish)
	if got != 100 || elapsed == 0 || elapsed > uint64(LossyIdle.Microseconds()) {
		t.Fatalf("got %d messages in %d us, want 100 within %v", got, elapsed, LossyIdle)
	}
	sender.CloseSocket(radio)
	cfg.CloseSocket(dish)
}
