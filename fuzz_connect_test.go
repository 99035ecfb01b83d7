//go:build linux

package zring_test

import (
	"errors"
	"fmt"
	"net"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/zmtp"
)

// FuzzConnect is libzmq's connect_null/connect_curve fuzzers, for every
// socket type: a zring socket (the fuzzer picks its type, and NULL, a
// PLAIN client or a CURVE client) connects to a raw TCP listener that
// writes the fuzz bytes to it (a PEER connects with ConnectPeer and sends
// to the id it got). The socket must drop that connection at
// EOF, then, disconnected from it, exchange a message with a good zring
// server (STREAM: Close must return promptly). The seeds are what zring
// servers send to zring clients, recorded through a proxy.
func FuzzConnect(f *testing.F) {
	w := fuzzContexts(f)
	for ti, typ := range fuzzTypes {
		if typ == zring.Stream {
			continue
		}
		for mech := range numMechs {
			_, rec, err := recordSeed(w, goodPeerTypes[typ][0], typ, mech)
			if err != nil {
				f.Fatalf("recording a %v server for %v over %s: %v", goodPeerTypes[typ][0], typ, mechNames[mech], err)
			}
			f.Add(byte(ti), byte(mech), rec)
		}
	}
	f.Add(byte(zring.Stream), byte(mechNull), []byte("HTTP/1.0 200 OK\r\n\r\nhi"))
	f.Add(byte(zring.Sub), byte(mechNull), concat(greeting30(), zmtp.AppendReady(nil, zmtp.Pub, nil), []byte{0x00, 0x01, 'A'}))
	f.Add(byte(zring.Dealer), byte(mechNull), concat(zmtp.AppendGreeting(nil, "NULL", false),
		zmtp.AppendReady(nil, zmtp.Router, nil), zmtp.AppendError(nil, "go away")))
	f.Fuzz(func(t *testing.T, typ, mech byte, data []byte) {
		if err := fuzzConnectOnce(w, typ, mech, data); err != nil {
			t.Fatal(err)
		}
	})
}

var (
	serversMu sync.Mutex
	servers   = map[[2]int]*zring.Socket{}
)

// goodServer returns the process-wide bound socket that serves clients of
// type typ under mech.
func goodServer(w fuzzWorld, typ zring.Type, mech int) (*zring.Socket, error) {
	serversMu.Lock()
	defer serversMu.Unlock()
	key := [2]int{int(typ), mech}
	if s := servers[key]; s != nil {
		return s, nil
	}
	s, err := bindFresh(w, goodPeerTypes[typ][0], mech)
	if err != nil {
		return nil, err
	}
	servers[key] = s
	return s, nil
}

func fuzzConnectOnce(w fuzzWorld, typByte, mechByte byte, data []byte) error {
	typ := fuzzTypes[int(typByte)%len(fuzzTypes)]
	mech := int(mechByte) % numMechs
	if typ == zring.Stream {
		mech = mechNull
	}
	l, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return err
	}
	defer l.Close()
	hostile := "tcp://" + l.Addr().String()
	opts := append(typeOpts(typ), clientOpts(mech)...)
	s, err := w.ctx(mech).NewSocket(typ, opts...)
	if err != nil {
		return err
	}
	closed := false
	defer func() {
		peerIDs.Delete(s)
		if !closed {
			s.Close()
		}
	}()
	if err := fuzzSubscribeAll(s); err != nil {
		return err
	}
	if err := connectGood(s, hostile); err != nil {
		return err
	}
	if typ == zring.Peer {
		// A PEER sends to the routing id ConnectPeer gave it while the
		// hostile server's bytes come in; whether it goes is the fuzz's.
		_ = sendTimeout(s, [][]byte{[]byte("to the hostile server")})
	}
	_ = l.SetDeadline(time.Now().Add(2 * time.Second))
	conn, err := l.AcceptTCP()
	if err != nil {
		return fmt.Errorf("%v did not connect: %w", typ, err)
	}
	err = hostileExchange(conn, data, 5*time.Second)
	conn.Close()
	if err != nil {
		return fmt.Errorf("%v client over %s: %w", typ, mechNames[mech], err)
	}
	// After a protocol error the endpoint is gone, as in libzmq: the
	// session does not reconnect.
	if err := s.Disconnect(hostile); err != nil && !errors.Is(err, zring.ErrEndpoint) {
		return fmt.Errorf("%v: Disconnect: %w", typ, err)
	}
	if typ != zring.Stream {
		server, err := goodServer(w, typ, mech)
		if err != nil {
			return err
		}
		if err := connectGood(s, server.Endpoint()); err != nil {
			return err
		}
		g := &goodPair{bound: server, peer: s}
		if err := g.served(); err != nil {
			return err
		}
	}
	closed = true
	start := time.Now()
	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		return fmt.Errorf("%v: Close still blocked after %v", typ, time.Since(start))
	}
	return nil
}

// The connect fuzz body leaks no goroutine or file descriptor.
func TestFuzzConnectLeaksNothing(t *testing.T) {
	w := fuzzContexts(t)
	types := []zring.Type{zring.Push, zring.Sub, zring.Dealer, zring.Pair}
	inputs := [][]byte{
		nil, []byte("garbage"),
		concat(zmtp.AppendGreeting(nil, "NULL", false), zmtp.AppendReady(nil, zmtp.Pull, nil)),
		concat(zmtp.AppendGreeting(nil, "NULL", false), zmtp.AppendReady(nil, zmtp.Pub, nil), []byte{0x00, 0x01, 'A'}),
		zmtp.AppendGreeting(nil, "PLAIN", true),
		zmtp.AppendGreeting(nil, "CURVE", true),
	}
	run := func(n int) {
		for i := range n {
			typ := types[i%len(types)]
			if err := fuzzConnectOnce(w, byte(typ), byte(i/len(types)), inputs[i%len(inputs)]); err != nil {
				t.Fatal(err)
			}
		}
	}
	run(len(types) * numMechs) // make the process-wide servers
	g0, fd0 := runtime.NumGoroutine(), openFDs(t)
	run(100)
	g1 := settled(runtime.NumGoroutine, g0+2)
	fd1 := settled(func() int { return openFDs(t) }, fd0+2)
	if g1 > g0+2 || fd1 > fd0+2 {
		t.Fatalf("after 100 iterations: %d goroutines (was %d), %d fds (was %d)", g1, g0, fd1, fd0)
	}
}

// A connecting STREAM closes its connection when the server half-closes,
// as libzmq's raw engine does. Found by FuzzConnect: the EOF (or data)
// that came in the same edge-triggered event as the connect's completion
// was never read, and the connection stayed open.
func TestStreamClientClosesAtEOF(t *testing.T) {
	c := newContext(t)
	for i := range 200 {
		l, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
		require.NoError(t, err)
		s := newSocket(t, c, zring.Stream, zring.WithLinger(0))
		require.NoError(t, s.Connect("tcp://"+l.Addr().String()))
		conn, err := l.AcceptTCP()
		require.NoError(t, err)
		require.NoError(t, hostileExchange(conn, nil, 5*time.Second), "iteration %d", i)
		conn.Close()
		l.Close()
		s.Close()
	}
}
