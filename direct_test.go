//go:build linux

package zring_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/zmtp"
)

// Direct read: a goroutine blocked in Recv on a socket with one connected
// peer reads the connection itself (conn_direct.go).

// recvLater starts a blocking Recv and gives it time to park.
func recvLater(s *zring.Socket) <-chan error {
	errc := make(chan error, 1)
	go func() { _, err := s.Recv(0); errc <- err }()
	time.Sleep(50 * time.Millisecond)
	return errc
}

func TestDirectReadPingPong(t *testing.T) {
	rep, req := bindConnect(t, newContext(t), zring.Rep, zring.Req, nil, nil)
	done := make(chan error, 1)
	go func() {
		for i := 0; i < 2000; i++ {
			m, err := rep.RecvMulti(0)
			if err == nil {
				err = rep.SendMulti(m, 0)
			}
			if err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for i := 0; i < 2000; i++ {
		msg := [][]byte{[]byte(fmt.Sprint(i)), make([]byte, i%300)}
		require.NoError(t, req.SendMulti(msg, 0))
		got, err := req.RecvMulti(0)
		require.NoError(t, err)
		require.Equal(t, msg, got)
	}
	require.NoError(t, <-done)
	require.NotZero(t, req.Stats().DirectReads, "REQ never read directly")
	require.NotZero(t, rep.Stats().DirectReads, "REP never read directly")
}

// Large and streamed messages through a small RCVHWM: the direct reader
// stalls on the full pipe and the I/O thread resumes; nothing is lost or
// reordered.
func TestDirectReadHWMStream(t *testing.T) {
	push, pull := pushPull(t, nil, []zring.Option{zring.WithRcvHWM(4)})
	const n = 3000
	go func() {
		for i := 0; i < n; i++ {
			if push.SendMulti([][]byte{[]byte(fmt.Sprint(i)), make([]byte, (i*37)%20000)}, 0) != nil {
				return
			}
		}
	}()
	for i := 0; i < n; i++ {
		got, err := pull.RecvMulti(0)
		require.NoError(t, err)
		require.Equal(t, [][]byte{[]byte(fmt.Sprint(i)), make([]byte, (i*37)%20000)}, got)
	}
}

// rawPushTo connects a hand-driven PAIR peer to pull (a PAIR socket) and
// waits until it is attached. pull then replies, so its next Recv awaits a
// reply: the case direct read serves.
func rawPushTo(t *testing.T, pull *zring.Socket) *rawPeer {
	p := dialRaw(t, pull.Endpoint())
	p.handshake(zmtp.Pair)
	p.send("warm-up")
	got, err := pull.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "warm-up", got)
	require.NoError(t, pull.SendString("ack", 0))
	return p
}

// send writes one single-frame message.
func (p *rawPeer) send(body string) {
	p.write(append(zmtp.AppendFrameHeader(nil, 0, len(body)), body...))
}

func boundPull(t *testing.T, opts ...zring.Option) *zring.Socket {
	pull := newSocket(t, newContext(t), zring.Pair, opts...)
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	return pull
}

// The peer's last message is delivered, its close is noticed, and the
// socket keeps serving a new peer.
func TestDirectReadPeerClose(t *testing.T) {
	pull := boundPull(t, zring.WithRcvTimeout(5*time.Second))
	p := rawPushTo(t, pull)
	errc := make(chan error, 1)
	go func() {
		got, err := pull.RecvString(0)
		if err == nil && got != "last" {
			err = fmt.Errorf("got %q", got)
		}
		errc <- err
	}()
	time.Sleep(50 * time.Millisecond)
	p.send("last")
	require.NoError(t, p.conn.Close())
	require.NoError(t, <-errc)
	time.Sleep(50 * time.Millisecond) // the session ends and detaches
	q := rawPushTo(t, pull)
	q.send("again")
	got, err := pull.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "again", got)
}

// A peer closing while the goroutine waits in the netpoller: the I/O
// thread takes over, and a later Recv is not stuck on a dead connection.
func TestDirectReadPeerCloseWhileWaiting(t *testing.T) {
	pull := boundPull(t, zring.WithRcvTimeout(300*time.Millisecond))
	p := rawPushTo(t, pull)
	errc := recvLater(pull)
	require.NoError(t, p.conn.Close())
	require.ErrorIs(t, <-errc, zring.ErrTimeout)
	q := rawPushTo(t, pull)
	q.send("b")
	got, err := pull.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "b", got)
}

func TestDirectReadSocketClose(t *testing.T) {
	pull := boundPull(t, zring.WithRcvTimeout(-1))
	rawPushTo(t, pull)
	errc := recvLater(pull)
	require.NoError(t, pull.Close())
	select {
	case err := <-errc:
		require.ErrorIs(t, err, zring.ErrClosed)
	case <-time.After(5 * time.Second):
		t.Fatal("Recv still blocked after Close")
	}
}

// A PING read by the goroutine is answered by the I/O thread.
func TestDirectReadPingAnswered(t *testing.T) {
	pull := boundPull(t, zring.WithRcvTimeout(5*time.Second))
	p := rawPushTo(t, pull)
	errc := make(chan error, 1)
	go func() {
		got, err := pull.RecvString(0)
		if err == nil && got != "after-ping" {
			err = fmt.Errorf("got %q", got)
		}
		errc <- err
	}()
	time.Sleep(50 * time.Millisecond)
	p.write(zmtp.AppendPing(nil, 0, []byte("ctx")))
	p.requireReceives(zmtp.AppendPong(nil, []byte("ctx")), "no PONG")
	p.send("after-ping")
	require.NoError(t, <-errc)
}

// requireReceives reads what the socket sends until want has come, within
// 5 s; why says what is missing otherwise.
func (p *rawPeer) requireReceives(want []byte, why string) {
	p.t.Helper()
	require.NoError(p.t, p.conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	var seen []byte
	buf := make([]byte, 4096)
	for !bytes.Contains(seen, want) {
		n, err := p.conn.Read(buf)
		require.NoError(p.t, err, why)
		seen = append(seen, buf[:n]...)
	}
}

func TestDirectReadTimeout(t *testing.T) {
	pull := boundPull(t, zring.WithRcvTimeout(100*time.Millisecond))
	p := rawPushTo(t, pull)
	start := time.Now()
	_, err := pull.Recv(0)
	require.ErrorIs(t, err, zring.ErrTimeout)
	require.GreaterOrEqual(t, time.Since(start), 90*time.Millisecond)
	p.send("x")
	got, err := pull.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "x", got)
}

// A second peer attaching interrupts the direct read, and its messages are
// received fair-queued through the pipes.
func TestDirectReadSecondPeer(t *testing.T) {
	pull := newSocket(t, newContext(t), zring.Pull, zring.WithRcvTimeout(5*time.Second))
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	first := dialRaw(t, pull.Endpoint())
	first.handshake(zmtp.Push)
	first.send("first")
	got, err := pull.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "first", got)
	errc := make(chan error, 1)
	go func() {
		got, err := pull.RecvString(0)
		if err == nil && got != "second" {
			err = fmt.Errorf("got %q", got)
		}
		errc <- err
	}()
	time.Sleep(50 * time.Millisecond)
	q := dialRaw(t, pull.Endpoint())
	q.handshake(zmtp.Push)
	q.send("second")
	require.NoError(t, <-errc)
}
