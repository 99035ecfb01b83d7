//go:build linux

package zmq4_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	zmq "github.com/zring/zring/compat/pebbe"
	"github.com/zring/zring/internal/testpeer"
)

// The adapter against real libzmq 4.3 peers (internal/testpeer): the
// patterns pebbe/zmq4 programs use, over tcp, both ways round.

func TestInteropReqRep(t *testing.T) {
	t.Run("adapter REQ, libzmq REP", func(t *testing.T) {
		rep := startPeer(t, "REP")
		ep := rep.Bind("tcp://127.0.0.1:*")
		req := newSocket(t, newContext(t), zmq.REQ)
		recvTimeout(t, req)
		check(t, "Connect", req.Connect(ep))
		done := make(chan struct{})
		go func() { defer close(done); rep.Echo(3) }()
		for i := range 3 {
			body := fmt.Sprintf("request %d", i)
			if n, err := req.Send(body, 0); err != nil || n != len(body) {
				t.Fatalf("Send: %d %v", n, err)
			}
			got, err := req.Recv(0)
			check(t, "Recv", err)
			if got != body {
				t.Fatalf("reply %q, want %q", got, body)
			}
		}
		<-done
	})
	t.Run("libzmq REQ, adapter REP", func(t *testing.T) {
		rep := newSocket(t, newContext(t), zmq.REP)
		recvTimeout(t, rep)
		ep := bindAny(t, rep)
		req := startPeer(t, "REQ")
		req.Connect(ep)
		for i := range 3 {
			req.Send([]byte(fmt.Sprintf("ping %d", i)), []byte("second part"))
			msg, err := rep.RecvMessage(0)
			check(t, "RecvMessage", err)
			if want := []string{fmt.Sprintf("ping %d", i), "second part"}; !equal(msg, want) {
				t.Fatalf("request %q, want %q", msg, want)
			}
			if _, err := rep.SendMessage("pong", i); err != nil {
				t.Fatal("SendMessage:", err)
			}
			reply := req.Recv()
			if len(reply) != 2 || string(reply[0]) != "pong" || string(reply[1]) != fmt.Sprint(i) {
				t.Fatalf("reply %q", reply)
			}
		}
	})
}

func TestInteropPubSub(t *testing.T) {
	t.Run("adapter PUB, libzmq SUB", func(t *testing.T) {
		pub := newSocket(t, newContext(t), zmq.PUB)
		ep := bindAny(t, pub)
		sub := startPeer(t, "SUB")
		sub.SetOption("SUBSCRIBE", "weather")
		sub.SetOption("RCVTIMEO", 100)
		sub.Connect(ep)
		// Until the subscription has arrived (the slow joiner), publish
		// again; the other topic must never show up.
		deadline := time.Now().Add(5 * time.Second)
		for {
			if _, err := pub.SendMessage("sport", "result"); err != nil {
				t.Fatal(err)
			}
			if _, err := pub.SendMessage("weather", "sunny"); err != nil {
				t.Fatal(err)
			}
			msg, err := sub.TryRecv()
			if errors.Is(err, testpeer.ErrAgain) && time.Now().Before(deadline) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(msg) != 2 || string(msg[0]) != "weather" || string(msg[1]) != "sunny" {
				t.Fatalf("SUB received %q", msg)
			}
			return
		}
	})
	t.Run("libzmq PUB, adapter SUB", func(t *testing.T) {
		pub := startPeer(t, "PUB")
		ep := pub.Bind("tcp://127.0.0.1:*")
		sub := newSocket(t, newContext(t), zmq.SUB)
		check(t, "SetSubscribe", sub.SetSubscribe("weather"))
		check(t, "SetRcvtimeo", sub.SetRcvtimeo(100*time.Millisecond))
		check(t, "Connect", sub.Connect(ep))
		deadline := time.Now().Add(5 * time.Second)
		for {
			pub.Send([]byte("sport"), []byte("result"))
			pub.Send([]byte("weather"), []byte("rain"))
			msg, err := sub.RecvMessage(0)
			if zmq.AsErrno(err) == zmq.EAGAIN && time.Now().Before(deadline) {
				continue
			}
			check(t, "RecvMessage", err)
			if !equal(msg, []string{"weather", "rain"}) {
				t.Fatalf("SUB received %q", msg)
			}
			break
		}
		// Unsubscribed, "weather" no longer arrives. Subscriptions travel
		// in order: once a message of a topic subscribed after the
		// unsubscription arrives, the publisher has the unsubscription.
		check(t, "SetUnsubscribe", sub.SetUnsubscribe("weather"))
		check(t, "SetSubscribe", sub.SetSubscribe("sync"))
		deadline = time.Now().Add(5 * time.Second)
		for {
			pub.Send([]byte("sync"))
			msg, err := sub.RecvMessage(0)
			if zmq.AsErrno(err) == zmq.EAGAIN && time.Now().Before(deadline) {
				continue
			}
			check(t, "RecvMessage", err)
			if msg[0] == "sync" {
				break
			}
			// "weather" messages sent before the unsubscription arrived.
		}
		check(t, "SetRcvtimeo", sub.SetRcvtimeo(5*time.Second))
		pub.Send([]byte("weather"), []byte("snow"))
		pub.Send([]byte("sync"))
		for {
			msg, err := sub.RecvMessage(0)
			check(t, "RecvMessage", err)
			if msg[0] == "weather" {
				t.Fatalf("after SetUnsubscribe: received %q", msg)
			}
			if msg[0] == "sync" && len(msg) == 1 {
				return // the marker sent after "snow": nothing else came
			}
		}
	})
}

