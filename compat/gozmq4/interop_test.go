//go:build linux

package zmq4_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/zring/zring"
	zmq4 "github.com/zring/zring/compat/gozmq4"
	"github.com/zring/zring/compat/gozmq4/security/plain"
	"github.com/zring/zring/internal/testpeer"
)

// The adapter's sockets against libzmq 4.3 peers (pyzmq, internal/testpeer).

// listen binds s on a free loopback port and returns the endpoint.
func listen(t *testing.T, s zmq4.Socket) string {
	t.Helper()
	if err := s.Listen("tcp://127.0.0.1:0"); err != nil {
		t.Fatalf("Listen: %v", err)
	}
	if s.Addr() == nil {
		t.Fatal("Addr is nil after Listen")
	}
	return "tcp://" + s.Addr().String()
}

func dial(t *testing.T, s zmq4.Socket, ep string) {
	t.Helper()
	if err := s.Dial(ep); err != nil {
		t.Fatalf("Dial %s: %v", ep, err)
	}
}

func send(t *testing.T, s zmq4.Socket, frames ...string) {
	t.Helper()
	if err := s.Send(zmq4.NewMsgFromString(frames)); err != nil {
		t.Fatalf("%s Send: %v", s.Type(), err)
	}
}

func recv(t *testing.T, s zmq4.Socket, want ...string) {
	t.Helper()
	msg, err := s.Recv()
	if err != nil {
		t.Fatalf("%s Recv: %v", s.Type(), err)
	}
	if !equalFrames(msg.Frames, want) {
		t.Fatalf("%s got %s, want %q", s.Type(), msg, want)
	}
}

func equalFrames(got [][]byte, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if string(got[i]) != want[i] {
			return false
		}
	}
	return true
}

func peerGot(t *testing.T, p *testpeer.Peer, want ...string) {
	t.Helper()
	if got := p.Recv(); !equalFrames(got, want) {
		t.Fatalf("libzmq peer got %q, want %q", got, want)
	}
}

func TestInteropReqToLibzmqRep(t *testing.T) {
	rep := testpeer.Start(t, "REP")
	ep := rep.Bind("tcp://127.0.0.1:*")
	req := zmq4.NewReq(context.Background())
	defer req.Close()
	dial(t, req, ep)
	for i := range 3 {
		send(t, req, fmt.Sprintf("request %d", i))
		peerGot(t, rep, fmt.Sprintf("request %d", i))
		rep.Send([]byte(fmt.Sprintf("reply %d", i)), []byte("second frame"))
		recv(t, req, fmt.Sprintf("reply %d", i), "second frame")
	}
}

func TestInteropRepFromLibzmqReq(t *testing.T) {
	rep := zmq4.NewRep(context.Background())
	defer rep.Close()
	ep := listen(t, rep)
	req := testpeer.Start(t, "REQ")
	req.Connect(ep)
	for i := range 3 {
		req.Send([]byte(fmt.Sprintf("request %d", i)))
		recv(t, rep, fmt.Sprintf("request %d", i))
		send(t, rep, fmt.Sprintf("reply %d", i))
		peerGot(t, req, fmt.Sprintf("reply %d", i))
	}
}

// A SUB subscribed with OptionSubscribe gets the topics it chose from a
// libzmq XPUB, which shows when the subscription has arrived.
func TestInteropSubscribeFromLibzmqXPub(t *testing.T) {
	xpub := testpeer.Start(t, "XPUB")
	ep := xpub.Bind("tcp://127.0.0.1:*")
	sub := zmq4.NewSub(context.Background())
	defer sub.Close()
	dial(t, sub, ep)
	if err := sub.SetOption(zmq4.OptionSubscribe, "B"); err != nil {
		t.Fatal(err)
	}
	peerGot(t, xpub, "\x01B")
	if got := sub.(zmq4.Topics).Topics(); len(got) != 1 || got[0] != "B" {
		t.Fatalf("Topics = %q, want [B]", got)
	}
	xpub.Send([]byte("A"), []byte("not for us"))
	xpub.Send([]byte("B"), []byte("for us"))
	recv(t, sub, "B", "for us")

	if err := sub.SetOption(zmq4.OptionUnsubscribe, "B"); err != nil {
		t.Fatal(err)
	}
	peerGot(t, xpub, "\x00B")
	if got := sub.(zmq4.Topics).Topics(); len(got) != 0 {
		t.Fatalf("Topics after unsubscribing = %q, want none", got)
	}
}

