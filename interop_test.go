//go:build linux

package zring_test

import (
	"crypto/sha256"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/internal/testpeer"
)

// These tests talk to real libzmq (pyzmq under /usr/bin/python3) in both
// directions and both bind/connect roles. They fail, never skip, when the
// peer is missing.

// link joins a zring socket and a libzmq peer, with zring binding when
// zringBinds is set.
func link(t *testing.T, s *zring.Socket, p *testpeer.Peer, zringBinds bool) {
	t.Helper()
	if zringBinds {
		require.NoError(t, s.Bind("tcp://127.0.0.1:*"))
		p.Connect(s.Endpoint())
		return
	}
	require.NoError(t, s.Connect(p.Bind("tcp://127.0.0.1:*")))
}

func roles(t *testing.T, fn func(t *testing.T, zringBinds bool)) {
	t.Run("zring-binds", func(t *testing.T) { fn(t, true) })
	t.Run("zring-connects", func(t *testing.T) { fn(t, false) })
}

// testMessages are multipart messages with the frame sizes at ZMTP's
// boundaries: empty, 255 (last short frame) and 256 (first long frame).
func testMessages() [][][]byte {
	return [][][]byte{
		{[]byte("hello")},
		{{}},
		{[]byte("a"), {}, []byte("c")},
		{testpeer.Pattern(255), testpeer.Pattern(256)},
		{{}, testpeer.Pattern(256), {}},
	}
}

func TestInteropPushToLibzmqPull(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		push := newSocket(t, c, zring.Push)
		pull := startPeer(t, "PULL")
		link(t, push, pull, zringBinds)
		for _, msg := range testMessages() {
			require.NoError(t, push.SendMulti(msg, 0))
			require.Equal(t, msg, pull.Recv())
		}
		big := testpeer.Pattern(1 << 20)
		require.NoError(t, push.Send(big, 0))
		n, sum := pull.RecvCheck()
		require.Equal(t, len(big), n)
		require.Equal(t, sha256.Sum256(big), sum)
	})
}

func TestInteropLibzmqPushToPull(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		pull := newSocket(t, c, zring.Pull)
		push := startPeer(t, "PUSH")
		link(t, pull, push, zringBinds)
		for _, msg := range testMessages() {
			push.Send(msg...)
			got, err := pull.RecvMulti(0)
			require.NoError(t, err)
			require.Equal(t, msg, got)
		}
		push.SendBig(1 << 20)
		got, err := pull.RecvMulti(0)
		require.NoError(t, err)
		require.Equal(t, [][]byte{testpeer.Pattern(1 << 20)}, got)
	})
}

func TestInteropReqToLibzmqRep(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		req := newSocket(t, c, zring.Req)
		rep := startPeer(t, "REP")
		link(t, req, rep, zringBinds)
		msgs := append(testMessages(), [][]byte{testpeer.Pattern(1 << 20)})
		done := make(chan error, 1)
		go func() { _, err := rep.Do("echo " + strconv.Itoa(len(msgs))); done <- err }()
		for _, msg := range msgs {
			require.NoError(t, req.SendMulti(msg, 0))
			got, err := req.RecvMulti(0)
			require.NoError(t, err)
			require.Equal(t, msg, got)
		}
		require.NoError(t, <-done)
	})
}

func TestInteropLibzmqReqToRep(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		rep := newSocket(t, c, zring.Rep)
		req := startPeer(t, "REQ")
		link(t, rep, req, zringBinds)
		for _, msg := range append(testMessages(), [][]byte{testpeer.Pattern(1 << 20)}) {
			req.Send(msg...)
			got, err := rep.RecvMulti(0)
			require.NoError(t, err)
			require.Equal(t, msg, got)
			reply := append([][]byte{[]byte("re:")}, got...)
			require.NoError(t, rep.SendMulti(reply, 0))
			require.Equal(t, reply, req.Recv())
		}
	})
}

func TestInteropPair(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		pair := newSocket(t, c, zring.Pair)
		peer := startPeer(t, "PAIR")
		link(t, pair, peer, zringBinds)
		for _, msg := range append(testMessages(), [][]byte{testpeer.Pattern(1 << 20)}) {
			require.NoError(t, pair.SendMulti(msg, 0))
			got := peer.Recv()
			require.Equal(t, msg, got)
			peer.Send(got...)
			back, err := pair.RecvMulti(0)
			require.NoError(t, err)
			require.Equal(t, msg, back)
		}
	})
}

// An invalid pairing is refused at the handshake in both directions and
// both roles: no message crosses and libzmq reports the failed handshake.
func TestInteropInvalidPairingRefused(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		pull := newSocket(t, c, zring.Pull, zring.WithRcvTimeout(500*time.Millisecond))
		push := newSocket(t, c, zring.Push, zring.WithLinger(0))
		sender := startPeer(t, "PAIR")   // would send to our PULL
		receiver := startPeer(t, "PAIR") // would receive from our PUSH
		sender.Monitor()
		receiver.Monitor()
		receiver.SetOption("RCVTIMEO", 500)
		link(t, pull, sender, zringBinds)
		link(t, push, receiver, zringBinds)

		// Either side may refuse to queue with no valid peer; what matters
		// is that nothing is delivered.
		sender.SetOption("SNDTIMEO", 300)
		_, _ = sender.Do("send " + testpeer.EncodeFrames([][]byte{[]byte("must not arrive")}))
		_, err := pull.Recv(0)
		require.ErrorIs(t, err, zring.ErrTimeout)
		_ = push.Send([]byte("must not arrive"), zring.DontWait)
		_, err = receiver.TryRecv()
		require.ErrorIs(t, err, testpeer.ErrAgain)
		for _, p := range []*testpeer.Peer{sender, receiver} {
			events := p.Events()
			require.NotContains(t, events, "HANDSHAKE_SUCCEEDED:0")
			require.True(t, hasPrefix(events, "HANDSHAKE_FAILED", "DISCONNECTED"), "libzmq events: %v", events)
		}
	})
}

func hasPrefix(events []string, prefixes ...string) bool {
	for _, e := range events {
		for _, p := range prefixes {
			if strings.HasPrefix(e, p) {
				return true
			}
		}
	}
	return false
}

// libzmq with heartbeats on (PING every 100 ms, 300 ms timeout) stays
// connected to zring: zring answers every PING with a PONG.
func TestInteropAnswersLibzmqHeartbeats(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		pull := newSocket(t, c, zring.Pull)
		push := startPeer(t, "PUSH")
		push.SetOption("HEARTBEAT_IVL", 100)
		push.SetOption("HEARTBEAT_TIMEOUT", 300)
		push.Monitor()
		link(t, pull, push, zringBinds)
		push.Send([]byte("before"))
		got, err := pull.RecvString(0)
		require.NoError(t, err)
		require.Equal(t, "before", got)
		time.Sleep(1500 * time.Millisecond) // five timeouts without traffic
		push.Send([]byte("after"))
		got, err = pull.RecvString(0)
		require.NoError(t, err)
		require.Equal(t, "after", got)
		for _, e := range push.Events() {
			require.False(t, strings.HasPrefix(e, "DISCONNECTED"), "libzmq dropped the connection: %v", push.Events())
		}
	})
}