func TestInteropRouterDealer(t *testing.T) {
	t.Run("adapter ROUTER, libzmq DEALER", func(t *testing.T) {
		router := newSocket(t, newContext(t), zmq.ROUTER)
		recvTimeout(t, router)
		ep := bindAny(t, router)
		dealer := startPeer(t, "DEALER")
		dealer.SetOption("ROUTING_ID", "peer-1")
		dealer.Connect(ep)
		dealer.Send([]byte("job"), []byte{}, []byte("payload"))
		msg, err := router.RecvMessageBytes(0)
		check(t, "RecvMessageBytes", err)
		if len(msg) != 4 || string(msg[0]) != "peer-1" || string(msg[1]) != "job" || len(msg[2]) != 0 || string(msg[3]) != "payload" {
			t.Fatalf("ROUTER received %q", msg)
		}
		// Mixed parts: a string, a [][]byte spread over frames, a []string
		// and a number turned to text.
		total, err := router.SendMessage(msg[0], [][]byte{[]byte("done"), {}}, []string{"a", "bc"}, 42)
		check(t, "SendMessage", err)
		if total != len("peer-1done"+"abc42") {
			t.Fatalf("SendMessage returned %d", total)
		}
		got := dealer.Recv()
		want := []string{"done", "", "a", "bc", "42"}
		if len(got) != len(want) {
			t.Fatalf("DEALER received %q, want %q", got, want)
		}
		for i := range want {
			if string(got[i]) != want[i] {
				t.Fatalf("DEALER received %q, want %q", got, want)
			}
		}
	})
	t.Run("libzmq ROUTER, adapter DEALER", func(t *testing.T) {
		router := startPeer(t, "ROUTER")
		ep := router.Bind("tcp://127.0.0.1:*")
		dealer := newSocket(t, newContext(t), zmq.DEALER)
		recvTimeout(t, dealer)
		check(t, "SetIdentity", dealer.SetIdentity("adapter"))
		check(t, "Connect", dealer.Connect(ep))
		if _, err := dealer.SendMessage("hello", []string{"x", "y"}); err != nil {
			t.Fatal(err)
		}
		msg := router.Recv()
		if len(msg) != 4 || string(msg[0]) != "adapter" || string(msg[1]) != "hello" || string(msg[3]) != "y" {
			t.Fatalf("ROUTER received %q", msg)
		}
		router.Send([]byte("adapter"), []byte("world"), []byte("!"))
		got, err := dealer.RecvMessage(0)
		check(t, "RecvMessage", err)
		if !equal(got, []string{"world", "!"}) {
			t.Fatalf("DEALER received %q", got)
		}
	})
}

