//go:build linux

package zmq4_test

import (
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/zring/zring"
	zmq "github.com/zring/zring/compat/pebbe"
)

// expectErrno checks err is the bare Errno want, as pebbe/zmq4 returns
// it, so that both err == want and AsErrno(err) == want hold.
func expectErrno(t *testing.T, what string, err error, want zmq.Errno) {
	t.Helper()
	if err != want { // the identity is the point: upstream code compares with ==
		t.Fatalf("%s: %v (%T), want %v (%d)", what, err, err, want, uintptr(want))
	}
	if zmq.AsErrno(err) != want {
		t.Fatalf("%s: AsErrno %d, want %d", what, zmq.AsErrno(err), want)
	}
}

func TestErrnoEAGAIN(t *testing.T) {
	ctx := newContext(t)
	pull := newSocket(t, ctx, zmq.PULL)
	bindAny(t, pull)
	_, err := pull.Recv(zmq.DONTWAIT)
	expectErrno(t, "Recv DONTWAIT", err, zmq.EAGAIN)
	_, err = pull.RecvMessage(zmq.DONTWAIT)
	expectErrno(t, "RecvMessage DONTWAIT", err, zmq.EAGAIN)
	if !errors.Is(err, zring.ErrAgain) || !errors.Is(err, syscall.EAGAIN) {
		t.Fatalf("EAGAIN does not match zring.ErrAgain and syscall.EAGAIN")
	}

	check(t, "SetRcvtimeo", pull.SetRcvtimeo(20*time.Millisecond))
	start := time.Now()
	_, err = pull.RecvBytes(0)
	expectErrno(t, "Recv past RCVTIMEO", err, zmq.EAGAIN)
	if time.Since(start) < 15*time.Millisecond {
		t.Fatal("RCVTIMEO did not wait")
	}

	push := newSocket(t, ctx, zmq.PUSH) // no peer: a send would block
	_, err = push.Send("x", zmq.DONTWAIT)
	expectErrno(t, "Send DONTWAIT without a peer", err, zmq.EAGAIN)
	n, err := push.SendMessageDontwait("a", "b")
	expectErrno(t, "SendMessageDontwait without a peer", err, zmq.EAGAIN)
	if n != -1 {
		t.Fatalf("SendMessageDontwait returned %d, want -1", n)
	}
}

// After Term, calls on the context's sockets are ETERM, a call blocked
// meanwhile returns ETERM, and the context makes no socket.
func TestErrnoETERM(t *testing.T) {
	ctx, err := zmq.NewContext()
	check(t, "NewContext", err)
	blocked, err := ctx.NewSocket(zmq.PULL)
	check(t, "NewSocket", err)
	idle, err := ctx.NewSocket(zmq.PUSH)
	check(t, "NewSocket", err)
	got := make(chan error, 1)
	go func() {
		_, err := blocked.Recv(0)
		got <- err
	}()
	time.Sleep(50 * time.Millisecond)
	check(t, "Term", ctx.Term())
	select {
	case err := <-got:
		expectErrno(t, "Recv blocked across Term", err, zmq.ETERM)
	case <-time.After(5 * time.Second):
		t.Fatal("Recv still blocked after Term")
	}
	_, err = idle.Send("x", 0)
	expectErrno(t, "Send after Term", err, zmq.ETERM)
	expectErrno(t, "Connect after Term", idle.Connect("inproc://x"), zmq.ETERM)
	_, err = idle.GetLinger()
	expectErrno(t, "GetLinger after Term", err, zmq.ETERM)
	if !errors.Is(err, zring.ErrTerminated) {
		t.Fatal("ETERM does not match zring.ErrTerminated")
	}
	if _, err := ctx.NewSocket(zmq.REQ); err != zmq.ErrorContextClosed {
		t.Fatalf("NewSocket after Term: %v, want ErrorContextClosed", err)
	}
	if err := ctx.Term(); err != nil {
		t.Fatalf("second Term: %v", err)
	}
	check(t, "Close after Term", idle.Close())
}

// Endpoints: unparsable is EINVAL, an unknown transport EPROTONOSUPPORT,
// a port in use EADDRINUSE, and undoing what was not done ENOENT, as
// libzmq answers.
func TestErrnoEndpoints(t *testing.T) {
	ctx := newContext(t)
	s := newSocket(t, ctx, zmq.PUB)
	for _, ep := range []string{"tcp://127.0.0.1:notaport", "tcp://127.0.0.1", "no-scheme", "tcp://in val id:1234", "ipc://"} {
		expectErrno(t, "Bind "+ep, s.Bind(ep), zmq.EINVAL)
	}
	expectErrno(t, "Connect tcp://localhost:invalid", s.Connect("tcp://localhost:invalid"), zmq.EINVAL)
	for _, ep := range []string{"invalid://localhost:1234", "pgm://eth0;239.192.1.1:5555"} {
		expectErrno(t, "Connect "+ep, s.Connect(ep), zmq.EPROTONOSUPPORT)
	}
	ep := bindAny(t, s)
	other := newSocket(t, ctx, zmq.PUB)
	expectErrno(t, "Bind in use", other.Bind(ep), zmq.EADDRINUSE)
	expectErrno(t, "Unbind not bound", other.Unbind("tcp://127.0.0.1:1"), zmq.ENOENT)
	expectErrno(t, "Disconnect not connected", other.Disconnect("tcp://127.0.0.1:1"), zmq.ENOENT)
	check(t, "Unbind", s.Unbind(ep))
}

