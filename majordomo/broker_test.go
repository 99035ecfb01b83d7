//go:build linux

package majordomo_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/zring/zring"
	"github.com/zring/zring/majordomo"
)

func TestEchoThroughBroker(t *testing.T) {
	zctx := newContext(t)
	b := startBroker(t, zctx, majordomo.BrokerPolicy{})
	for range 2 {
		startEcho(t, zctx, b.Endpoint(), "echo", majordomo.WorkerPolicy{})
	}
	c, err := majordomo.NewClient(zctx, b.Endpoint(), majordomo.ClientPolicy{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := testContext(t, 20*time.Second)
	const n = 200
	for i := range n {
		want := fmt.Sprintf("request %d", i)
		reply, err := c.Request(ctx, "echo", []byte(want), []byte("second frame"))
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if len(reply) != 2 || string(reply[0]) != want || string(reply[1]) != "second frame" {
			t.Fatalf("request %d: reply %q", i, reply)
		}
	}
	if s := c.Stats(); s.Sent != n || s.Answered != n || s.Failed != 0 {
		t.Errorf("client stats %+v", s)
	}
	if s := b.Stats(); s.Requests != n || s.Replies != n || s.WorkersReady != 2 || s.Malformed != 0 {
		t.Errorf("broker stats %+v", s)
	}
}

func TestAsyncClient(t *testing.T) {
	zctx := newContext(t)
	b := startBroker(t, zctx, majordomo.BrokerPolicy{})
	startEcho(t, zctx, b.Endpoint(), "echo", majordomo.WorkerPolicy{})
	c, err := majordomo.NewAsyncClient(zctx, b.Endpoint(), majordomo.ClientPolicy{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := testContext(t, 20*time.Second)
	const n = 2000
	for i := range n {
		if err := c.Send(ctx, "echo", []byte(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	seen := make(map[string]bool, n)
	for range n {
		service, body, err := c.Recv(ctx)
		if err != nil {
			t.Fatalf("after %d replies: %v", len(seen), err)
		}
		if service != "echo" || len(body) != 1 || seen[string(body[0])] {
			t.Fatalf("reply %q from %q (seen %v)", body, service, seen[string(body[0])])
		}
		seen[string(body[0])] = true
	}
	for i := range n {
		if !seen[fmt.Sprint(i)] {
			t.Fatalf("no reply to %d", i)
		}
	}
	if s := c.Stats(); s.Sent != n || s.Answered != n {
		t.Errorf("stats %+v", s)
	}
}

func TestMMIService(t *testing.T) {
	zctx := newContext(t)
	b := startBroker(t, zctx, majordomo.BrokerPolicy{})
	startEcho(t, zctx, b.Endpoint(), "echo", majordomo.WorkerPolicy{})
	c, err := majordomo.NewClient(zctx, b.Endpoint(), majordomo.ClientPolicy{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := testContext(t, 20*time.Second)
	// The worker's READY may not have arrived yet: a request waits for it.
	if _, err := c.Request(ctx, "echo", []byte("warm up")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ service, name, want string }{
		{"mmi.service", "echo", "200"},
		{"mmi.service", "nobody", "404"},
		{"mmi.unknown", "echo", "501"},
	} {
		reply, err := c.Request(ctx, tc.service, []byte(tc.name))
		if err != nil {
			t.Fatal(err)
		}
		if len(reply) != 1 || string(reply[0]) != tc.want {
			t.Errorf("%s %s: %q, want %s", tc.service, tc.name, reply, tc.want)
		}
	}
	if s := b.Stats(); s.Internal != 3 {
		t.Errorf("internal %d", s.Internal)
	}
}

func TestClientNoReply(t *testing.T) {
	zctx := newContext(t)
	b := startBroker(t, zctx, majordomo.BrokerPolicy{})
	c, err := majordomo.NewClient(zctx, b.Endpoint(), majordomo.ClientPolicy{Timeout: 50 * time.Millisecond, Retries: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := testContext(t, 10*time.Second)
	_, err = c.Request(ctx, "nobody", []byte("hello"))
	if !errors.Is(err, majordomo.ErrNoReply) {
		t.Fatalf("err %v, want ErrNoReply", err)
	}
	if s := c.Stats(); s.Sent != 1 || s.Retried != 2 || s.Failed != 1 || s.Answered != 0 {
		t.Errorf("stats %+v", s)
	}
	// The broker queued each attempt for a service nobody offers.
	waitFor(ctx, t, "3 queued", func() bool { return b.Stats().Queued == 3 })
}

func TestWorkerDisconnectAndExpiry(t *testing.T) {
	zctx := newContext(t)
	b := startBroker(t, zctx, majordomo.BrokerPolicy{Heartbeat: majordomo.Heartbeat{Interval: 20 * time.Millisecond}})
	ctx := testContext(t, 10*time.Second)
	w, err := majordomo.NewWorker(zctx, b.Endpoint(), "echo", majordomo.WorkerPolicy{})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, "worker ready", func() bool { return b.Stats().Waiting == 1 })
	w.Close() // sends DISCONNECT
	waitFor(ctx, t, "worker gone", func() bool { return b.Stats().Workers == 0 })
	if s := b.Stats(); s.Disconnects != 1 || s.Expired != 0 {
		t.Errorf("after DISCONNECT: %+v", s)
	}
	// A worker that says READY and then nothing expires after 3 × 20 ms.
	d := rawDealer(t, zctx, b.Endpoint())
	if err := d.SendMulti([][]byte{nil, []byte(majordomo.WorkerHeader), {1}, []byte("echo")}, 0); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, "silent worker expired", func() bool { return b.Stats().Expired == 1 })
	// It was heartbeated while it waited.
	msg, err := d.RecvMultiContext(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(msg) != 3 || string(msg[1]) != majordomo.WorkerHeader || msg[2][0] != byte(majordomo.CmdHeartbeat) {
		t.Errorf("broker sent %q", msg)
	}
}

// A peer's bytes never stop the broker: every malformed message is dropped
// and counted, and the broker still serves.
func TestBrokerDropsMalformed(t *testing.T) {
	zctx := newContext(t)
	b := startBroker(t, zctx, majordomo.BrokerPolicy{})
	ctx := testContext(t, 20*time.Second)
	d := rawDealer(t, zctx, b.Endpoint())
	C, W := []byte(majordomo.ClientHeader), []byte(majordomo.WorkerHeader)
	bad := [][][]byte{
		{[]byte("x")}, // no delimiter
		{nil},         // no header
		{[]byte("x"), C, []byte("echo"), []byte("body")}, // delimiter not empty
		{nil, []byte("MDPX01"), []byte("echo")},          // unknown header
		{nil, C},                                         // no service
		{nil, C, []byte("echo")},                         // no body
		{nil, W},                                         // no command
		{nil, W, {0}},                                    // command 0
		{nil, W, {9}},                                    // command 9
		{nil, W, {1, 1}},                                 // two-byte command
		{nil, W, {1}},                                    // READY without a service
		{nil, W, {2}, []byte("x"), nil},                  // REQUEST from a worker
	}
	for _, m := range bad {
		if err := d.SendMulti(m, 0); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(ctx, t, "all dropped", func() bool { return b.Stats().Malformed == uint64(len(bad)) })
	// Commands from a worker that never said READY get DISCONNECT.
	for _, cmd := range []byte{3, 4} {
		if err := d.SendMulti([][]byte{nil, W, {cmd}, []byte("client"), nil, []byte("body")}, 0); err != nil {
			t.Fatal(err)
		}
		msg, err := d.RecvMultiContext(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(msg) != 3 || msg[2][0] != byte(majordomo.CmdDisconnect) {
			t.Errorf("after command %d: %q", cmd, msg)
		}
	}
	// A READY for a reserved name is refused too.
	if err := d.SendMulti([][]byte{nil, W, {1}, []byte("mmi.echo")}, 0); err != nil {
		t.Fatal(err)
	}
	if msg, err := d.RecvMultiContext(ctx, 0); err != nil || msg[2][0] != byte(majordomo.CmdDisconnect) {
		t.Fatalf("after READY mmi.echo: %q, %v", msg, err)
	}
	startEcho(t, zctx, b.Endpoint(), "echo", majordomo.WorkerPolicy{})
	c, err := majordomo.NewClient(zctx, b.Endpoint(), majordomo.ClientPolicy{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if reply, err := c.Request(ctx, "echo", []byte("still here")); err != nil || string(reply[0]) != "still here" {
		t.Fatalf("after the garbage: %q, %v", reply, err)
	}
}

func TestWorkerReconnectsAfterBrokerRestart(t *testing.T) {
	zctx := newContext(t)
	hb := majordomo.Heartbeat{Interval: 30 * time.Millisecond}
	b1, err := majordomo.NewBroker(zctx, majordomo.BrokerPolicy{Heartbeat: hb}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b1.Bind("tcp://127.0.0.1:*"); err != nil {
		t.Fatal(err)
	}
	endpoint := b1.Endpoint()
	ctx := testContext(t, 20*time.Second)
	// No Run: a broker that accepts the connection and says nothing.
	w := startEcho(t, zctx, endpoint, "echo", majordomo.WorkerPolicy{Heartbeat: hb, Reconnect: 30 * time.Millisecond})
	waitFor(ctx, t, "a reconnect", func() bool { return w.Stats().Reconnects >= 1 })
	b1.Close()
	b2, err := majordomo.NewBroker(zctx, majordomo.BrokerPolicy{Heartbeat: hb}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for err = b2.Bind(endpoint); errors.Is(err, zring.ErrAddrInUse); err = b2.Bind(endpoint) {
		time.Sleep(5 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- b2.Run(rctx) }()
	defer func() { cancel(); <-done; b2.Close() }()
	c, err := majordomo.NewClient(zctx, endpoint, majordomo.ClientPolicy{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if reply, err := c.Request(ctx, "echo", []byte("back")); err != nil || string(reply[0]) != "back" {
		t.Fatalf("after restart: %q, %v", reply, err)
	}
}

// A broker that stops tells its workers DISCONNECT; a client whose ctx
// ends mid-request can send the next one.
func TestBrokerShutdownAndClientCancel(t *testing.T) {
	zctx := newContext(t)
	b, err := majordomo.NewBroker(zctx, majordomo.BrokerPolicy{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Bind("tcp://127.0.0.1:*"); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(rctx) }()
	ctx := testContext(t, 20*time.Second)

	c, err := majordomo.NewClient(zctx, b.Endpoint(), majordomo.ClientPolicy{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	short, stop := context.WithTimeout(ctx, 50*time.Millisecond)
	_, err = c.Request(short, "nobody", []byte("x"))
	stop()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want the ctx's deadline", err)
	}
	d := rawDealer(t, zctx, b.Endpoint())
	if err := d.SendMulti([][]byte{nil, []byte(majordomo.WorkerHeader), {1}, []byte("nobody")}, 0); err != nil {
		t.Fatal(err)
	}
	// The queued request reaches the new worker; the client is not
	// stuck: its next request goes out and is answered.
	msg, err := d.RecvMultiContext(ctx, 0)
	if err != nil || len(msg) != 6 || msg[2][0] != byte(majordomo.CmdRequest) {
		t.Fatalf("worker got %q, %v", msg, err)
	}
	reply := make(chan error, 1)
	go func() {
		r, err := c.Request(ctx, "nobody", []byte("second"))
		if err == nil && string(r[0]) != "answer" {
			err = fmt.Errorf("reply %q", r)
		}
		reply <- err
	}()
	if err := d.SendMulti([][]byte{nil, []byte(majordomo.WorkerHeader), {3}, msg[3], nil, []byte("late")}, 0); err != nil {
		t.Fatal(err)
	}
	msg, err = d.RecvMultiContext(ctx, 0)
	if err != nil || len(msg) != 6 || string(msg[5]) != "second" {
		t.Fatalf("worker got %q, %v", msg, err)
	}
	if err := d.SendMulti([][]byte{nil, []byte(majordomo.WorkerHeader), {3}, msg[3], nil, []byte("answer")}, 0); err != nil {
		t.Fatal(err)
	}
	if err := <-reply; err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	b.Close()
	msg, err = d.RecvMultiContext(ctx, 0)
	if err != nil || len(msg) != 3 || msg[2][0] != byte(majordomo.CmdDisconnect) {
		t.Fatalf("after the broker stopped, the worker got %q, %v", msg, err)
	}
}