// CURVE: the adapter's client (ClientAuthCurve) against libzmq's server,
// whose ZAP handler lists the client's key; a client it does not list
// gets nothing through.
func TestInteropCurveClient(t *testing.T) {
	serverPub, serverSec, err := zmq.NewCurveKeypair()
	check(t, "NewCurveKeypair", err)
	clientPub, clientSec, err := zmq.NewCurveKeypair()
	check(t, "NewCurveKeypair", err)

	server := startPeer(t, "REP")
	server.ZAP("CURVE:" + clientPub)
	server.SetOption("CURVE_SERVER", 1)
	server.SetOption("CURVE_SECRETKEY", serverSec)
	server.SetOption("ZAP_DOMAIN", "test")
	ep := server.Bind("tcp://127.0.0.1:*")

	ctx := newContext(t)
	client := newSocket(t, ctx, zmq.REQ)
	recvTimeout(t, client)
	check(t, "ClientAuthCurve", client.ClientAuthCurve(serverPub, clientPub, clientSec))
	if m, err := client.GetMechanism(); m != zmq.CURVE || err != nil {
		t.Fatalf("GetMechanism: %v %v", m, err)
	}
	if k, err := client.GetCurveServerkeyZ85(); k != serverPub || err != nil {
		t.Fatalf("GetCurveServerkeyZ85: %q %v", k, err)
	}
	check(t, "Connect", client.Connect(ep))
	done := make(chan struct{})
	go func() { defer close(done); server.Echo(1) }()
	if _, err := client.SendMessage("secret", "message"); err != nil {
		t.Fatal(err)
	}
	got, err := client.RecvMessage(0)
	check(t, "RecvMessage", err)
	if !equal(got, []string{"secret", "message"}) {
		t.Fatalf("echo %q", got)
	}
	<-done

	// A client whose key the server's handler does not list.
	otherPub, otherSec, _ := zmq.NewCurveKeypair()
	stranger := newSocket(t, ctx, zmq.DEALER)
	check(t, "SetRcvtimeo", stranger.SetRcvtimeo(300*time.Millisecond))
	check(t, "ClientAuthCurve", stranger.ClientAuthCurve(serverPub, otherPub, otherSec))
	mon := monitor(t, ctx, stranger)
	check(t, "Connect", stranger.Connect(ep))
	if ev := mon.await(t, zmq.EVENT_HANDSHAKE_FAILED_AUTH, zmq.EVENT_HANDSHAKE_SUCCEEDED); ev.value != 400 {
		t.Fatalf("stranger's handshake: %v value %d, want HANDSHAKE_FAILED_AUTH 400", ev.event, ev.value)
	}
}

// The adapter's authentication handler (AuthStart) serving libzmq
// clients: PLAIN with a listed user passes, with a wrong password not.
func TestInteropAuthPlainServer(t *testing.T) {
	check(t, "AuthStart", zmq.AuthStart())
	t.Cleanup(zmq.AuthStop)
	zmq.AuthPlainAdd("plain-domain", "alice", "wonderland")
	t.Cleanup(func() { zmq.AuthPlainRemoveAll("plain-domain") })

	server, err := zmq.NewSocket(zmq.REP)
	check(t, "NewSocket", err)
	t.Cleanup(func() { server.SetLinger(0); server.Close() })
	recvTimeout(t, server)
	check(t, "ServerAuthPlain", server.ServerAuthPlain("plain-domain"))
	ep := bindAny(t, server)

	good := startPeer(t, "REQ")
	good.SetOption("PLAIN_USERNAME", "alice")
	good.SetOption("PLAIN_PASSWORD", "wonderland")
	good.Connect(ep)
	good.Send([]byte("let me in"))
	msg, md, err := server.RecvMessageWithMetadata(0, "User-Id", "Socket-Type", "Peer-Address")
	check(t, "RecvMessageWithMetadata", err)
	if !equal(msg, []string{"let me in"}) || md["Socket-Type"] != "REQ" || md["Peer-Address"] != "127.0.0.1" {
		t.Fatalf("received %q %v", msg, md)
	}
	if uid := md["User-Id"]; uid != "" {
		t.Fatalf("User-Id %q: the default metadata handler gives none", uid)
	}
	_, err = server.Send("welcome", 0)
	check(t, "Send", err)
	if r := good.Recv(); string(r[0]) != "welcome" {
		t.Fatalf("reply %q", r)
	}

	bad := startPeer(t, "REQ")
	bad.SetOption("PLAIN_USERNAME", "alice")
	bad.SetOption("PLAIN_PASSWORD", "guess")
	bad.Monitor()
	bad.Connect(ep)
	if ev := awaitPeerEvent(t, bad, "HANDSHAKE_FAILED_AUTH"); ev != "HANDSHAKE_FAILED_AUTH:400" {
		t.Fatalf("wrong password: %s", ev)
	}
}

