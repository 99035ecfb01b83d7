//go:build linux

package reliable

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/zring/zring"
)

var (
	errNoReply = errors.New("test: no reply")
	errClosed  = errors.New("test: closed")
	errRefused = errors.New("test: refused")
)

// setup returns a zring context and a bound for the test's waits, both
// ended when the test is.
func setup(t *testing.T) (*zring.Context, context.Context) {
	t.Helper()
	zctx, err := zring.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(func() { cancel(); zctx.Close() })
	return zctx, ctx
}

// bind returns a socket of type typ bound to a fresh inproc endpoint.
func bind(t *testing.T, zctx *zring.Context, typ zring.Type) (*zring.Socket, string) {
	t.Helper()
	s, err := zctx.NewSocket(typ, zring.WithLinger(0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ep := fmt.Sprintf("inproc://%s", t.Name())
	if err := s.Bind(ep); err != nil {
		t.Fatal(err)
	}
	return s, ep
}

func TestPolicyDefaultsAndBackoff(t *testing.T) {
	p, ok := Policy{Retries: -1, Backoff: 10 * time.Millisecond, BackoffMax: 35 * time.Millisecond}.WithDefaults(time.Second, 2)
	if !ok || p.Timeout != time.Second || p.Retries != 0 {
		t.Fatalf("defaults %+v %v", p, ok)
	}
	if p, _ := (Policy{}).WithDefaults(time.Second, 2); p.Retries != 2 {
		t.Errorf("retries %d, want the default 2", p.Retries)
	}
	for n, want := range map[int]time.Duration{1: 10 * time.Millisecond, 2: 20 * time.Millisecond, 3: 35 * time.Millisecond, 9: 35 * time.Millisecond} {
		if got := p.pause(n); got != want {
			t.Errorf("pause(%d) = %v, want %v", n, got, want)
		}
	}
	if _, ok := (Policy{Backoff: -1}).WithDefaults(time.Second, 2); ok {
		t.Error("a negative backoff was accepted")
	}
	if _, ok := (Heartbeat{Liveness: -1}).WithDefaults(time.Second, 3); ok {
		t.Error("a negative liveness was accepted")
	}
	if h, _ := (Heartbeat{}).WithDefaults(time.Second, 3); h.Expiry() != 3*time.Second {
		t.Errorf("expiry %v", h.Expiry())
	}
}

// A server that never answers: the client tries 1+Retries times, each on
// a fresh socket, and returns NoReply's error; after Close, Closed.
func TestClientNoReply(t *testing.T) {
	zctx, ctx := setup(t)
	srv, ep := bind(t, zctx, zring.Router)
	c, err := NewClient(zctx, ep, ClientConfig{
		Policy:  Policy{Timeout: 20 * time.Millisecond, Retries: 2},
		NoReply: func([][]byte) error { return errNoReply },
		Closed:  errClosed,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Request(ctx, [][]byte{[]byte("hello")}); !errors.Is(err, errNoReply) {
		t.Fatalf("err %v, want NoReply's", err)
	}
	if s := c.Stats(); s != (ClientStats{Sent: 1, Retried: 2, Failed: 1}) {
		t.Errorf("stats %+v", s)
	}
	for i := range 3 { // each attempt reached the server, from its own socket
		if _, err := srv.RecvMultiContext(ctx, 0); err != nil {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Request(ctx, [][]byte{[]byte("hello")}); !errors.Is(err, errClosed) {
		t.Fatalf("after Close: %v", err)
	}
}

// Check sees the request and the reply: what it returns is Request's
// answer, and a refusal is Request's error, counted failed.
func TestClientCheck(t *testing.T) {
	zctx, ctx := setup(t)
	srv, ep := bind(t, zctx, zring.Rep)
	c, err := NewClient(zctx, ep, ClientConfig{
		Policy: Policy{Timeout: 10 * time.Second},
		Check: func(req, reply [][]byte) ([][]byte, error) {
			if string(reply[0]) != string(req[0]) {
				return nil, errRefused
			}
			return reply[1:], nil
		},
		NoReply: func([][]byte) error { return errNoReply },
		Closed:  errClosed,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, tc := range []struct {
		echo    string
		want    string
		wantErr error
	}{{"a", "body", nil}, {"other", "", errRefused}} {
		done := make(chan error, 1)
		go func() {
			if _, err := srv.RecvMultiContext(ctx, 0); err != nil {
				done <- err
				return
			}
			done <- srv.SendMultiContext(ctx, [][]byte{[]byte(tc.echo), []byte("body")}, 0)
		}()
		reply, err := c.Request(ctx, [][]byte{[]byte("a")})
		if serr := <-done; serr != nil {
			t.Fatal(serr)
		}
		if !errors.Is(err, tc.wantErr) {
			t.Fatalf("echo %q: err %v, want %v", tc.echo, err, tc.wantErr)
		}
		if err == nil && (len(reply) != 1 || string(reply[0]) != tc.want) {
			t.Errorf("echo %q: reply %q", tc.echo, reply)
		}
	}
	if s := c.Stats(); s != (ClientStats{Sent: 2, Answered: 1, Failed: 1}) {
		t.Errorf("stats %+v", s)
	}
}

// A Link says Ready, pings a silent peer, reconnects (saying Ready again
// from a new socket) when liveness runs out, and hands the peer's
// messages to its handler.
func TestLinkHeartbeatReconnectAndHandle(t *testing.T) {
	zctx, ctx := setup(t)
	peer, ep := bind(t, zctx, zring.Router)
	l, err := Dial(zctx, ep, LinkConfig{
		Heartbeat:    Heartbeat{Interval: 10 * time.Millisecond, Liveness: 2},
		Ready:        [][]byte{[]byte("READY")},
		Ping:         [][]byte{[]byte("PING")},
		ReconnectMin: time.Millisecond,
		ReconnectMax: 4 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close(nil, 0)

	// The peer stays silent while the Link waits for a message.
	wctx, cancel := context.WithCancel(ctx)
	recvDone := make(chan error, 1)
	go func() {
		recvDone <- l.Recv(wctx, func([][]byte) (bool, error) { return true, nil })
	}()
	ids := map[string][]string{} // what each socket of the Link sent
	for len(ids) < 2 {
		msg, err := peer.RecvMultiContext(ctx, 0)
		if err != nil {
			t.Fatalf("peer: %v (so far %q)", err, ids)
		}
		ids[string(msg[0])] = append(ids[string(msg[0])], string(msg[1]))
	}
	cancel()
	if err := <-recvDone; !errors.Is(err, context.Canceled) {
		t.Fatalf("Recv: %v", err)
	}
	for id, got := range ids {
		if got[0] != "READY" {
			t.Errorf("socket %q sent %q first", id, got)
		}
	}
	if l.Counts.Reconnects.Load() == 0 {
		t.Error("no reconnect counted")
	}

	// One more socket, made by hand: every socket the Link had has said
	// READY once; the peer then speaks to each, and only the current one
	// (the rest are closed) hands the message to the handler.
	if err := l.Reconnect(); err != nil {
		t.Fatal(err)
	}
	sockets := int(l.Counts.Reconnects.Load()) + 1
	for len(ids) < sockets {
		msg, err := peer.RecvMultiContext(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		ids[string(msg[0])] = append(ids[string(msg[0])], string(msg[1]))
	}
	for id := range ids {
		if err := peer.SendMultiContext(ctx, [][]byte{[]byte(id), []byte("WORK")}, 0); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	err = l.Recv(ctx, func(msg [][]byte) (bool, error) {
		l.Heard()
		got = append(got, string(msg[0]))
		return string(msg[0]) == "WORK", nil
	})
	if err != nil || len(got) != 1 || got[0] != "WORK" {
		t.Fatalf("Recv: %v, handled %q", err, got)
	}
	if err := l.SendReply([][]byte{[]byte("DONE")}); err != nil || l.Counts.Replies.Load() != 1 {
		t.Fatalf("SendReply: %v, %d counted", err, l.Counts.Replies.Load())
	}
}
