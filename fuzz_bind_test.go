//go:build linux

package zring_test

import (
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/zring/zring"
	"github.com/zring/zring/zmtp"
)

// FuzzBind is libzmq's bind_null/bind_curve fuzzers, for every socket
// type: arbitrary bytes arrive over a real TCP connection at a bound
// socket (the fuzzer picks its type and its mechanism, NULL, PLAIN with an
// Authenticator, or a CURVE server), then a well-behaved zring peer
// connected to the same socket must still exchange a message. The seeds
// are honest streams recorded from zring peers (greeting, handshake,
// READY, messages, SUBSCRIBE and CANCEL), ZMTP 3.0 subscriptions, and raw
// bytes for STREAM, so that mutations reach the data phase.
func FuzzBind(f *testing.F) {
	w := fuzzContexts(f)
	for ti, typ := range fuzzTypes {
		if typ == zring.Stream {
			continue
		}
		for mech := range numMechs {
			peers := goodPeerTypes[typ]
			if mech != mechNull {
				peers = peers[:1]
			}
			for _, pt := range peers {
				rec, _, err := recordSeed(w, typ, pt, mech)
				if err != nil {
					f.Fatalf("recording %v to %v over %s: %v", pt, typ, mechNames[mech], err)
				}
				f.Add(byte(ti), byte(mech), rec)
			}
		}
	}
	stream := byte(zring.Stream)
	f.Add(stream, byte(mechNull), []byte("GET / HTTP/1.0\r\n\r\n"))
	f.Add(stream, byte(mechNull), zmtp.AppendGreeting(nil, "NULL", false))
	for _, typ := range []zring.Type{zring.XPub, zring.Pub} {
		// ZMTP 3.0 subscriptions are data frames; 3.1 commands from a
		// 3.0 peer are accepted too.
		f.Add(byte(typ), byte(mechNull), concat(greeting30(), zmtp.AppendReady(nil, zmtp.Sub, nil),
			[]byte{0x00, 0x02, 0x01, 'A'}, []byte{0x00, 0x01, 0x01}, []byte{0x00, 0x02, 0x00, 'A'},
			zmtp.AppendCommand(nil, zmtp.CmdSubscribe, []byte("B")), zmtp.AppendCommand(nil, zmtp.CmdCancel, []byte("B"))))
	}
	f.Add(byte(zring.Pull), byte(mechNull), concat(zmtp.AppendGreeting(nil, "NULL", false),
		zmtp.AppendReady(nil, zmtp.Push, nil), zmtp.AppendPing(nil, 10, []byte("ctx")), []byte{0x00, 0x02, 'o', 'k'}))
	f.Fuzz(func(t *testing.T, typ, mech byte, data []byte) {
		if err := fuzzBindOnce(w, typ, mech, data); err != nil {
			t.Fatal(err)
		}
	})
}

var (
	boundMu sync.Mutex
	bounds  = map[[2]int]*goodPair{}
)

// boundPair returns the process-wide bound socket of type typ under mech,
// with its good peer.
func boundPair(w fuzzWorld, typ zring.Type, mech int) (*goodPair, error) {
	boundMu.Lock()
	defer boundMu.Unlock()
	key := [2]int{int(typ), mech}
	if g := bounds[key]; g != nil {
		return g, nil
	}
	g, err := newGoodPair(w, typ, mech)
	if err != nil {
		return nil, err
	}
	bounds[key] = g
	return g, nil
}

func fuzzBindOnce(w fuzzWorld, typByte, mechByte byte, data []byte) error {
	typ := fuzzTypes[int(typByte)%len(fuzzTypes)]
	mech := int(mechByte) % numMechs
	if typ == zring.Stream {
		mech = mechNull
	}
	g, err := boundPair(w, typ, mech)
	if err != nil {
		return err
	}
	if err := hostileClient(g.bound.Endpoint(), data); err != nil {
		return fmt.Errorf("%v over %s: %w", typ, mechNames[mech], err)
	}
	return g.served()
}

// hostileClient connects to a tcp:// endpoint, writes data and half-closes,
// then waits for the other side to close (it must, at EOF), draining what
// it sends.
func hostileClient(endpoint string, data []byte) error {
	conn, err := net.DialTimeout("tcp", tcpAddr(endpoint), 2*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	return hostileExchange(conn.(*net.TCPConn), data, 5*time.Second)
}

// errKeptOpen reports a zring side that did not close at EOF.
var errKeptOpen = errors.New("the zring side kept the connection open after EOF")

// hostileExchange writes data to conn and half-closes it, while draining
// what the zring side sends until it closes the connection, for at most
// timeout.
func hostileExchange(conn *net.TCPConn, data []byte, timeout time.Duration) error {
	_ = conn.SetDeadline(time.Now().Add(timeout))
	wrote := make(chan struct{})
	go func() {
		defer close(wrote)
		_, _ = conn.Write(data) // the zring side may close first
		_ = conn.CloseWrite()
	}()
	defer func() { <-wrote }()
	buf := make([]byte, 64<<10)
	for {
		_, err := conn.Read(buf)
		if err == nil {
			continue
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return errKeptOpen
		}
		return nil // EOF or reset: closed
	}
}

// settled waits until f() is at most limit, returning the last value.
func settled(f func() int, limit int) int {
	n := f()
	for deadline := time.Now().Add(5 * time.Second); n > limit && time.Now().Before(deadline); n = f() {
		time.Sleep(10 * time.Millisecond)
	}
	return n
}

// The fuzz body leaks no goroutine, file descriptor or pipe per iteration:
// a few hundred hostile connections leave the counts where they were.
func TestFuzzBindLeaksNothing(t *testing.T) {
	w := fuzzContexts(t)
	types := []zring.Type{zring.Pull, zring.Pub, zring.Router, zring.Stream}
	inputs := [][]byte{
		nil, []byte("garbage"),
		concat(zmtp.AppendGreeting(nil, "NULL", false), zmtp.AppendReady(nil, zmtp.Push, nil), []byte{0x00, 0x02, 'o', 'k'}),
		concat(zmtp.AppendGreeting(nil, "NULL", false), zmtp.AppendReady(nil, zmtp.Sub, nil), zmtp.AppendCommand(nil, zmtp.CmdSubscribe, nil)),
		concat(zmtp.AppendGreeting(nil, "PLAIN", false), []byte{0x04, 0x05, 'H', 'E', 'L', 'L', 'O'}),
		zmtp.AppendGreeting(nil, "CURVE", false),
	}
	run := func(n int) {
		for i := range n {
			typ := types[i%len(types)]
			if err := fuzzBindOnce(w, byte(typ), byte(i/len(types)), inputs[i%len(inputs)]); err != nil {
				t.Fatal(err)
			}
		}
	}
	run(len(types) * numMechs) // make the process-wide sockets
	runtime.GC()
	g0, fd0 := runtime.NumGoroutine(), openFDs(t)
	run(300)
	g1 := settled(runtime.NumGoroutine, g0+2)
	fd1 := settled(func() int { return openFDs(t) }, fd0+2)
	if g1 > g0+2 || fd1 > fd0+2 {
		t.Fatalf("after 300 iterations: %d goroutines (was %d), %d fds (was %d)", g1, g0, fd1, fd0)
	}
	for _, typ := range types[:3] {
		for mech := range numMechs {
			g, err := boundPair(w, typ, mech)
			if err != nil {
				t.Fatal(err)
			}
			if n := settled(g.bound.PeerCount, 1); n != 1 {
				t.Errorf("%v over %s: %d pipes, want the good peer's only", typ, mechNames[mech], n)
			}
		}
	}
}