// The adapter's PUB reaches a libzmq SUB; a PUB drops what it sends
// before the subscription arrives, so it publishes until one gets there.
func TestInteropPubToLibzmqSub(t *testing.T) {
	pub := zmq4.NewPub(context.Background())
	defer pub.Close()
	ep := listen(t, pub)
	sub := testpeer.Start(t, "SUB")
	sub.SetOption("SUBSCRIBE", "news")
	sub.SetOption("RCVTIMEO", 100)
	sub.Connect(ep)
	for i := 0; ; i++ {
		send(t, pub, "sport", "not subscribed")
		send(t, pub, "news", "hello")
		got, err := sub.TryRecv()
		if errors.Is(err, testpeer.ErrAgain) && i < 100 {
			continue
		}
		if err != nil {
			t.Fatalf("libzmq SUB: %v", err)
		}
		if !equalFrames(got, []string{"news", "hello"}) {
			t.Fatalf("libzmq SUB got %q, want [news hello]", got)
		}
		return
	}
}

// An XPUB receives a libzmq SUB's subscription, then publishes to it.
func TestInteropXPubToLibzmqSub(t *testing.T) {
	xpub := zmq4.NewXPub(context.Background())
	defer xpub.Close()
	ep := listen(t, xpub)
	sub := testpeer.Start(t, "SUB")
	sub.SetOption("SUBSCRIBE", "t")
	sub.Connect(ep)
	recv(t, xpub, "\x01t")
	send(t, xpub, "t", "payload")
	peerGot(t, sub, "t", "payload")
}

// A ROUTER gets the identity of a libzmq DEALER first, then the frames, and
// routes a multipart reply back by that identity.
func TestInteropRouterLibzmqDealer(t *testing.T) {
	router := zmq4.NewRouter(context.Background())
	defer router.Close()
	ep := listen(t, router)
	dealer := testpeer.Start(t, "DEALER")
	dealer.SetOption("ROUTING_ID", "worker-1")
	dealer.Connect(ep)
	dealer.Send([]byte(""), []byte("part 1"), []byte("part 2"), []byte{0, 1, 2})
	recv(t, router, "worker-1", "", "part 1", "part 2", "\x00\x01\x02")
	if err := router.Send(zmq4.NewMsgFrom([]byte("worker-1"), []byte(""), []byte("a"), []byte("b"))); err != nil {
		t.Fatal(err)
	}
	peerGot(t, dealer, "", "a", "b")
}

// A DEALER with WithID is known to a libzmq ROUTER by that identity.
func TestInteropDealerLibzmqRouter(t *testing.T) {
	router := testpeer.Start(t, "ROUTER")
	ep := router.Bind("tcp://127.0.0.1:*")
	dealer := zmq4.NewDealer(context.Background(), zmq4.WithID(zmq4.SocketIdentity("dealer-7")))
	defer dealer.Close()
	dial(t, dealer, ep)
	if err := dealer.SendMulti(zmq4.NewMsgFrom([]byte("x"), []byte("y"), nil)); err != nil {
		t.Fatal(err)
	}
	peerGot(t, router, "dealer-7", "x", "y", "")
	router.Send([]byte("dealer-7"), []byte("one"), []byte("two"))
	recv(t, dealer, "one", "two")
}

