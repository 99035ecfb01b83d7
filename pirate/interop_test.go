//go:build linux

package pirate_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/zring/zring/internal/upstream"
	"github.com/zring/zring/pirate"
)

// The Lazy Pirate client against the Guide's lpserver.py, which answers
// a few requests, then runs slowly at random (a retry), then exits at
// random (a crash). The client must report ErrNoReply once the server is
// gone, and be answered again by a server started afresh.
func TestInteropLazyClientAgainstLpserver(t *testing.T) {
	upstream.LockPorts(t, 5555, 5556)
	ctx := testContext(t, 120*time.Second)
	zctx := newContext(t)
	server := upstream.StartPython(ctx, t, "lpserver.py")
	// The Guide's lpclient waits 2.5 s, 3 times; 2 s is still twice what
	// a normal request takes, and less than an overloaded one (3 s).
	c, err := pirate.NewLazyClient(zctx, "tcp://127.0.0.1:5555", pirate.Policy{Timeout: 2 * time.Second, Retries: 3, Backoff: 50 * time.Millisecond, BackoffMax: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	answered := 0
	var lastErr error
	for seq := 1; ; seq++ {
		if seq == 7 {
			// No crash yet: crash it ourselves.
			server.Kill()
		}
		want := strconv.Itoa(seq)
		reply, err := c.Request(ctx, []byte(want))
		if err != nil {
			lastErr = err
			break
		}
		if len(reply) != 1 || string(reply[0]) != want {
			t.Fatalf("request %s: reply %q", want, reply)
		}
		answered++
	}
	if !errors.Is(lastErr, pirate.ErrNoReply) {
		t.Fatalf("the server went away and the client said %v, not ErrNoReply", lastErr)
	}
	// lpserver.py never crashes in its first four cycles.
	if answered < 4 {
		t.Errorf("only %d answered before the crash", answered)
	}
	select {
	case <-server.Done():
	case <-time.After(time.Second):
		// Overloaded four times running: the error is right, the server
		// still alive.
		t.Logf("lpserver.py still running after ErrNoReply")
		server.Kill()
	}
	before := c.Stats()
	t.Logf("before the restart, after %v: %+v", time.Since(start).Round(time.Millisecond), before)
	if before.Failed != 1 || before.Answered != uint64(answered) || before.Retried < 3 {
		t.Errorf("stats %+v", before)
	}
	upstream.StartPython(ctx, t, "lpserver.py")
	reply, err := c.Request(ctx, []byte("after restart"))
	if err != nil || len(reply) != 1 || string(reply[0]) != "after restart" {
		t.Fatalf("after the server restarted: %q, %v", reply, err)
	}
	t.Logf("answered again after %v", time.Since(start).Round(time.Millisecond))
}

// The Guide's ppworker.py (which crashes and stalls at random; a
// supervisor restarts it) behind a zring Queue, with a Lazy Pirate client:
// every request ends answered with its own reply.
func TestInteropPythonWorkersBehindQueue(t *testing.T) {
	upstream.LockPorts(t, 5555, 5556)
	ctx := testContext(t, 120*time.Second)
	zctx := newContext(t)
	q, err := pirate.NewQueue(zctx, pirate.HeartbeatPolicy{})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	if err := q.BindFrontend("tcp://*:5555"); err != nil {
		t.Fatal(err)
	}
	if err := q.BindBackend("tcp://*:5556"); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- q.Run(rctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("queue Run: %v", err)
		}
	}()
	starts := []func() int{upstream.SupervisePython(t, "ppworker.py"), upstream.SupervisePython(t, "ppworker.py")}
	c, err := pirate.NewLazyClient(zctx, "tcp://127.0.0.1:5555", pirate.Policy{Timeout: 2500 * time.Millisecond, Retries: 8, Backoff: 100 * time.Millisecond, BackoffMax: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const n = 8
	for i := range n {
		want := fmt.Sprint("req ", i)
		reply, err := c.Request(ctx, []byte(want))
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if len(reply) != 1 || string(reply[0]) != want {
			t.Fatalf("request %d: reply %q", i, reply)
		}
	}
	cs, qs := c.Stats(), q.Stats()
	t.Logf("client %+v, queue %+v, worker starts %d+%d", cs, qs, starts[0](), starts[1]())
	if cs.Answered != n || cs.Failed != 0 || qs.Replies < n || qs.Malformed != 0 {
		t.Errorf("client %+v, queue %+v", cs, qs)
	}
}

// A zring Paranoid Pirate worker behind the Guide's ppqueue.py, which is
// killed and restarted: the worker reconnects and serves again.
func TestInteropWorkerBehindPythonQueue(t *testing.T) {
	upstream.LockPorts(t, 5555, 5556)
	ctx := testContext(t, 120*time.Second)
	zctx := newContext(t)
	queue := upstream.StartPython(ctx, t, "ppqueue.py")
	// The Guide's timing: ppqueue.py heartbeats every second.
	w := startEcho(t, zctx, "tcp://127.0.0.1:5556", "zring", pirate.WorkerPolicy{ReconnectMin: 100 * time.Millisecond})
	c, err := pirate.NewLazyClient(zctx, "tcp://127.0.0.1:5555", pirate.Policy{Timeout: 2500 * time.Millisecond, Retries: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	check := func(phase string, n int) {
		t.Helper()
		for i := range n {
			want := fmt.Sprint(phase, i)
			reply, err := c.Request(ctx, []byte(want))
			if err != nil {
				t.Fatalf("%s request %d: %v", phase, i, err)
			}
			if len(reply) != 2 || string(reply[0]) != want || string(reply[1]) != "zring" {
				t.Fatalf("%s request %d: reply %q", phase, i, reply)
			}
		}
	}
	check("first queue ", 50)
	queue.Kill()
	// Silent for more than 3 heartbeats: the worker gives up on this
	// connection and makes a new one.
	for w.Stats().Reconnects == 0 {
		select {
		case <-ctx.Done():
			t.Fatal("the worker never noticed the queue had gone")
		case <-time.After(50 * time.Millisecond):
		}
	}
	upstream.StartPython(ctx, t, "ppqueue.py")
	check("second queue ", 50)
	t.Logf("client %+v, worker %+v", c.Stats(), w.Stats())
	if s := c.Stats(); s.Answered != 100 || s.Failed != 0 {
		t.Errorf("client %+v", s)
	}
}
