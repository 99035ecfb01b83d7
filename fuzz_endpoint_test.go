//go:build linux

package zring

import (
	"errors"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/zring/zring/engine"
)

// FuzzEndpoint is libzmq's endpoint fuzzers: arbitrary endpoint strings for
// Bind and Connect on a socket of any type. Nothing panics; every error is
// a sentinel (ErrEndpoint, ErrInvalid, ErrAddrInUse, ErrNotSupported);
// what binds can be unbound and taken by no second socket, what connects
// can be disconnected.
//
// Only endpoints that stay on this machine and touch nothing of others are
// really bound or connected: inproc, ipc in the abstract namespace or
// ipc://* (a private temporary directory), loopback tcp on an ephemeral
// port for Bind, and for Connect only this process's own loopback
// listener. Every other string is only parsed and resolved (no name
// lookups: hosts that are not IP literals are not resolved).
func FuzzEndpoint(f *testing.F) {
	own := fuzzListener(f)
	for _, ep := range []string{
		"tcp://127.0.0.1:*", "tcp://[::1]:*", "tcp://127.0.0.1:0", own, "tcp://127.0.0.1:0;" + own[len("tcp://"):],
		"tcp://*:5555", "tcp://*:*", "tcp://localhost:5555", "tcp://eth0:*", "tcp://lo:*",
		"tcp://127.0.0.1:65536", "tcp://127.0.0.1:-1", "tcp://:5555", "tcp://127.0.0.1", "tcp://[::1", "tcp://[fe80::1%lo]:5555",
		"tcp://10.0.0.1:5555;192.168.0.1:5555", "tcp://0.0.0.0:0", "tcp://256.1.1.1:1",
		"ipc://@zring-fuzz-endpoint", "ipc://*", "ipc:///tmp/zring-fuzz", "ipc://@", "ipc://@" + strings.Repeat("x", 120),
		"inproc://zring-fuzz", "inproc://", "inproc://" + strings.Repeat("n", 300),
		"udp://127.0.0.1:5555", "ws://127.0.0.1:5555/x", "pgm://eth0;239.192.1.1:5555", "vmci://1:2", "tipc://{1,2}",
		"", "://", "tcp://", "tcp:/127.0.0.1:1", "TCP://127.0.0.1:*", "inproc:///", "ipc://\x00",
	} {
		f.Add(byte(0), byte(Pair), ep)
		f.Add(byte(1), byte(Dealer), ep)
	}
	f.Add(byte(1), byte(Stream), "inproc://zring-fuzz")
	f.Add(byte(0), byte(Stream), "ipc://@zring-fuzz-stream")
	f.Fuzz(func(t *testing.T, op, typ byte, ep string) {
		bind := op&1 == 0
		if safeEndpoint(ep, bind, own) {
			realEndpoint(t, Type(int(typ)%int(Stream+1)), bind, ep)
		} else {
			parseOnly(t, ep, bind, op&2 != 0)
		}
	})
}

var (
	fuzzCtxOnce sync.Once
	fuzzCtx     *Context
	fuzzOwn     string
	fuzzCtxErr  error
)

// fuzzListener starts the process's context and its loopback listener,
// which accepts connections and closes them, and returns its endpoint.
func fuzzListener(t testing.TB) string {
	fuzzCtxOnce.Do(func() {
		if fuzzCtx, fuzzCtxErr = NewContext(WithIOThreads(1)); fuzzCtxErr != nil {
			return
		}
		var l net.Listener
		if l, fuzzCtxErr = net.Listen("tcp", "127.0.0.1:0"); fuzzCtxErr != nil {
			return
		}
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				c.Close()
			}
		}()
		fuzzOwn = "tcp://" + l.Addr().String()
	})
	if fuzzCtxErr != nil {
		t.Fatal(fuzzCtxErr)
	}
	return fuzzOwn
}

// ephemeralLoopback is a loopback tcp bind on a port the kernel picks.
var ephemeralLoopback = regexp.MustCompile(`^tcp://(127\.0\.0\.1|\[::1\]):(\*|0)$`)