func TestErrnoSocketState(t *testing.T) {
	ctx := newContext(t)
	req := newSocket(t, ctx, zmq.REQ)
	check(t, "Connect", req.Connect("inproc://nobody"))
	_, err := req.Recv(zmq.DONTWAIT)
	expectErrno(t, "REQ Recv before Send", err, zmq.EFSM)
	if !errors.Is(err, zring.ErrState) {
		t.Fatal("EFSM does not match zring.ErrState")
	}
	push := newSocket(t, ctx, zmq.PUSH)
	_, err = push.Recv(zmq.DONTWAIT)
	expectErrno(t, "PUSH Recv", err, zmq.ENOTSUP)

	router := newSocket(t, ctx, zmq.ROUTER)
	check(t, "SetRouterMandatory", router.SetRouterMandatory(1))
	_, err = router.SendMessage("nobody", "x")
	expectErrno(t, "ROUTER_MANDATORY to an unknown peer", err, zmq.EHOSTUNREACH)

	// An option the socket type has no use for is EINVAL, as libzmq says.
	expectErrno(t, "SetSubscribe on a PUSH", push.SetSubscribe("x"), zmq.EINVAL)
	expectErrno(t, "SetSndhwm -1", push.SetSndhwm(-1), zmq.EINVAL)
	expectErrno(t, "SetLinger -2ms", push.SetLinger(-2*time.Millisecond), zmq.EINVAL)
	expectErrno(t, "SetCurveServerkey short", push.SetCurveServerkey("short"), zmq.EINVAL)
}

// What zring cannot do is an error matching ENOTSUP and
// errors.ErrUnsupported that names it, never a silent success.
func TestUnsupportedIsAnError(t *testing.T) {
	ctx := newContext(t)
	s := newSocket(t, ctx, zmq.DEALER)
	_, fdErr := s.GetFd()
	_, rateErr := s.GetRate()
	cases := map[string]error{
		"SetRate":               s.SetRate(100),
		"GetRate":               rateErr,
		"SetRecoveryIvl":        s.SetRecoveryIvl(time.Second),
		"SetRouterRaw":          s.SetRouterRaw(1),
		"SetTcpAcceptFilter":    s.SetTcpAcceptFilter("127.0.0.1"),
		"SetGssapiServer":       s.SetGssapiServer(true),
		"SetSocksProxy":         s.SetSocksProxy("127.0.0.1:1080"),
		"SetMulticastMaxtpdu":   s.SetMulticastMaxtpdu(1500),
		"SetVmciBufferSize":     s.SetVmciBufferSize(1),
		"SetUseFd":              s.SetUseFd(3),
		"GetFd":                 fdErr,
		"SetThreadSchedPolicy":  ctx.SetThreadSchedPolicy(1),
		"SetThreadPriority":     ctx.SetThreadPriority(1),
		"SetMaxMsgsz":           ctx.SetMaxMsgsz(1000),
		"SetIoThreads 0":        ctx.SetIoThreads(0),
		"SetIoThreads at 2 now": ctx.SetIoThreads(2), // the context has a socket
	}
	for name, err := range cases {
		if err == nil {
			t.Errorf("%s succeeded", name)
			continue
		}
		if !errors.Is(err, zmq.ENOTSUP) || !errors.Is(err, errors.ErrUnsupported) || zmq.AsErrno(err) != zmq.ENOTSUP {
			t.Errorf("%s: %v does not match ENOTSUP and errors.ErrUnsupported", name, err)
		}
	}
	// Their defaults, or clearing them, are what zring does already.
	for name, err := range map[string]error{
		"SetTcpAcceptFilter empty":  s.SetTcpAcceptFilter(""),
		"SetSocksProxy empty":       s.SetSocksProxy(""),
		"SetUseFd -1":               s.SetUseFd(-1),
		"SetThreadPriority -1":      ctx.SetThreadPriority(-1),
		"SetMaxMsgsz default":       ctx.SetMaxMsgsz(2147483647),
		"SetIoThreads 1 (in force)": ctx.SetIoThreads(1),
	} {
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestAsErrno(t *testing.T) {
	cases := []struct {
		err  error
		want zmq.Errno
	}{
		{nil, 0},
		{errors.New("other"), 0},
		{zmq.ETERM, zmq.ETERM},
		{syscall.EINTR, zmq.Errno(syscall.EINTR)},
		{zring.ErrTerminated, zmq.ETERM},
		{zring.ErrTimeout, zmq.EAGAIN},
		{zring.ErrState, zmq.EFSM},
		{zring.ErrInvalid, zmq.EINVAL},
		{zring.ErrHostUnreachable, zmq.EHOSTUNREACH},
	}
	for _, c := range cases {
		if got := zmq.AsErrno(c.err); got != c.want {
			t.Errorf("AsErrno(%v) = %d, want %d", c.err, got, c.want)
		}
	}
	if zmq.ETERM.Error() != "Context was terminated" || zmq.EFSM.Error() != "Operation cannot be accomplished in current state" {
		t.Errorf("texts: %q %q", zmq.ETERM, zmq.EFSM)
	}
	if zmq.Error(int(zmq.EAGAIN)) != syscall.EAGAIN.Error() {
		t.Errorf("Error(EAGAIN) = %q", zmq.Error(int(zmq.EAGAIN)))
	}
}
