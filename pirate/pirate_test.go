//go:build linux

package pirate_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/zring/zring"
	"github.com/zring/zring/pirate"
)

func newContext(t *testing.T) *zring.Context {
	t.Helper()
	zctx, err := zring.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { zctx.Close() })
	return zctx
}

func testContext(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func TestLazyClientNoServer(t *testing.T) {
	zctx := newContext(t)
	c, err := pirate.NewLazyClient(zctx, "tcp://127.0.0.1:1", pirate.Policy{Timeout: 30 * time.Millisecond, Retries: 3, Backoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Request(testContext(t, 10*time.Second), []byte("hello"))
	if !errors.Is(err, pirate.ErrNoReply) {
		t.Fatalf("err %v, want ErrNoReply", err)
	}
	if s := c.Stats(); s != (pirate.ClientStats{Sent: 1, Retried: 3, Failed: 1}) {
		t.Errorf("stats %+v", s)
	}
}

// A REP server that swallows every third request: the client resends on a
// fresh socket and every request is answered with its own reply.
func TestLazyClientRetries(t *testing.T) {
	zctx := newContext(t)
	rep, err := zctx.NewSocket(zring.Router, zring.WithLinger(0))
	if err != nil {
		t.Fatal(err)
	}
	defer rep.Close()
	if err := rep.Bind("tcp://127.0.0.1:*"); err != nil {
		t.Fatal(err)
	}
	ctx := testContext(t, 20*time.Second)
	go func() {
		for n := 1; ; n++ {
			msg, err := rep.RecvMultiContext(ctx, 0)
			if err != nil {
				return
			}
			if n%3 == 0 {
				continue
			}
			if rep.SendMulti(msg, 0) != nil {
				return
			}
		}
	}()
	c, err := pirate.NewLazyClient(zctx, rep.Endpoint(), pirate.Policy{Timeout: 100 * time.Millisecond, Retries: 3, Backoff: time.Millisecond, BackoffMax: 4 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const n = 20
	for i := range n {
		want := fmt.Sprint(i)
		reply, err := c.Request(ctx, []byte(want))
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if len(reply) != 1 || string(reply[0]) != want {
			t.Fatalf("request %d: reply %q", i, reply)
		}
	}
	if s := c.Stats(); s.Sent != n || s.Answered != n || s.Failed != 0 || s.Retried == 0 {
		t.Errorf("stats %+v", s)
	}
}

func startQueue(t *testing.T, zctx *zring.Context, hb pirate.HeartbeatPolicy) *pirate.Queue {
	t.Helper()
	q, err := pirate.NewQueue(zctx, hb)
	if err != nil {
		t.Fatal(err)
	}
	if err := q.BindFrontend("tcp://127.0.0.1:*"); err != nil {
		t.Fatal(err)
	}
	if err := q.BindBackend("tcp://127.0.0.1:*"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- q.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("queue Run: %v", err)
		}
		q.Close()
	})
	return q
}

// echo serves with w until ctx ends, replying with the body and the tag.
func echo(ctx context.Context, w *pirate.Worker, tag string) error {
	defer w.Close()
	for {
		req, err := w.Recv(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if err := w.Reply(req, append(req.Body, []byte(tag))...); err != nil {
			return err
		}
	}
}

func startEcho(t *testing.T, zctx *zring.Context, endpoint, tag string, policy pirate.WorkerPolicy) *pirate.Worker {
	t.Helper()
	w, err := pirate.NewWorker(zctx, endpoint, policy)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- echo(ctx, w, tag) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, zring.ErrTerminated) {
			t.Errorf("worker: %v", err)
		}
	})
	return w
}

func TestParanoidPirate(t *testing.T) {
	zctx := newContext(t)
	hb := pirate.HeartbeatPolicy{Interval: 50 * time.Millisecond}
	q := startQueue(t, zctx, hb)
	for i := range 3 {
		startEcho(t, zctx, q.BackendEndpoint(), fmt.Sprint("w", i), pirate.WorkerPolicy{Heartbeat: hb})
	}
	c, err := pirate.NewLazyClient(zctx, q.FrontendEndpoint(), pirate.Policy{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := testContext(t, 20*time.Second)
	served := map[string]int{}
	const n = 60
	for i := range n {
		want := fmt.Sprint(i)
		reply, err := c.Request(ctx, []byte(want))
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if len(reply) != 2 || string(reply[0]) != want {
			t.Fatalf("request %d: reply %q", i, reply)
		}
		served[string(reply[1])]++
	}
	// Sequential requests go round the three workers, least recently used
	// first, once all three said READY.
	if len(served) != 3 {
		t.Errorf("served by %v", served)
	}
	if s := q.Stats(); s.Requests != n || s.Replies != n {
		t.Errorf("queue stats %+v", s)
	}
}

// A worker whose queue goes silent reconnects, and serves the queue that
// comes back on the same endpoint.
func TestWorkerReconnects(t *testing.T) {
	zctx := newContext(t)
	hb := pirate.HeartbeatPolicy{Interval: 30 * time.Millisecond}
	silent, err := zctx.NewSocket(zring.Router, zring.WithLinger(0))
	if err != nil {
		t.Fatal(err)
	}
	if err := silent.Bind("tcp://127.0.0.1:*"); err != nil {
		t.Fatal(err)
	}
	backend := silent.Endpoint()
	ctx := testContext(t, 20*time.Second)
	w := startEcho(t, zctx, backend, "w", pirate.WorkerPolicy{Heartbeat: hb, ReconnectMin: 10 * time.Millisecond, ReconnectMax: 40 * time.Millisecond})
	for w.Stats().Reconnects < 2 {
		select {
		case <-ctx.Done():
			t.Fatal("no reconnect")
		case <-time.After(10 * time.Millisecond):
		}
	}
	silent.Close()
	q, err := pirate.NewQueue(zctx, hb)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	for err = q.BindBackend(backend); errors.Is(err, zring.ErrAddrInUse); err = q.BindBackend(backend) {
		time.Sleep(5 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := q.BindFrontend("tcp://127.0.0.1:*"); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- q.Run(rctx) }()
	defer func() { cancel(); <-done }()
	c, err := pirate.NewLazyClient(zctx, q.FrontendEndpoint(), pirate.Policy{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if reply, err := c.Request(ctx, []byte("back")); err != nil || string(reply[0]) != "back" {
		t.Fatalf("after the queue came back: %q, %v", reply, err)
	}
}
