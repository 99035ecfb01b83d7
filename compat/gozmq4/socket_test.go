//go:build linux

package zmq4_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zring/zring"
	zmq4 "github.com/zring/zring/compat/gozmq4"
	"github.com/zring/zring/compat/gozmq4/security/null"
	"github.com/zring/zring/compat/gozmq4/security/plain"
)

// The constructor's context is the socket's life-line: cancelling it ends
// a blocked Recv with an error upstream's users check for.
func TestContextCancelEndsRecv(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pull := zmq4.NewPull(ctx)
	defer pull.Close()
	listen(t, pull)
	done := make(chan error, 1)
	go func() {
		msg, err := pull.Recv()
		if err != nil && msg.Err() != err {
			err = errors.New("Msg.Err differs from Recv's error")
		}
		done <- err
	}()
	cancel()
	err := <-done
	for _, target := range []error{context.Canceled, zmq4.ErrClosedConn, zring.ErrClosed} {
		if !errors.Is(err, target) {
			t.Errorf("Recv after cancel: %v, does not match %v", err, target)
		}
	}
	// The socket is closed: sending fails too, and Close is still fine.
	if err := pull.Listen("tcp://127.0.0.1:0"); !errors.Is(err, zmq4.ErrClosedConn) {
		t.Errorf("Listen after cancel: %v, want ErrClosedConn", err)
	}
	if err := pull.Close(); err != nil {
		t.Errorf("Close after cancel: %v", err)
	}
}

// Close ends a blocked Recv, as upstream's (which cancels its context).
func TestCloseEndsRecv(t *testing.T) {
	rep := zmq4.NewRep(context.Background())
	listen(t, rep)
	done := make(chan error, 1)
	go func() { _, err := rep.Recv(); done <- err }()
	if err := rep.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, zmq4.ErrClosedConn) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Recv after Close: %v, want ErrClosedConn and context.Canceled", err)
	}
	if err := rep.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := rep.Send(zmq4.NewMsgString("x")); !errors.Is(err, zmq4.ErrClosedConn) {
		t.Fatalf("Send after Close: %v, want ErrClosedConn", err)
	}
}

func TestSetGetOption(t *testing.T) {
	sub := zmq4.NewSub(context.Background())
	defer sub.Close()
	if _, err := sub.GetOption(zmq4.OptionSubscribe); !errors.Is(err, zmq4.ErrBadProperty) {
		t.Fatalf("GetOption of an option never set: %v, want ErrBadProperty", err)
	}
	if err := sub.SetOption(zmq4.OptionSubscribe, "weather"); err != nil {
		t.Fatal(err)
	}
	if err := sub.SetOption(zmq4.OptionSubscribe, []byte("news")); err != nil {
		t.Fatal(err)
	}
	if v, err := sub.GetOption(zmq4.OptionSubscribe); err != nil || !bytes.Equal(v.([]byte), []byte("news")) {
		t.Fatalf("GetOption(SUBSCRIBE) = %v, %v; want the last value set", v, err)
	}
	if got := sub.(zmq4.Topics).Topics(); strings.Join(got, ",") != "news,weather" {
		t.Fatalf("Topics = %q, want [news weather]", got)
	}

	pub := zmq4.NewPub(context.Background())
	defer pub.Close()
	if v, err := pub.GetOption(zmq4.OptionHWM); err != nil || v != zring.DefaultHWM {
		t.Fatalf("default HWM = %v, %v; want %d", v, err, zring.DefaultHWM)
	}
	if err := pub.SetOption(zmq4.OptionHWM, 10); err != nil {
		t.Fatal(err)
	}
	if v, err := pub.GetOption(zmq4.OptionHWM); err != nil || v != 10 {
		t.Fatalf("HWM after setting 10 = %v, %v", v, err)
	}
	for _, bad := range []struct {
		name  string
		value any
	}{
		{zmq4.OptionHWM, "10"},
		{zmq4.OptionHWM, -1},
		{"NO-SUCH-OPTION", 1},
	} {
		if err := pub.SetOption(bad.name, bad.value); !errors.Is(err, zmq4.ErrBadProperty) {
			t.Errorf("SetOption(%q, %#v): %v, want ErrBadProperty", bad.name, bad.value, err)
		}
	}
	if err := sub.SetOption(zmq4.OptionSubscribe, 42); !errors.Is(err, zmq4.ErrBadProperty) {
		t.Errorf("subscribing to an int: %v, want ErrBadProperty", err)
	}
	if err := pub.SetOption(zmq4.OptionSubscribe, "x"); !errors.Is(err, zmq4.ErrBadProperty) || !errors.Is(err, zring.ErrNotSupported) {
		t.Errorf("subscribing a PUB: %v, want ErrBadProperty and zring.ErrNotSupported", err)
	}
	if _, ok := pub.(zmq4.Topics); ok {
		t.Error("PUB implements Topics, which zring cannot answer")
	}
}

