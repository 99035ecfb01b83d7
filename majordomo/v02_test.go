//go:build linux

package majordomo_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/zring/zring"
	"github.com/zring/zring/majordomo"
)

var v02 = majordomo.WorkerPolicy{Version: majordomo.V02}

// startStreamer runs a worker for service that answers each request with
// n PARTIALs "<body> part i" (under MDP/0.2), then a FINAL "<body> done".
func startStreamer(t *testing.T, zctx *zring.Context, endpoint, service string, policy majordomo.WorkerPolicy, n int) *majordomo.Worker {
	t.Helper()
	w, err := majordomo.NewWorker(zctx, endpoint, service, policy)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		defer w.Close()
		for {
			req, err := w.Recv(ctx)
			if err != nil {
				if ctx.Err() != nil {
					err = nil
				}
				done <- err
				return
			}
			for i := range n {
				if err := w.ReplyPartial(req, fmt.Appendf(nil, "%s part %d", req.Body[0], i)); err != nil {
					done <- err
					return
				}
			}
			if err := w.Reply(req, fmt.Appendf(nil, "%s done", req.Body[0])); err != nil {
				done <- err
				return
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, zring.ErrTerminated) {
			t.Errorf("streaming worker: %v", err)
		}
	})
	return w
}

func newClient(t *testing.T, zctx *zring.Context, endpoint string, v majordomo.Version) *majordomo.Client {
	t.Helper()
	c, err := majordomo.NewClient(zctx, endpoint, majordomo.ClientPolicy{Version: v, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// stream collects what RequestStream yields, as strings.
func stream(ctx context.Context, t *testing.T, c *majordomo.Client, service, body string) []string {
	t.Helper()
	var got []string
	for b, err := range c.RequestStream(ctx, service, []byte(body)) {
		if err != nil {
			t.Fatalf("RequestStream %s: %v", service, err)
		}
		if len(b) != 1 {
			t.Fatalf("RequestStream %s: reply of %d frames", service, len(b))
		}
		got = append(got, string(b[0]))
	}
	return got
}

// MDP/0.2 end to end: a 0.2 worker and a 0.2 client through the broker,
// multi-frame bodies intact, mmi.service answered under 0.2.
func TestV02RoundTrip(t *testing.T) {
	zctx := newContext(t)
	b := startBroker(t, zctx, majordomo.BrokerPolicy{})
	ctx := testContext(t, 20*time.Second)
	startEcho(t, zctx, b.Endpoint(), "echo", v02)
	c := newClient(t, zctx, b.Endpoint(), majordomo.V02)
	for i := range 20 {
		body := [][]byte{fmt.Appendf(nil, "hello %d", i), nil, []byte("third")}
		reply, err := c.Request(ctx, "echo", body...)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(reply, body, func(a, b []byte) bool { return string(a) == string(b) }) {
			t.Fatalf("reply %q to %q", reply, body)
		}
	}
	if s := c.Stats(); s.Sent != 20 || s.Answered != 20 || s.Failed != 0 {
		t.Errorf("client stats %+v", s)
	}
	for service, want := range map[string]string{"echo": majordomo.StatusOK, "nobody": majordomo.StatusNotFound} {
		reply, err := c.Request(ctx, "mmi.service", []byte(service))
		if err != nil {
			t.Fatal(err)
		}
		if len(reply) != 1 || string(reply[0]) != want {
			t.Errorf("mmi.service %s: %q, want %s", service, reply, want)
		}
	}
	if s := b.Stats(); s.Replies != 20 || s.Internal != 2 || s.Malformed != 0 {
		t.Errorf("broker stats %+v", s)
	}
}

// A 0.2 worker's PARTIALs reach a 0.2 client in order, then the FINAL;
// Request keeps the FINAL alone; AsyncClient tells partials from finals.
func TestV02PartialStreaming(t *testing.T) {
	zctx := newContext(t)
	b := startBroker(t, zctx, majordomo.BrokerPolicy{})
	ctx := testContext(t, 20*time.Second)
	startStreamer(t, zctx, b.Endpoint(), "count", v02, 3)
	c := newClient(t, zctx, b.Endpoint(), majordomo.V02)
	want := []string{"a part 0", "a part 1", "a part 2", "a done"}
	if got := stream(ctx, t, c, "count", "a"); !slices.Equal(got, want) {
		t.Errorf("stream %q, want %q", got, want)
	}
	// Stopping early abandons the request; the next one is unaffected.
	for b, err := range c.RequestStream(ctx, "count", []byte("b")) {
		if err != nil || string(b[0]) != "b part 0" {
			t.Fatalf("first of b: %q, %v", b, err)
		}
		break
	}
	reply, err := c.Request(ctx, "count", []byte("c"))
	if err != nil || len(reply) != 1 || string(reply[0]) != "c done" {
		t.Fatalf("Request: %q, %v", reply, err)
	}
	if s := c.Stats(); s.Sent != 3 || s.Answered != 2 || s.Failed != 1 {
		t.Errorf("client stats %+v", s)
	}

	ac, err := majordomo.NewAsyncClient(zctx, b.Endpoint(), majordomo.ClientPolicy{Version: majordomo.V02, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer ac.Close()
	if err := ac.Send(ctx, "count", []byte("d")); err != nil {
		t.Fatal(err)
	}
	for i, w := range []string{"d part 0", "d part 1", "d part 2", "d done"} {
		service, body, final, err := ac.RecvPart(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if service != "count" || len(body) != 1 || string(body[0]) != w || final != (i == 3) {
			t.Errorf("reply %d: %s %q final=%v", i, service, body, final)
		}
	}
	if s := ac.Stats(); s.Sent != 1 || s.Answered != 1 {
		t.Errorf("async client stats %+v", s)
	}
	waitFor(ctx, t, "broker counts", func() bool { s := b.Stats(); return s.Replies == 4 })
	// b's PARTIALs 1 and 2 and FINAL may reach the abandoned socket or
	// be dropped by the ROUTER; either way the broker relayed them.
	if s := b.Stats(); s.Partials != 12 || s.Unrelayed != 0 {
		t.Errorf("broker stats %+v", s)
	}
}

// One broker, both versions: every client reaches every worker. A 0.1
// client of a 0.2 streaming worker gets the FINAL alone, the PARTIALs
// counted as unrelayed; a 0.2 client of a 0.1 worker gets its REPLY as a
// FINAL.
func TestMixedVersions(t *testing.T) {
	zctx := newContext(t)
	b := startBroker(t, zctx, majordomo.BrokerPolicy{})
	ctx := testContext(t, 20*time.Second)
	startEcho(t, zctx, b.Endpoint(), "echo1", majordomo.WorkerPolicy{})
	startEcho(t, zctx, b.Endpoint(), "echo2", v02)
	startStreamer(t, zctx, b.Endpoint(), "count2", v02, 2)
	c1 := newClient(t, zctx, b.Endpoint(), majordomo.V01)
	c2 := newClient(t, zctx, b.Endpoint(), majordomo.V02)
	for _, c := range []*majordomo.Client{c1, c2} {
		for _, service := range []string{"echo1", "echo2"} {
			if got := stream(ctx, t, c, service, "x"); !slices.Equal(got, []string{"x"}) {
				t.Errorf("%s: %q", service, got)
			}
		}
	}
	if got := stream(ctx, t, c1, "count2", "y"); !slices.Equal(got, []string{"y done"}) {
		t.Errorf("0.1 client of a streamer: %q", got)
	}
	if got := stream(ctx, t, c2, "count2", "z"); !slices.Equal(got, []string{"z part 0", "z part 1", "z done"}) {
		t.Errorf("0.2 client of a streamer: %q", got)
	}
	if s := b.Stats(); s.Replies != 6 || s.Partials != 2 || s.Unrelayed != 2 || s.WorkersReady != 3 || s.Malformed != 0 {
		t.Errorf("broker stats %+v", s)
	}
	// A 0.1 async client meets a 0.2 worker too.
	ac, err := majordomo.NewAsyncClient(zctx, b.Endpoint(), majordomo.ClientPolicy{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer ac.Close()
	if err := ac.Send(ctx, "count2", []byte("w")); err != nil {
		t.Fatal(err)
	}
	service, body, final, err := ac.RecvPart(ctx)
	if err != nil || service != "count2" || len(body) != 1 || string(body[0]) != "w done" || !final {
		t.Errorf("0.1 async: %s %q %v %v", service, body, final, err)
	}
}

// The wire as spec 18 writes it, seen from raw DEALERs: no empty frame
// before the header, a command frame in client messages, the service name
// in every reply.
func TestV02Framing(t *testing.T) {
	zctx := newContext(t)
	b := startBroker(t, zctx, majordomo.BrokerPolicy{Heartbeat: majordomo.Heartbeat{Interval: time.Hour}})
	ctx := testContext(t, 20*time.Second)
	send := func(d *zring.Socket, frames ...string) {
		t.Helper()
		msg := make([][]byte, len(frames))
		for i, f := range frames {
			msg[i] = []byte(f)
		}
		if err := d.SendMultiContext(ctx, msg, 0); err != nil {
			t.Fatal(err)
		}
	}
	recv := func(d *zring.Socket) [][]byte {
		t.Helper()
		msg, err := d.RecvMultiContext(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		return msg
	}
	w, c := rawDealer(t, zctx, b.Endpoint()), rawDealer(t, zctx, b.Endpoint())
	send(w, "MDPW02", "\x01", "svc")
	waitFor(ctx, t, "READY", func() bool { return b.Stats().WorkersReady == 1 })
	send(c, "MDPC02", "\x01", "svc", "req")
	req := recv(w)
	if len(req) != 5 || string(req[0]) != "MDPW02" || string(req[1]) != "\x02" || len(req[3]) != 0 || string(req[4]) != "req" {
		t.Fatalf("REQUEST %q", req)
	}
	client := string(req[2])
	send(w, "MDPW02", "\x03", client, "", "p1")
	send(w, "MDPW02", "\x04", client, "", "f")
	for _, want := range [][]string{{"MDPC02", "\x02", "svc", "p1"}, {"MDPC02", "\x03", "svc", "f"}} {
		got := recv(c)
		if !slices.EqualFunc(got, want, func(a []byte, b string) bool { return string(a) == b }) {
			t.Errorf("client got %q, want %q", got, want)
		}
	}
	send(w, "MDPW02", "\x06")
	waitFor(ctx, t, "DISCONNECT", func() bool { return b.Stats().Disconnects == 1 })
	// The broker says DISCONNECT to a 0.2 worker in 0.2.
	send(w, "MDPW02", "\x05")
	if got := recv(w); len(got) != 2 || string(got[0]) != "MDPW02" || string(got[1]) != "\x06" {
		t.Errorf("DISCONNECT %q", got)
	}
}

// Malformed MDP/0.2 is dropped and counted; the broker still serves.
func TestV02MalformedDropped(t *testing.T) {
	zctx := newContext(t)
	b := startBroker(t, zctx, majordomo.BrokerPolicy{})
	ctx := testContext(t, 20*time.Second)
	d := rawDealer(t, zctx, b.Endpoint())
	C, W := []byte(majordomo.ClientHeaderV02), []byte(majordomo.WorkerHeaderV02)
	bad := [][][]byte{
		{C},                                      // no command
		{C, {2}, []byte("echo"), []byte("body")}, // PARTIAL from a client
		{C, {1, 1}, []byte("echo"), []byte("x")}, // two-byte command
		{C, {1}},                                 // no service
		{C, {1}, []byte("echo")},                 // no body
		{W},                                      // no command
		{W, {0}},                                 // command 0
		{W, {7}},                                 // command 7
		{W, {1}},                                 // READY without a service
		{W, {2}, []byte("x"), nil, []byte("y")},  // REQUEST from a worker
		{[]byte("MDPC03"), {1}, []byte("echo")},  // unknown header
		{nil, C, {1}, []byte("echo"), []byte("x")}, // 0.2 after an empty frame
	}
	for _, m := range bad {
		if err := d.SendMulti(m, 0); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(ctx, t, "all dropped", func() bool { return b.Stats().Malformed == uint64(len(bad)) })
	// A FINAL from a worker that never said READY gets DISCONNECT, in 0.2.
	if err := d.SendMulti([][]byte{W, {4}, []byte("client"), nil, []byte("body")}, 0); err != nil {
		t.Fatal(err)
	}
	if msg, err := d.RecvMultiContext(ctx, 0); err != nil || len(msg) != 2 || string(msg[0]) != majordomo.WorkerHeaderV02 || msg[1][0] != majordomo.WorkerDisconnect {
		t.Fatalf("after a stray FINAL: %q, %v", msg, err)
	}
	startEcho(t, zctx, b.Endpoint(), "echo", v02)
	c := newClient(t, zctx, b.Endpoint(), majordomo.V02)
	if reply, err := c.Request(ctx, "echo", []byte("still")); err != nil || string(reply[0]) != "still" {
		t.Fatalf("after malformed input: %q, %v", reply, err)
	}
}

// A 0.2 client retries on a fresh socket and gives up with ErrNoReply;
// misuse is an error.
func TestV02NoReplyAndMisuse(t *testing.T) {
	zctx := newContext(t)
	b := startBroker(t, zctx, majordomo.BrokerPolicy{})
	ctx := testContext(t, 20*time.Second)
	c, err := majordomo.NewClient(zctx, b.Endpoint(), majordomo.ClientPolicy{Version: majordomo.V02, Timeout: 50 * time.Millisecond, Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Request(ctx, "nobody", []byte("x")); !errors.Is(err, majordomo.ErrNoReply) {
		t.Fatalf("Request to nobody: %v", err)
	}
	if s := c.Stats(); s.Sent != 1 || s.Retried != 1 || s.Failed != 1 || s.Answered != 0 {
		t.Errorf("client stats %+v", s)
	}
	if _, err := majordomo.NewClient(zctx, b.Endpoint(), majordomo.ClientPolicy{Version: 7}); !errors.Is(err, majordomo.ErrInvalid) {
		t.Errorf("version 7 client: %v", err)
	}
	if _, err := majordomo.NewWorker(zctx, b.Endpoint(), "x", majordomo.WorkerPolicy{Version: -1}); !errors.Is(err, majordomo.ErrInvalid) {
		t.Errorf("version -1 worker: %v", err)
	}
	w, err := majordomo.NewWorker(zctx, b.Endpoint(), "x", majordomo.WorkerPolicy{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.ReplyPartial(&majordomo.Request{Client: []byte("c")}, []byte("p")); !errors.Is(err, majordomo.ErrInvalid) {
		t.Errorf("ReplyPartial under 0.1: %v", err)
	}
	if c.Close() != nil || !errors.Is(first(c.RequestStream(ctx, "x", []byte("y"))), majordomo.ErrClosed) {
		t.Errorf("RequestStream after Close does not say ErrClosed")
	}
}

func first(seq func(func([][]byte, error) bool)) error {
	var e error
	for _, err := range seq {
		e = err
		break
	}
	return e
}

// A 0.2 Worker as spec 18 frames it, seen from a raw ROUTER standing in
// for the broker: READY, REQUEST, PARTIAL, FINAL, and on DISCONNECT a new
// connection with a new READY. A 0.1 message is malformed to it.
func TestV02WorkerFraming(t *testing.T) {
	zctx := newContext(t)
	ctx := testContext(t, 20*time.Second)
	r, err := zctx.NewSocket(zring.Router, zring.WithLinger(0))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Bind("tcp://127.0.0.1:*"); err != nil {
		t.Fatal(err)
	}
	w, err := majordomo.NewWorker(zctx, r.Endpoint(), "svc", majordomo.WorkerPolicy{Version: majordomo.V02, Heartbeat: majordomo.Heartbeat{Interval: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	recv := func(want ...string) []byte {
		t.Helper()
		msg, err := r.RecvMultiContext(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(msg[1:], want, func(a []byte, b string) bool { return string(a) == b }) {
			t.Fatalf("worker sent %q, want %q", msg[1:], want)
		}
		return msg[0]
	}
	send := func(frames ...[]byte) {
		t.Helper()
		if err := r.SendMultiContext(ctx, frames, 0); err != nil {
			t.Fatal(err)
		}
	}
	id := recv("MDPW02", "\x01", "svc")
	send(id, nil, []byte("MDPW01"), []byte{2}, []byte("c"), nil, []byte("old")) // 0.1: malformed here
	send(id, []byte("MDPW02"), []byte{2}, []byte("c"), nil, []byte("new"))
	req, err := w.Recv(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if string(req.Client) != "c" || len(req.Body) != 1 || string(req.Body[0]) != "new" {
		t.Fatalf("request %q %q", req.Client, req.Body)
	}
	if err := w.ReplyPartial(req, []byte("p")); err != nil {
		t.Fatal(err)
	}
	if err := w.Reply(req, []byte("f")); err != nil {
		t.Fatal(err)
	}
	recv("MDPW02", "\x03", "c", "", "p")
	recv("MDPW02", "\x04", "c", "", "f")
	send(id, []byte("MDPW02"), []byte{majordomo.WorkerDisconnect})
	got := make(chan error, 1)
	go func() {
		req, err := w.Recv(ctx)
		if err == nil && string(req.Body[0]) != "again" {
			err = fmt.Errorf("request %q", req.Body)
		}
		got <- err
	}()
	id2 := recv("MDPW02", "\x01", "svc")
	if string(id2) == string(id) {
		t.Errorf("reconnected with the same routing id")
	}
	send(id2, []byte("MDPW02"), []byte{2}, []byte("c"), nil, []byte("again"))
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	if s := w.Stats(); s.Requests != 2 || s.Replies != 2 || s.Reconnects != 1 || s.Malformed != 1 {
		t.Errorf("worker stats %+v", s)
	}
}

// A worker that changes version mid-session breaks the protocol: the
// broker answers DISCONNECT (in the version it just heard) and forgets it.
func TestVersionSwitchDisconnected(t *testing.T) {
	zctx := newContext(t)
	b := startBroker(t, zctx, majordomo.BrokerPolicy{Heartbeat: majordomo.Heartbeat{Interval: time.Hour}})
	ctx := testContext(t, 20*time.Second)
	d := rawDealer(t, zctx, b.Endpoint())
	if err := d.SendMultiContext(ctx, [][]byte{nil, []byte(majordomo.WorkerHeader), {byte(majordomo.CmdReady)}, []byte("svc")}, 0); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, "READY", func() bool { return b.Stats().Workers == 1 })
	if err := d.SendMultiContext(ctx, [][]byte{[]byte(majordomo.WorkerHeaderV02), {majordomo.WorkerHeartbeat}}, 0); err != nil {
		t.Fatal(err)
	}
	msg, err := d.RecvMultiContext(ctx, 0)
	if err != nil || len(msg) != 2 || string(msg[0]) != majordomo.WorkerHeaderV02 || msg[1][0] != majordomo.WorkerDisconnect {
		t.Fatalf("after the switch: %q, %v", msg, err)
	}
	waitFor(ctx, t, "worker forgotten", func() bool { s := b.Stats(); return s.Workers == 0 && s.Disconnected == 1 })
}
