//go:build linux

package zmq4_test

import (
	"errors"
	"testing"
	"time"

	zmq "github.com/zring/zring/compat/pebbe"
)

// A reactor serves a socket and channels: handlers run, a channel's limit
// holds, a removed channel is no longer read, and the first error a
// handler returns ends Run.
func TestReactor(t *testing.T) {
	ctx := newContext(t)
	pull := newSocket(t, ctx, zmq.PULL)
	ep := bindAny(t, pull)
	push := newSocket(t, ctx, zmq.PUSH)
	check(t, "Connect", push.Connect(ep))

	var got []string
	values := make(chan interface{}, 10)
	for i := range 4 {
		values <- i
	}
	var seen []interface{}
	stop := errors.New("stop")
	r := zmq.NewReactor()
	r.AddSocket(pull, zmq.POLLIN, func(s zmq.State) error {
		if s != zmq.POLLIN {
			t.Errorf("handler got %v", s)
		}
		msg, err := pull.Recv(0)
		if err != nil {
			return err
		}
		got = append(got, msg)
		if len(got) == 3 {
			return stop
		}
		return nil
	})
	id := r.AddChannel(values, 1, func(v interface{}) error {
		seen = append(seen, v)
		return nil
	})
	ticks := 0
	r.AddChannelTime(time.Tick(time.Millisecond), 0, func(interface{}) error {
		ticks++
		return nil
	})
	removed := make(chan interface{}, 1)
	removed <- "never"
	r.RemoveChannel(r.AddChannel(removed, 0, func(v interface{}) error {
		t.Errorf("removed channel handled %v", v)
		return nil
	}))
	go func() {
		for _, m := range []string{"a", "b", "c"} {
			time.Sleep(20 * time.Millisecond)
			push.Send(m, 0)
		}
	}()
	if err := r.Run(10 * time.Millisecond); err != stop {
		t.Fatalf("Run: %v, want the handler's error", err)
	}
	if !equal(got, []string{"a", "b", "c"}) {
		t.Errorf("socket handler got %q", got)
	}
	if len(seen) != 4 {
		t.Errorf("channel handler got %v, want the 4 values one per round", seen)
	}
	if ticks == 0 {
		t.Error("the time channel was never handled")
	}
	r.RemoveChannel(id)
	r.RemoveSocket(pull)
	if err := r.Run(-1); err == nil {
		t.Error("Run with a channel and an infinite interval ran")
	}
}