// API misuse returns errors, never panics.
func TestMisuse(t *testing.T) {
	ctx := context.Background()
	pub := zmq4.NewPub(ctx)
	defer pub.Close()
	if msg, err := pub.Recv(); err == nil || msg.Err() == nil {
		t.Error("Recv on a PUB succeeded")
	}
	pull := zmq4.NewPull(ctx)
	defer pull.Close()
	if err := pull.Send(zmq4.NewMsgString("x")); !errors.Is(err, zring.ErrNotSupported) {
		t.Errorf("Send on a PULL: %v, want zring.ErrNotSupported", err)
	}
	push := zmq4.NewPush(ctx)
	defer push.Close()
	if err := push.Send(zmq4.Msg{}); !errors.Is(err, zmq4.ErrBadFrame) {
		t.Errorf("Send of no frame: %v, want ErrBadFrame", err)
	}
	req := zmq4.NewReq(ctx)
	defer req.Close()
	if _, err := req.Recv(); !errors.Is(err, zring.ErrState) {
		t.Errorf("REQ Recv before Send: %v, want zring.ErrState", err)
	}
	var ute zmq4.UnknownTransportError
	if err := req.Dial("carrier-pigeon://x"); !errors.As(err, &ute) || ute.Name != "carrier-pigeon" || !errors.Is(err, zring.ErrEndpoint) {
		t.Errorf("Dial of an unknown transport: %v, want UnknownTransportError and zring.ErrEndpoint", err)
	}
	if err := req.Listen("no-scheme"); !errors.Is(err, zring.ErrEndpoint) {
		t.Errorf("Listen without a scheme: %v, want zring.ErrEndpoint", err)
	}
	ep := listen(t, push)
	other := zmq4.NewPush(ctx)
	defer other.Close()
	if err := other.Listen(ep); !errors.Is(err, zring.ErrAddrInUse) {
		t.Errorf("Listen on a port taken: %v, want zring.ErrAddrInUse", err)
	}
	//lint:ignore SA1012 a nil context is the misuse under test
	nilCtx := zmq4.NewPair(nil, nil)
	defer nilCtx.Close()
	if err := nilCtx.Listen("inproc://gozmq4-nil-context"); err != nil {
		t.Errorf("a socket made with a nil context and a nil Option: %v", err)
	}
}

// Dial returns an error once its attempts are spent, as upstream's.
func TestDialGivesUp(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ep := "tcp://" + l.Addr().String()
	l.Close() // nothing listens there now

	push := zmq4.NewPush(context.Background(), zmq4.WithDialerMaxRetries(2), zmq4.WithDialerRetry(5*time.Millisecond))
	defer push.Close()
	if err := push.Dial(ep); err == nil {
		t.Fatal("Dial to a closed port succeeded")
	}
	ctx, cancel := context.WithCancel(context.Background())
	forever := zmq4.NewPush(ctx, zmq4.WithDialerMaxRetries(-1), zmq4.WithDialerRetry(5*time.Millisecond))
	done := make(chan error, 1)
	go func() { done <- forever.Dial(ep) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("endless Dial after cancel: %v, want context.Canceled", err)
	}
}