// awaitPeerEvent waits for the libzmq peer's monitor to report an event
// whose name starts with prefix.
func awaitPeerEvent(t *testing.T, p *testpeer.Peer, prefix string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		for _, ev := range p.Events() {
			if strings.HasPrefix(ev, prefix) || strings.HasPrefix(ev, "HANDSHAKE_SUCCEEDED") {
				return ev
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no %s event from the peer", prefix)
	return ""
}

// The Poller over a socket a libzmq peer talks to: nothing ready, then
// POLLIN once the peer has sent, and POLLOUT on a socket with a peer.
func TestInteropPoller(t *testing.T) {
	ctx := newContext(t)
	pull := newSocket(t, ctx, zmq.PULL)
	ep := bindAny(t, pull)
	push := startPeer(t, "PUSH")
	push.Connect(ep)

	dealer := newSocket(t, ctx, zmq.DEALER)
	router := startPeer(t, "ROUTER")
	check(t, "Connect", dealer.Connect(router.Bind("tcp://127.0.0.1:*")))

	poller := zmq.NewPoller()
	if id := poller.Add(pull, zmq.POLLIN); id != 0 {
		t.Fatalf("Add returned %d", id)
	}
	if id := poller.Add(dealer, zmq.POLLOUT); id != 1 {
		t.Fatalf("Add returned %d", id)
	}
	polled, err := poller.PollAll(50 * time.Millisecond)
	check(t, "PollAll", err)
	if len(polled) != 2 || polled[0].Events != 0 || polled[1].Events != zmq.POLLOUT {
		t.Fatalf("PollAll before any message: %v", polled)
	}
	if _, err := poller.UpdateBySocket(dealer, 0); err != nil {
		t.Fatal(err)
	}

	push.Send([]byte("work"))
	polled, err = poller.Poll(10 * time.Second)
	check(t, "Poll", err)
	if len(polled) != 1 || polled[0].Socket != pull || polled[0].Events != zmq.POLLIN {
		t.Fatalf("Poll after the peer sent: %v", polled)
	}
	if msg, err := pull.Recv(zmq.DONTWAIT); err != nil || msg != "work" {
		t.Fatalf("Recv: %q %v", msg, err)
	}
	polled, err = poller.Poll(20 * time.Millisecond)
	if err != nil || len(polled) != 0 {
		t.Fatalf("Poll with nothing left: %v %v", polled, err)
	}
	if err := poller.RemoveBySocket(pull); err != nil {
		t.Fatal(err)
	}
	if err := poller.RemoveBySocket(pull); err != zmq.ErrorNoSocket {
		t.Fatalf("second RemoveBySocket: %v, want ErrorNoSocket", err)
	}
}

// The monitor of an adapter socket reports a libzmq peer's connection in
// libzmq's event format, read by RecvEvent.
func TestInteropMonitor(t *testing.T) {
	ctx := newContext(t)
	rep := newSocket(t, ctx, zmq.REP)
	mon := monitor(t, ctx, rep)
	ep := bindAny(t, rep)
	if ev := mon.await(t, zmq.EVENT_LISTENING); ev.addr != ep {
		t.Fatalf("LISTENING on %q, want %q", ev.addr, ep)
	}
	req := startPeer(t, "REQ")
	req.Connect(ep)
	if ev := mon.await(t, zmq.EVENT_ACCEPTED); ev.addr != ep || ev.value <= 0 {
		t.Fatalf("ACCEPTED: %+v", ev)
	}
	mon.await(t, zmq.EVENT_HANDSHAKE_SUCCEEDED)
	req.Close()
	mon.await(t, zmq.EVENT_DISCONNECTED)
}

type event struct {
	event zmq.Event
	addr  string
	value int
}

type monitorSocket struct {
	s      *zmq.Socket
	events chan event
}

var monitors int

// monitor monitors s at a fresh inproc endpoint and reads its events
// into a channel.
func monitor(t *testing.T, ctx *zmq.Context, s *zmq.Socket) *monitorSocket {
	t.Helper()
	monitors++
	addr := fmt.Sprintf("inproc://monitor-%d", monitors)
	check(t, "Monitor", s.Monitor(addr, zmq.EVENT_ALL))
	pair := newSocket(t, ctx, zmq.PAIR)
	check(t, "Connect", pair.Connect(addr))
	m := &monitorSocket{s: pair, events: make(chan event, 100)}
	go func() {
		defer close(m.events)
		for {
			e, addr, v, err := pair.RecvEvent(0)
			if err != nil {
				return
			}
			m.events <- event{e, addr, v}
		}
	}()
	return m
}

// await returns the first event of one of the kinds asked for.
func (m *monitorSocket) await(t *testing.T, kinds ...zmq.Event) event {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case ev, ok := <-m.events:
			if !ok {
				t.Fatalf("monitor ended before %v", kinds)
			}
			for _, k := range kinds {
				if ev.event == k {
					return ev
				}
			}
		case <-timeout:
			t.Fatalf("no %v event", kinds)
		}
	}
}
