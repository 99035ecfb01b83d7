//go:build linux

package zring_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/internal/testpeer"
	"github.com/zring/zring/zmtp"
)

// pushPull returns a bound PULL and a connected PUSH in one context.
func pushPull(t *testing.T, pushOpts, pullOpts []zring.Option) (push, pull *zring.Socket) {
	pull, push = bindConnect(t, newContext(t), zring.Pull, zring.Push, pullOpts, pushOpts)
	return push, pull
}

func TestMultipartWholeAndOrdered(t *testing.T) {
	push, pull := pushPull(t, nil, nil)
	for i := 0; i < 500; i++ {
		msg := [][]byte{[]byte(fmt.Sprint(i)), {}, make([]byte, i)}
		require.NoError(t, push.SendMulti(msg, 0))
	}
	for i := 0; i < 500; i++ {
		got, err := pull.RecvMulti(0)
		require.NoError(t, err)
		require.Equal(t, [][]byte{[]byte(fmt.Sprint(i)), {}, make([]byte, i)}, got)
	}
}

// PUSH blocks at the high-water mark, returns ErrAgain with DontWait and
// ErrTimeout after SNDTIMEO, and loses nothing once the reader catches up.
func TestPushBlocksAtHWM(t *testing.T) {
	push, pull := pushPull(t,
		[]zring.Option{zring.WithSndHWM(4), zring.WithSndTimeout(200 * time.Millisecond)},
		[]zring.Option{zring.WithRcvHWM(4)})
	require.NoError(t, push.SendString("first", 0))
	got, err := pull.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "first", got)

	big := make([]byte, 256<<10) // fill the kernel buffers too
	sent := 0
	for ; sent < 10000; sent++ {
		if err = push.Send(big, zring.DontWait); err != nil {
			break
		}
	}
	require.ErrorIs(t, err, zring.ErrAgain)
	require.Less(t, sent, 10000)
	// The I/O thread may still move a few messages into the kernel; then
	// a blocking send waits for SNDTIMEO.
	var elapsed time.Duration
	for i := 0; i < 100 && err != zring.ErrTimeout; i++ {
		start := time.Now()
		if err = push.Send(big, 0); err == nil {
			sent++
		}
		elapsed = time.Since(start)
	}
	require.ErrorIs(t, err, zring.ErrTimeout)
	require.GreaterOrEqual(t, elapsed, 150*time.Millisecond)

	done := make(chan error, 1)
	go func() { done <- push.SendString("last", 0) }() // blocks until room
	for i := 0; i < sent; i++ {
		b, err := pull.Recv(0)
		require.NoError(t, err)
		require.Len(t, b, len(big))
	}
	require.NoError(t, <-done)
	got, err = pull.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "last", got)
}

func TestReqStateMachine(t *testing.T) {
	rep, req := bindConnect(t, newContext(t), zring.Rep, zring.Req, nil, nil)

	_, err := req.Recv(0)
	require.ErrorIs(t, err, zring.ErrState, "REQ must send first")
	require.ErrorIs(t, rep.SendString("x", 0), zring.ErrState, "REP must receive first")
	require.NoError(t, req.SendString("q", 0))
	require.ErrorIs(t, req.SendString("q2", 0), zring.ErrState, "one request at a time")
	got, err := rep.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "q", got)
	_, err = rep.Recv(zring.DontWait)
	require.ErrorIs(t, err, zring.ErrState, "REP must reply before the next request")
	require.NoError(t, rep.SendString("a", 0))
	got, err = req.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "a", got)
	require.NoError(t, req.SendString("again", 0))
}

func TestUnsupportedDirection(t *testing.T) {
	c := newContext(t)
	_, err := newSocket(t, c, zring.Push).Recv(zring.DontWait)
	require.ErrorIs(t, err, zring.ErrNotSupported)
	require.ErrorIs(t, newSocket(t, c, zring.Pull).SendString("x", zring.DontWait), zring.ErrNotSupported)
}