// WithTimeout bounds Send, which fails with upstream's deadline error.
func TestSendTimeout(t *testing.T) {
	push := zmq4.NewPush(context.Background(), zmq4.WithTimeout(20*time.Millisecond))
	defer push.Close()
	err := push.Send(zmq4.NewMsgString("nobody listens"))
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, zring.ErrTimeout) {
		t.Fatalf("Send without a peer: %v, want context.DeadlineExceeded and zring.ErrTimeout", err)
	}
}

// inproc:// joins any two sockets of the adapter, as upstream's.
func TestInprocAcrossSockets(t *testing.T) {
	ctx := context.Background()
	rep, req := zmq4.NewRep(ctx), zmq4.NewReq(ctx)
	defer rep.Close()
	defer req.Close()
	if err := rep.Listen("inproc://gozmq4-test"); err != nil {
		t.Fatal(err)
	}
	if a := rep.Addr(); a == nil || a.Network() != "inproc" || a.String() != "gozmq4-test" {
		t.Fatalf("Addr = %v", a)
	}
	dial(t, req, "inproc://gozmq4-test")
	send(t, req, "a", "b")
	recv(t, rep, "a", "b")
	send(t, rep, "c")
	recv(t, req, "c")
}

// A Security the adapter cannot hand to zring fails Listen and Dial.
type customSecurity struct{}

func (customSecurity) Type() zmq4.SecurityType                    { return "ROT13" }
func (customSecurity) Handshake(*zmq4.Conn, bool) error           { return nil }
func (customSecurity) Encrypt(w io.Writer, b []byte) (int, error) { return w.Write(b) }
func (customSecurity) Decrypt(w io.Writer, b []byte) (int, error) { return w.Write(b) }

func TestSecurity(t *testing.T) {
	s := zmq4.NewPair(context.Background(), zmq4.WithSecurity(customSecurity{}))
	defer s.Close()
	if err := s.Listen("tcp://127.0.0.1:0"); !errors.Is(err, zmq4.ErrNotMapped) {
		t.Errorf("Listen with a custom Security: %v, want ErrNotMapped", err)
	}
	if err := s.Dial("tcp://127.0.0.1:1"); !errors.Is(err, zmq4.ErrNotMapped) {
		t.Errorf("Dial with a custom Security: %v, want ErrNotMapped", err)
	}
	for _, tc := range []struct {
		sec  zmq4.Security
		want zmq4.SecurityType
	}{{null.Security(), zmq4.NullSecurity}, {plain.Security("u", "p"), zmq4.PlainSecurity}} {
		if tc.sec.Type() != tc.want {
			t.Errorf("Type = %v, want %v", tc.sec.Type(), tc.want)
		}
		var enc, dec bytes.Buffer
		if _, err := tc.sec.Encrypt(&enc, []byte("data")); err != nil || enc.String() != "data" {
			t.Errorf("%v Encrypt = %q, %v; neither mechanism encrypts", tc.want, enc.String(), err)
		}
		if _, err := tc.sec.Decrypt(&dec, enc.Bytes()); err != nil || dec.String() != "data" {
			t.Errorf("%v Decrypt = %q, %v", tc.want, dec.String(), err)
		}
		if err := tc.sec.Handshake(nil, false); !errors.Is(err, zmq4.ErrNotMapped) {
			t.Errorf("%v Handshake: %v, want ErrNotMapped", tc.want, err)
		}
	}
	// NULL from security/null is zring's NULL: a REQ and a REP talk.
	ctx := context.Background()
	rep, req := zmq4.NewRep(ctx, zmq4.WithSecurity(null.Security())), zmq4.NewReq(ctx, zmq4.WithSecurity(null.Security()))
	defer rep.Close()
	defer req.Close()
	dial(t, req, listen(t, rep))
	send(t, req, "QUIT")
	recv(t, rep, "QUIT")
}

