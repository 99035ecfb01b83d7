//go:build linux

package zmq4_test

import (
	"github.com/zring/zring/internal/upstream"
	"strings"
	"testing"
)

// The upstream example programs, unchanged but for the import, run in
// their natural pairs. They hard-code their ports, so they run one at a
// time (no t.Parallel, and upstream.LockPorts against other packages).

// hwserver answers "World" to each request, a second apart; hwclient sends
// ten "hello" and prints each reply.
func TestUpstreamHelloWorld(t *testing.T) {
	upstream.LockPorts(t, 5555)
	server := run(t, example(t, "hwserver"))
	client := run(t, example(t, "hwclient"))
	out := client.Finish(t)
	if got := strings.Count(out, `received  Msg{Frames:{"World"}}`); got != 10 {
		t.Fatalf("hwclient got %d replies, want 10:\n%s", got, out)
	}
	if got := strings.Count(out, `sending  Msg{Frames:{"hello"}}`); got != 10 {
		t.Fatalf("hwclient sent %d requests, want 10:\n%s", got, out)
	}
	srv := server.WaitFor(t, `Received  Msg{Frames:{"hello"}}`, 10, programTimeout)
	if strings.Contains(srv, "hwserver:") { // its log.Fatalf
		t.Fatalf("hwserver failed:\n%s", srv)
	}
}

// psenvpub publishes an "A" and a "B" envelope every second; psenvsub
// subscribes to "B" and logs each message it gets.
func TestUpstreamPubSubEnvelope(t *testing.T) {
	upstream.LockPorts(t, 5563)
	pub := run(t, example(t, "psenvpub"))
	sub := run(t, example(t, "psenvsub"))
	out := sub.WaitFor(t, " [B] We would like to see this\n", 2, programTimeout)
	if strings.Contains(out, "[A]") {
		t.Fatalf("psenvsub got an envelope it did not subscribe to:\n%s", out)
	}
	if !strings.HasPrefix(out, "psenvsub: ") || strings.Contains(out, "could not") {
		t.Fatalf("psenvsub failed:\n%s", out)
	}
	sub.Kill()
	pub.Kill()
	if out := pub.Output(); out != "" {
		t.Fatalf("psenvpub printed (an error):\n%s", out)
	}
}

// rtdealer runs a ROUTER (upstream's NewCRouter, libzmq-backed there) and
// ten DEALER workers, which it fires at random; it exits once all are.
func TestUpstreamRouterDealer(t *testing.T) {
	upstream.LockPorts(t, 5671)
	out := run(t, example(t, "rtdealer")).Finish(t)
	if got := strings.Count(out, " tasks\n"); got != 10 {
		t.Fatalf("%d dealers reported their tasks, want 10:\n%s", got, out)
	}
	for i := range 10 {
		if !strings.Contains(out, "dealer "+string(rune('0'+i))+" completed ") {
			t.Fatalf("dealer %d did not complete:\n%s", i, out)
		}
	}
	if !strings.Contains(out, "fired everybody.") {
		t.Fatalf("rtdealer did not finish:\n%s", out)
	}
}

// rrworker is a REP listening on 5559 and rrclient a REQ dialing 5559: in
// upstream's v0.17.0 examples they talk directly (the zguide's rrbroker,
// between 5559 and 5560, has no place there, as rrworker binds 5559
// itself). TestUpstreamRRClientBroker puts rrclient behind a broker.
func TestUpstreamRequestReply(t *testing.T) {
	upstream.LockPorts(t, 5559)
	worker := run(t, example(t, "rrworker"))
	out := run(t, example(t, "rrclient")).Finish(t)
	for i := range 10 {
		if want := " received reply " + string(rune('0'+i)) + " [World]\n"; !strings.Contains(out, want) {
			t.Fatalf("rrclient lacks %q:\n%s", want, out)
		}
	}
	worker.WaitFor(t, " received request: [Hello]\n", 10, programTimeout)
}