func TestRecvContextAndTimeout(t *testing.T) {
	c := newContext(t)
	pull := newSocket(t, c, zring.Pull, zring.WithRcvTimeout(-1))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := pull.RecvContext(ctx, 0)
	require.ErrorIs(t, err, context.DeadlineExceeded)

	require.NoError(t, pull.SetOption(zring.WithRcvTimeout(50*time.Millisecond)))
	_, err = pull.Recv(0)
	require.ErrorIs(t, err, zring.ErrTimeout)
	require.ErrorIs(t, err, zring.ErrAgain, "RCVTIMEO reports EAGAIN like libzmq")
	_, err = pull.Recv(zring.DontWait)
	require.ErrorIs(t, err, zring.ErrAgain)
}

func TestCloseUnblocksAndRejects(t *testing.T) {
	c := newContext(t)
	pull := newSocket(t, c, zring.Pull, zring.WithRcvTimeout(-1))
	errs := make(chan error, 2)
	for i := 0; i < 2; i++ { // two blocked receivers
		go func() { _, err := pull.Recv(0); errs <- err }()
	}
	time.Sleep(50 * time.Millisecond)
	require.NoError(t, pull.Close())
	for i := 0; i < 2; i++ {
		require.ErrorIs(t, <-errs, zring.ErrClosed)
	}
	require.ErrorIs(t, pull.Bind("tcp://127.0.0.1:*"), zring.ErrClosed)
}

func TestContextCloseTerminatesBlockedCalls(t *testing.T) {
	c, err := zring.NewContext()
	require.NoError(t, err)
	pull, err := c.NewSocket(zring.Pull)
	require.NoError(t, err)
	errc := make(chan error, 1)
	go func() { _, err := pull.Recv(0); errc <- err }()
	time.Sleep(50 * time.Millisecond)
	require.NoError(t, c.Close())
	require.ErrorIs(t, <-errc, zring.ErrTerminated)
	_, err = c.NewSocket(zring.Push)
	require.ErrorIs(t, err, zring.ErrTerminated)
}

// With the default infinite linger, Context.Close delivers messages queued
// before the peer even existed; with linger 0 it drops them at once.
func TestLinger(t *testing.T) {
	port := freePort(t)
	endpoint := fmt.Sprintf("tcp://127.0.0.1:%d", port)
	sender, err := zring.NewContext()
	require.NoError(t, err)
	push, err := sender.NewSocket(zring.Push)
	require.NoError(t, push.Connect(endpoint))
	require.NoError(t, err)
	for i := 0; i < 10; i++ {
		require.NoError(t, push.SendString(fmt.Sprint(i), 0))
	}
	require.NoError(t, push.Close())
	closed := make(chan struct{})
	go func() { sender.Close(); close(closed) }()

	time.Sleep(100 * time.Millisecond)
	select {
	case <-closed:
		t.Fatal("Context.Close returned before queued messages were delivered")
	default:
	}
	receiver := newContext(t)
	pull := newSocket(t, receiver, zring.Pull)
	require.NoError(t, pull.Bind(endpoint))
	for i := 0; i < 10; i++ {
		got, err := pull.RecvString(0)
		require.NoError(t, err)
		require.Equal(t, fmt.Sprint(i), got)
	}
	<-closed

	dropper, err := zring.NewContext()
	require.NoError(t, err)
	push, err = dropper.NewSocket(zring.Push, zring.WithLinger(0))
	require.NoError(t, err)
	require.NoError(t, push.Connect(fmt.Sprintf("tcp://127.0.0.1:%d", freePort(t))))
	require.NoError(t, push.SendString("dropped", 0))
	start := time.Now()
	require.NoError(t, dropper.Close())
	require.Less(t, time.Since(start), time.Second)
}