// safeEndpoint reports whether ep may really be bound or connected.
func safeEndpoint(ep string, bind bool, own string) bool {
	switch {
	case strings.HasPrefix(ep, "inproc://"):
		return true
	case strings.HasPrefix(ep, "ipc://"):
		path := ep[len("ipc://"):]
		return strings.HasPrefix(path, "@") || (bind && path == "*")
	case bind:
		return ephemeralLoopback.MatchString(ep)
	}
	return ep == own
}

// endpointError reports an error that is not one of Bind's and Connect's
// sentinels.
func endpointError(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil || errors.Is(err, ErrEndpoint) || errors.Is(err, ErrInvalid) ||
		errors.Is(err, ErrAddrInUse) || errors.Is(err, ErrNotSupported) {
		return
	}
	t.Fatalf("%s: error matches no sentinel: %v (%T)", what, err, err)
}

func realEndpoint(t *testing.T, typ Type, bind bool, ep string) {
	s, err := fuzzCtx.NewSocket(typ, WithLinger(0))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !bind {
		err := s.Connect(ep)
		endpointError(t, "Connect", err)
		if err == nil {
			if err := s.Disconnect(ep); err != nil {
				t.Fatalf("Disconnect(%q) after Connect: %v", ep, err)
			}
		}
		return
	}
	err = s.Bind(ep)
	endpointError(t, "Bind", err)
	if err != nil {
		return
	}
	bound := s.Endpoint()
	if bound == "" {
		t.Fatalf("Bind(%q) succeeded without an endpoint", ep)
	}
	// A second bind fails, except on an ipc file, which libzmq's bind
	// replaces.
	if !strings.HasPrefix(bound, "ipc:///") {
		other, err := fuzzCtx.NewSocket(typ, WithLinger(0))
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if err := other.Bind(bound); !errors.Is(err, ErrAddrInUse) {
			t.Fatalf("second Bind(%q) = %v, want ErrAddrInUse", bound, err)
		}
	}
	if err := s.Unbind(bound); err != nil {
		t.Fatalf("Unbind(%q) after Bind(%q): %v", bound, ep, err)
	}
}

// parseOnly parses and resolves ep as Bind and Connect would, without
// binding, connecting or looking names up.
func parseOnly(t *testing.T, ep string, bind, ipv6 bool) {
	transport, addr, err := engine.ParseEndpoint(ep)
	if err != nil {
		if !errors.Is(err, ErrEndpoint) {
			t.Fatalf("ParseEndpoint(%q): %v", ep, err)
		}
		return
	}
	if transport == engine.TransportIPC {
		a, err := engine.Resolve(nil, transport, addr, bind, ipv6)
		a.Discard()
		endpointError(t, "Resolve(ipc)", err)
		return
	}
	if transport != engine.TransportTCP {
		return
	}
	if src, dst, ok := strings.Cut(addr, ";"); ok && !bind {
		resolveOffline(t, src, true, ipv6)
		addr = dst
	}
	resolveOffline(t, addr, bind, ipv6)
}

// resolveOffline runs resolveTCP where it looks up no name: a malformed
// address or port, an IP literal, or "*" for a bind.
func resolveOffline(t *testing.T, addr string, bind, ipv6 bool) {
	host, port, err := net.SplitHostPort(addr)
	if err == nil && net.ParseIP(host) == nil && !(bind && host == "*") {
		n, perr := strconv.Atoi(port)
		if port == "*" || (perr == nil && n >= 0 && n <= 65535 && (n != 0 || bind)) {
			return // a name: resolving it could query DNS
		}
	}
	a, err := engine.ResolveTCP(nil, addr, bind, ipv6)
	endpointError(t, "ResolveTCP", err)
	if err == nil && a == (engine.Addr{}) {
		t.Fatalf("ResolveTCP(nil, %q) gave no address", addr)
	}
}