// Proxy forwards between its sockets until the context ends (ETERM);
// ProxySteerable ends on TERMINATE with nil.
func TestProxy(t *testing.T) {
	ctx, err := zmq.NewContext()
	check(t, "NewContext", err)
	front, _ := ctx.NewSocket(zmq.ROUTER)
	back, _ := ctx.NewSocket(zmq.DEALER)
	check(t, "Bind", front.Bind("inproc://front"))
	check(t, "Bind", back.Bind("inproc://back"))
	done := make(chan error, 1)
	go func() { done <- zmq.Proxy(front, back, nil) }()

	worker, _ := ctx.NewSocket(zmq.REP)
	check(t, "Connect", worker.Connect("inproc://back"))
	client, _ := ctx.NewSocket(zmq.REQ)
	check(t, "Connect", client.Connect("inproc://front"))
	go func() {
		msg, err := worker.RecvMessage(0)
		if err == nil {
			worker.SendMessage("re:", msg)
		}
	}()
	if _, err := client.SendMessage("hello"); err != nil {
		t.Fatal(err)
	}
	check(t, "SetRcvtimeo", client.SetRcvtimeo(5*time.Second))
	reply, err := client.RecvMessage(0)
	check(t, "RecvMessage", err)
	if !equal(reply, []string{"re:", "hello"}) {
		t.Fatalf("reply %q", reply)
	}
	for _, s := range []*zmq.Socket{worker, client} {
		s.SetLinger(0)
		s.Close()
	}
	check(t, "Term", ctx.Term())
	select {
	case err := <-done:
		if err != zmq.ETERM {
			t.Fatalf("Proxy ended with %v, want ETERM", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Proxy did not end with its context")
	}

	ctx2 := newContext(t)
	f, b, c := newSocket(t, ctx2, zmq.PULL), newSocket(t, ctx2, zmq.PUSH), newSocket(t, ctx2, zmq.PAIR)
	check(t, "Bind", f.Bind("inproc://f"))
	check(t, "Bind", b.Bind("inproc://b"))
	check(t, "Bind", c.Bind("inproc://control"))
	steered := make(chan error, 1)
	go func() { steered <- zmq.ProxySteerable(f, b, nil, c) }()
	ctl := newSocket(t, ctx2, zmq.PAIR)
	check(t, "Connect", ctl.Connect("inproc://control"))
	if _, err := ctl.Send("TERMINATE", 0); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-steered:
		if err != nil {
			t.Fatalf("ProxySteerable ended with %v after TERMINATE", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ProxySteerable ignored TERMINATE")
	}
}

// SendMessage spreads []string and [][]byte parts, turns others into text
// and skips empty slices; with no parts it sends nothing.
func TestSendMessageParts(t *testing.T) {
	ctx := newContext(t)
	a, b := newSocket(t, ctx, zmq.PAIR), newSocket(t, ctx, zmq.PAIR)
	check(t, "Bind", a.Bind("inproc://parts"))
	check(t, "Connect", b.Connect("inproc://parts"))
	if n, err := a.SendMessage(); n != 0 || err != nil {
		t.Fatalf("SendMessage(): %d %v", n, err)
	}
	n, err := a.SendMessage([]string{}, "x", [][]byte{[]byte("yy"), nil}, 3.5, []byte("z"), nil, []string{"w"}, [][]byte{})
	check(t, "SendMessage", err)
	want := []string{"x", "yy", "", "3.5", "z", "<nil>", "w"}
	if n != len("xyy3.5z<nil>w") {
		t.Fatalf("SendMessage returned %d", n)
	}
	got, err := b.RecvMessage(zmq.DONTWAIT)
	check(t, "RecvMessage", err)
	if !equal(got, want) {
		t.Fatalf("received %q, want %q", got, want)
	}
	// Parts sent one by one with SNDMORE arrive as one message; Recv and
	// GetRcvmore walk it, RecvMessage takes the rest of it.
	a.Send("1", zmq.SNDMORE)
	a.SendBytes([]byte("2"), zmq.SNDMORE)
	a.Send("3", 0)
	first, err := b.Recv(0)
	check(t, "Recv", err)
	if more, _ := b.GetRcvmore(); first != "1" || !more {
		t.Fatalf("first part %q more=%v", first, more)
	}
	rest, err := b.RecvMessage(0)
	check(t, "RecvMessage", err)
	if !equal(rest, []string{"2", "3"}) {
		t.Fatalf("rest %q", rest)
	}
	if more, _ := b.GetRcvmore(); more {
		t.Fatal("GetRcvmore after the last part")
	}
	// Empty parts come back as empty, non-nil slices.
	a.SendBytes(nil, 0)
	if p, err := b.RecvBytes(0); err != nil || p == nil || len(p) != 0 {
		t.Fatalf("RecvBytes of an empty part: %v %v", p, err)
	}
}

// Monitor: events in libzmq's format through RecvEvent, and an empty
// address stops the monitor (EVENT_MONITOR_STOPPED).
func TestMonitorStop(t *testing.T) {
	ctx := newContext(t)
	s := newSocket(t, ctx, zmq.PULL)
	m := monitor(t, ctx, s)
	check(t, "Bind", s.Bind("tcp://127.0.0.1:*"))
	m.await(t, zmq.EVENT_LISTENING)
	check(t, "Monitor stop", s.Monitor("", 0))
	m.await(t, zmq.EVENT_MONITOR_STOPPED)
	if err := s.Monitor("tcp://127.0.0.1:notaport", zmq.EVENT_ALL); err != zmq.EINVAL {
		t.Fatalf("Monitor on a bad endpoint: %v", err)
	}
}

// The package-level functions use the default context.
func TestDefaultContext(t *testing.T) {
	if n, err := zmq.GetIoThreads(); n != zmq.IoThreadsDflt || err != nil {
		t.Errorf("GetIoThreads: %d %v", n, err)
	}
	s, err := zmq.NewSocket(zmq.PAIR)
	check(t, "NewSocket", err)
	defer s.Close()
	if err := zmq.SetIoThreads(zmq.IoThreadsDflt); err != nil {
		t.Errorf("SetIoThreads to the number in force: %v", err)
	}
	if err := zmq.SetIoThreads(4); !errors.Is(err, zmq.ENOTSUP) {
		t.Errorf("SetIoThreads(4) after the first socket: %v, want ENOTSUP", err)
	}
	zmq.SetRetryAfterEINTR(false)
	if zmq.GetRetryAfterEINTR() {
		t.Error("SetRetryAfterEINTR(false) not kept")
	}
	zmq.SetRetryAfterEINTR(true)
	if c, err := s.Context(); err != nil || c == nil {
		t.Errorf("Context: %v %v", c, err)
	}
	if !zmq.HasIpc() || !zmq.HasCurve() || zmq.HasPgm() || zmq.HasGssapi() || zmq.HasNorm() || zmq.HasTipc() {
		t.Error("Has* report what zring lacks, or miss what it has")
	}
}