func freePort(t *testing.T) int {
	// A port from below the kernel's ephemeral range: once the probe
	// closes, no other socket of the machine (an outgoing connection of a
	// test running beside, a bind to :0) is given it before the test binds
	// it, as an ephemeral one can be.
	low := 32768 // Linux's default
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if n, err := strconv.Atoi(f[0]); err == nil {
				low = n
			}
		}
	}
	if from := max(1024, low-20000); from < low {
		for range 100 {
			l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", from+rand.IntN(low-from)))
			if err != nil {
				continue // taken
			}
			defer l.Close()
			return l.Addr().(*net.TCPAddr).Port
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0") // no room below the range
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// A connecting socket reconnects to a restarted peer and keeps the messages
// queued meanwhile.
func TestReconnect(t *testing.T) {
	endpoint := fmt.Sprintf("tcp://127.0.0.1:%d", freePort(t))
	c := newContext(t)
	push := newSocket(t, c, zring.Push, zring.WithReconnectIvl(20*time.Millisecond))
	require.NoError(t, push.Connect(endpoint))
	for round := 0; round < 2; round++ {
		pull := newSocket(t, c, zring.Pull)
		require.NoError(t, pull.Bind(endpoint))
		msg := fmt.Sprint("round ", round)
		require.NoError(t, push.SendString(msg, 0))
		got, err := pull.RecvString(0)
		require.NoError(t, err)
		require.Equal(t, msg, got)
		require.NoError(t, pull.Close())
		time.Sleep(50 * time.Millisecond)
	}
}

func TestRoundRobinAndFairQueue(t *testing.T) {
	c := newContext(t)
	push := newSocket(t, c, zring.Push)
	require.NoError(t, push.Bind("tcp://127.0.0.1:*"))
	pulls := []*zring.Socket{newSocket(t, c, zring.Pull), newSocket(t, c, zring.Pull)}
	for _, p := range pulls {
		require.NoError(t, p.Connect(push.Endpoint()))
	}
	time.Sleep(100 * time.Millisecond) // both handshakes done
	for i := 0; i < 10; i++ {
		require.NoError(t, push.SendString(fmt.Sprint(i), 0))
	}
	for _, p := range pulls { // round-robin: each gets every other message
		for i := 0; i < 5; i++ {
			_, err := p.RecvString(0)
			require.NoError(t, err)
		}
		_, err := p.Recv(zring.DontWait)
		require.ErrorIs(t, err, zring.ErrAgain)
	}

	pull := newSocket(t, c, zring.Pull)
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	pushes := []*zring.Socket{newSocket(t, c, zring.Push), newSocket(t, c, zring.Push)}
	for i, p := range pushes {
		require.NoError(t, p.Connect(pull.Endpoint()))
		for j := 0; j < 20; j++ {
			require.NoError(t, p.SendString(fmt.Sprint(i), 0))
		}
	}
	time.Sleep(100 * time.Millisecond)
	first := map[string]int{}
	for i := 0; i < 20; i++ { // fair queue: the first 20 mix both senders
		got, err := pull.RecvString(0)
		require.NoError(t, err)
		first[got]++
	}
	require.Len(t, first, 2, "fair-queued across both peers: %v", first)
}

func TestConcurrentSenders(t *testing.T) {
	push, pull := pushPull(t, nil, nil)
	const senders, each = 4, 500
	var wg sync.WaitGroup
	for g := 0; g < senders; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if err := push.SendMulti([][]byte{{byte(g)}, []byte(fmt.Sprint(i))}, 0); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	next := make([]int, senders)
	for i := 0; i < senders*each; i++ {
		parts, err := pull.RecvMulti(0)
		require.NoError(t, err)
		require.Len(t, parts, 2)
		g := parts[0][0]
		require.Equal(t, fmt.Sprint(next[g]), string(parts[1]), "per-sender order kept, parts never mixed")
		next[g]++
	}
	wg.Wait()
}

func TestPairRefusesSecondPeer(t *testing.T) {
	c := newContext(t)
	a, b := bindConnect(t, c, zring.Pair, zring.Pair, nil, nil)
	require.NoError(t, b.SendString("from b", 0))
	got, err := a.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "from b", got)

	extra := newSocket(t, c, zring.Pair, zring.WithSndTimeout(0))
	require.NoError(t, extra.Connect(a.Endpoint()))
	_ = extra.SendString("from extra", 0)
	require.NoError(t, a.SetOption(zring.WithRcvTimeout(300*time.Millisecond)))
	require.NoError(t, b.SendString("b again", 0))
	got, err = a.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "b again", got)
	_, err = a.Recv(0)
	require.ErrorIs(t, err, zring.ErrTimeout, "the second peer is refused")
}

