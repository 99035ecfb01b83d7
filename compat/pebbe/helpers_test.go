//go:build linux

package zmq4_test

import (
	"testing"
	"time"

	zmq "github.com/zring/zring/compat/pebbe"
	"github.com/zring/zring/internal/testpeer"
)

// newContext returns a context terminated when the test ends.
func newContext(t *testing.T) *zmq.Context {
	t.Helper()
	ctx, err := zmq.NewContext()
	if err != nil {
		t.Fatal("NewContext:", err)
	}
	t.Cleanup(func() { ctx.Term() })
	return ctx
}

// newSocket returns a socket of ctx closed, without lingering, when the
// test ends.
func newSocket(t *testing.T, ctx *zmq.Context, typ zmq.Type) *zmq.Socket {
	t.Helper()
	s, err := ctx.NewSocket(typ)
	if err != nil {
		t.Fatalf("NewSocket(%v): %v", typ, err)
	}
	t.Cleanup(func() {
		s.SetLinger(0)
		s.Close()
	})
	return s
}

// check fails the test on an error.
func check(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// bindAny binds s to an ephemeral loopback port and returns the endpoint.
func bindAny(t *testing.T, s *zmq.Socket) string {
	t.Helper()
	check(t, "Bind", s.Bind("tcp://127.0.0.1:*"))
	ep, err := s.GetLastEndpoint()
	check(t, "GetLastEndpoint", err)
	return ep
}

// startPeer starts a libzmq socket of typ in a child process.
func startPeer(t *testing.T, typ string) *testpeer.Peer {
	t.Helper()
	p := testpeer.Start(t, typ)
	p.SetOption("LINGER", 0)
	return p
}

// equal reports whether two messages are the same.
func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// recvTimeout sets a receive timeout so a test that is not answered
// fails instead of hanging.
func recvTimeout(t *testing.T, s *zmq.Socket) {
	t.Helper()
	check(t, "SetRcvtimeo", s.SetRcvtimeo(5*time.Second))
}