// Proxy forwards and captures; Pause and Resume reach zring's proxy (and
// its capture), Kill ends Run with nil; a Socket from elsewhere is refused.
func TestProxy(t *testing.T) {
	ctx := context.Background()
	front, back := zmq4.NewPull(ctx), zmq4.NewPush(ctx)
	defer front.Close()
	defer back.Close()
	in, out := zmq4.NewPush(ctx), zmq4.NewPull(ctx)
	defer in.Close()
	defer out.Close()
	capture := zmq4.NewPush(ctx)
	captured := zmq4.NewPull(ctx)
	defer capture.Close()
	defer captured.Close()
	dial(t, in, listen(t, front))
	dial(t, out, listen(t, back))
	dial(t, captured, listen(t, capture))

	p := zmq4.NewProxy(ctx, front, back, capture)
	ran := make(chan error, 1)
	go func() { ran <- p.Run() }()
	send(t, in, "one", "two")
	recv(t, out, "one", "two")
	recv(t, captured, "one", "two")
	p.Pause()
	p.Resume()
	p.Stats()
	send(t, in, "three")
	recv(t, out, "three")
	recv(t, captured, "PAUSE") // zring's proxy copies its commands, as libzmq's
	recv(t, captured, "RESUME")
	recv(t, captured, "three")
	p.Kill()
	if err := <-ran; err != nil {
		t.Fatalf("Run after Kill: %v", err)
	}

	var foreign struct{ zmq4.Socket }
	if err := zmq4.NewProxy(ctx, foreign, back, nil).Run(); !errors.Is(err, zmq4.ErrNotMapped) {
		t.Fatalf("Proxy of a foreign Socket: %v, want ErrNotMapped", err)
	}
}

func TestMsg(t *testing.T) {
	m := zmq4.NewMsgFromString([]string{"a", "", "b"})
	if got := m.String(); got != `Msg{Frames:{"a", "", "b"}}` {
		t.Errorf("String = %s", got)
	}
	if string(m.Bytes()) != "ab" {
		t.Errorf("Bytes = %q", m.Bytes())
	}
	c := m.Clone()
	c.Frames[0][0] = 'z'
	if string(m.Frames[0]) != "a" {
		t.Error("Clone shares the frames")
	}
	if zmq4.NewMsg([]byte("x")).Type != zmq4.UsrMsg || zmq4.NewMsgString("x").Err() != nil {
		t.Error("a new message is not a plain user message")
	}
	if !zmq4.Req.IsCompatible(zmq4.Router) || zmq4.Req.IsCompatible(zmq4.Pub) || zmq4.SocketType("BOGUS").IsCompatible(zmq4.Pair) {
		t.Error("IsCompatible disagrees with RFC 23")
	}
}

func TestQueue(t *testing.T) {
	q := zmq4.NewQueue()
	q.Pop() // empty: no panic
	if _, ok := q.Peek(); ok || q.Len() != 0 {
		t.Fatal("new queue is not empty")
	}
	for i := range 1000 {
		q.Push(zmq4.NewMsgString(strconv.Itoa(i)))
		if i%3 == 0 {
			q.Pop()
		}
	}
	want := 1000 - 334
	if q.Len() != want {
		t.Fatalf("Len = %d, want %d", q.Len(), want)
	}
	m, _ := q.Peek()
	if string(m.Frames[0]) != "334" {
		t.Fatalf("head = %s, want 334", m.Frames[0])
	}
	q.Init()
	if q.Len() != 0 {
		t.Fatal("Init did not empty the queue")
	}
}

// The NewC... constructors, libzmq-backed upstream, are zring's sockets.
func TestCSockets(t *testing.T) {
	ctx := context.Background()
	router := zmq4.NewCRouter(ctx, zmq4.CWithID(zmq4.SocketIdentity("router")))
	defer router.Close()
	dealer := zmq4.NewCDealer(ctx, zmq4.CWithID(zmq4.SocketIdentity("d1")))
	defer dealer.Close()
	dial(t, dealer, listen(t, router))
	send(t, dealer, "", "ready")
	recv(t, router, "d1", "", "ready")
	if router.Type() != zmq4.Router || zmq4.NewCSub(ctx).Type() != zmq4.Sub {
		t.Fatal("wrong socket types")
	}
	if got := strings.Join(zmq4.Transports(), " "); !strings.Contains(got, "inproc ipc tcp") {
		t.Fatalf("Transports = %s", got)
	}
}
