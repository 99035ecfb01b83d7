//go:build linux

package zmq4_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/zring/zring/internal/upstream"
	"strings"
	"testing"

	zmq4 "github.com/zring/zring/compat/gozmq4"
	"github.com/zring/zring/internal/testpeer"
)

// Upstream's programs, on the adapter, against libzmq peers.

// hwclient's REQ against a libzmq REP on its port.
func TestUpstreamHWClientLibzmqREP(t *testing.T) {
	upstream.LockPorts(t, 5555)
	bin := example(t, "hwclient")
	rep := testpeer.Start(t, "REP")
	rep.Bind("tcp://127.0.0.1:5555")
	client := run(t, bin)
	for i := range 10 {
		got := rep.Recv()
		if len(got) != 1 || string(got[0]) != "hello" {
			t.Fatalf("request %d: libzmq REP got %q, want [hello]", i, got)
		}
		rep.Send([]byte(fmt.Sprintf("World %d", i)))
	}
	out := client.Finish(t)
	for i := range 10 {
		if want := fmt.Sprintf(`received  Msg{Frames:{"World %d"}}`, i); !strings.Contains(out, want) {
			t.Fatalf("hwclient lacks %q:\n%s", want, out)
		}
	}
}

// A libzmq REQ against hwserver's REP.
func TestUpstreamHWServerLibzmqREQ(t *testing.T) {
	upstream.LockPorts(t, 5555)
	server := run(t, example(t, "hwserver"))
	req := testpeer.Start(t, "REQ")
	req.Connect("tcp://127.0.0.1:5555")
	for i := range 2 {
		req.Send([]byte(fmt.Sprintf("hello %d", i)))
		if got := req.Recv(); len(got) != 1 || string(got[0]) != "World" {
			t.Fatalf("reply %d: libzmq REQ got %q, want [World]", i, got)
		}
	}
	server.WaitFor(t, `Received  Msg{Frames:{"hello 1"}}`, 1, programTimeout)
}

// rrclient behind a broker (the zguide's rrbroker): the adapter's Proxy
// between a ROUTER on 5559 and a DEALER on 5560, where a libzmq REP works.
func TestUpstreamRRClientBroker(t *testing.T) {
	upstream.LockPorts(t, 5559, 5560)
	bin := example(t, "rrclient")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	front, back := zmq4.NewRouter(ctx), zmq4.NewDealer(ctx)
	defer front.Close()
	defer back.Close()
	if err := front.Listen("tcp://*:5559"); err != nil {
		t.Fatal(err)
	}
	if err := back.Listen("tcp://*:5560"); err != nil {
		t.Fatal(err)
	}
	proxy := zmq4.NewProxy(ctx, front, back, nil)
	ran := make(chan error, 1)
	go func() { ran <- proxy.Run() }()

	worker := testpeer.Start(t, "REP")
	worker.Connect("tcp://127.0.0.1:5560")
	client := run(t, bin)
	for i := range 10 {
		if got := worker.Recv(); len(got) != 1 || string(got[0]) != "Hello" {
			t.Fatalf("request %d: worker got %q, want [Hello]", i, got)
		}
		worker.Send([]byte(fmt.Sprintf("World-%d", i)))
	}
	out := client.Finish(t)
	for i := range 10 {
		if want := fmt.Sprintf(" received reply %d [World-%d]\n", i, i); !strings.Contains(out, want) {
			t.Fatalf("rrclient lacks %q:\n%s", want, out)
		}
	}
	cancel()
	if err := <-ran; !errors.Is(err, context.Canceled) {
		t.Fatalf("Proxy.Run after cancel: %v, want context.Canceled", err)
	}
}