func TestBindErrors(t *testing.T) {
	c := newContext(t)
	a := newSocket(t, c, zring.Pull)
	require.NoError(t, a.Bind("tcp://127.0.0.1:*"))
	b := newSocket(t, c, zring.Pull)
	require.ErrorIs(t, b.Bind(a.Endpoint()), zring.ErrAddrInUse)
	for _, ep := range []string{"tcp://", "127.0.0.1:5555", "foo://127.0.0.1:5555", "tcp://127.0.0.1:notaport", "tcp://127.0.0.1:70000"} {
		require.ErrorIs(t, b.Bind(ep), zring.ErrEndpoint, ep)
	}
	require.ErrorIs(t, b.Connect("tcp://127.0.0.1:*"), zring.ErrEndpoint)
	require.NoError(t, b.Bind("tcp://*:0"))
	require.Regexp(t, `^tcp://0\.0\.0\.0:\d+$`, b.Endpoint())
}

func TestOptionValidation(t *testing.T) {
	c := newContext(t)
	for _, opt := range []zring.Option{
		zring.WithRoutingID(nil), zring.WithRoutingID([]byte{0, 1}), zring.WithRoutingID(make([]byte, 256)),
		zring.WithSndHWM(-1), zring.WithRcvHWM(-1), zring.WithHandshakeIvl(-1),
	} {
		_, err := c.NewSocket(zring.Push, opt)
		require.ErrorIs(t, err, zring.ErrInvalid)
	}
	_, err := c.NewSocket(zring.Type(99))
	require.ErrorIs(t, err, zring.ErrNotSupported)
	_, err = zring.NewContext(zring.WithIOThreads(0))
	require.ErrorIs(t, err, zring.ErrInvalid)
}

// A REQ's routing id reaches a libzmq ROUTER as the identity frame.
func TestInteropRoutingID(t *testing.T) {
	c := newContext(t)
	req := newSocket(t, c, zring.Req, zring.WithRoutingID([]byte("ab")))
	router := startPeer(t, "ROUTER")
	require.NoError(t, req.Connect(router.Bind("tcp://127.0.0.1:*")))
	require.NoError(t, req.SendString("hi", 0))
	require.Equal(t, [][]byte{[]byte("ab"), {}, []byte("hi")}, router.Recv())
	router.Send([]byte("ab"), []byte{}, []byte("yo"))
	got, err := req.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "yo", got)
}

// Several I/O threads, pinned, serve sockets like one.
func TestIOThreadsPinned(t *testing.T) {
	c, err := zring.NewContext(zring.WithIOThreads(2), zring.WithCPUs(0))
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	pull := newSocket(t, c, zring.Pull)
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	for i := 0; i < 4; i++ {
		push := newSocket(t, c, zring.Push)
		require.NoError(t, push.Connect(pull.Endpoint()))
		require.NoError(t, push.SendString("x", 0))
	}
	for i := 0; i < 4; i++ {
		_, err := pull.Recv(0)
		require.NoError(t, err)
	}
	_, err = zring.NewContext(zring.WithCPUs(4096))
	require.Error(t, err, "pinning to a CPU outside the affinity mask fails")
}

var _ = testpeer.Pattern

func TestIPv6Loopback(t *testing.T) {
	if l, err := net.Listen("tcp6", "[::1]:0"); err != nil {
		t.Skip("no IPv6 loopback on this machine")
	} else {
		l.Close()
	}
	pull, push := bindConnectAt(t, newContext(t), "tcp://[::1]:*", zring.Pull, zring.Push, nil, nil)
	require.Regexp(t, `^tcp://\[::1\]:\d+$`, pull.Endpoint())
	requireDelivers(t, push, pull, "over ipv6")
}

// A PAIR peer's last message is delivered after it closes, and the socket
// then serves a new peer (the old pipe is gone, so the new one is taken).
func TestPairPeerReplaced(t *testing.T) {
	c := newContext(t)
	pair := newSocket(t, c, zring.Pair, zring.WithRcvTimeout(5*time.Second))
	require.NoError(t, pair.Bind("tcp://127.0.0.1:*"))
	for _, body := range []string{"first peer", "second peer"} {
		p := dialRaw(t, pair.Endpoint())
		p.handshake(zmtp.Pair)
		p.write(append(zmtp.AppendFrameHeader(nil, 0, len(body)), body...))
		require.NoError(t, p.conn.Close())
		got, err := pair.RecvString(0)
		require.NoError(t, err)
		require.Equal(t, body, got)
		time.Sleep(50 * time.Millisecond) // the session ends and detaches
	}
}