func TestInteropPushToLibzmqPull(t *testing.T) {
	pull := testpeer.Start(t, "PULL")
	ep := pull.Bind("tcp://127.0.0.1:*")
	push := zmq4.NewPush(context.Background())
	defer push.Close()
	dial(t, push, ep)
	for i := range 5 {
		send(t, push, fmt.Sprintf("task %d", i))
	}
	for i := range 5 {
		peerGot(t, pull, fmt.Sprintf("task %d", i))
	}
}

func TestInteropPullFromLibzmqPush(t *testing.T) {
	pull := zmq4.NewPull(context.Background())
	defer pull.Close()
	ep := listen(t, pull)
	push := testpeer.Start(t, "PUSH")
	push.Connect(ep)
	push.SendBig(100000)
	msg, err := pull.Recv()
	if err != nil {
		t.Fatal(err)
	}
	if len(msg.Frames) != 1 || !bytes.Equal(msg.Frames[0], testpeer.Pattern(100000)) {
		t.Fatalf("PULL got %d frames, not the 100000-byte pattern", len(msg.Frames))
	}
}

func TestInteropPairLibzmqPair(t *testing.T) {
	peer := testpeer.Start(t, "PAIR")
	ep := peer.Bind("tcp://127.0.0.1:*")
	pair := zmq4.NewPair(context.Background())
	defer pair.Close()
	dial(t, pair, ep)
	send(t, pair, "ping")
	peerGot(t, peer, "ping")
	peer.Send([]byte("pong"))
	recv(t, pair, "pong")
}

// A PLAIN client (security/plain) is admitted by a libzmq PLAIN server
// whose ZAP handler knows its password, and refused with a wrong one:
// Dial returns the error, as upstream's does.
func TestInteropPlainClientLibzmqServer(t *testing.T) {
	rep := testpeer.Start(t, "REP")
	rep.ZAP("PLAIN:admin:secret")
	rep.SetOption("PLAIN_SERVER", 1)
	ep := rep.Bind("tcp://127.0.0.1:*")

	bad := zmq4.NewReq(context.Background(), zmq4.WithSecurity(plain.Security("admin", "wrong")),
		zmq4.WithDialerMaxRetries(1), zmq4.WithDialerRetry(10*time.Millisecond))
	defer bad.Close()
	t0 := time.Now()
	err := bad.Dial(ep)
	t.Logf("refused Dial: %v after %v", err, time.Since(t0))
	if err == nil {
		t.Fatal("Dial with a wrong password succeeded")
	}

	req := zmq4.NewReq(context.Background(), zmq4.WithSecurity(plain.Security("admin", "secret")))
	defer req.Close()
	dial(t, req, ep)
	send(t, req, "hi")
	got, props := rep.RecvProps("User-Id")
	if !equalFrames(got, []string{"hi"}) || props["User-Id"] != "admin" {
		t.Fatalf("libzmq REP got %q with User-Id %q", got, props["User-Id"])
	}
	rep.Send([]byte("welcome"))
	recv(t, req, "welcome")
}

// A PLAIN server (Listen with security/plain) asks the ZAP handler of the
// adapter's shared context: a zring.Authenticator admits a libzmq client
// it knows the password of.
func TestInteropPlainServerLibzmqClient(t *testing.T) {
	zctx, err := zmq4.SharedContext()
	if err != nil {
		t.Fatal(err)
	}
	auth, err := zring.NewAuthenticator(zctx)
	if err != nil {
		t.Fatal(err)
	}
	defer auth.Close()
	auth.SetPasswords("*", map[string]string{"admin": "secret"})

	rep := zmq4.NewRep(context.Background(), zmq4.WithSecurity(plain.Security("", "")))
	defer rep.Close()
	ep := listen(t, rep)
	req := testpeer.Start(t, "REQ")
	req.SetOption("PLAIN_USERNAME", "admin")
	req.SetOption("PLAIN_PASSWORD", "secret")
	req.Connect(ep)
	req.Send([]byte("hello"))
	recv(t, rep, "hello")
	send(t, rep, "world")
	peerGot(t, req, "world")
}
