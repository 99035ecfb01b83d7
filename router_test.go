//go:build linux

package zring_test

import (
	"encoding/binary"
	"errors"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

func recvMulti(t *testing.T, s *zring.Socket) [][]byte {
	t.Helper()
	msg, err := s.RecvMulti(0)
	require.NoError(t, err)
	return msg
}

func frames(parts ...string) [][]byte {
	out := make([][]byte, len(parts))
	for i, p := range parts {
		out[i] = []byte(p)
	}
	return out
}

func TestRouterUsesPeerRoutingID(t *testing.T) {
	c := newContext(t)
	router, dealer := bindConnect(t, c, zring.Router, zring.Dealer, nil,
		[]zring.Option{zring.WithRoutingID([]byte("A"))})
	require.NoError(t, dealer.SendMulti(frames("hello", "world"), 0))
	assert.Equal(t, frames("A", "hello", "world"), recvMulti(t, router))
	require.NoError(t, router.SendMulti(frames("A", "back"), 0))
	assert.Equal(t, frames("back"), recvMulti(t, dealer))
}

func TestRouterGeneratesRoutingIDs(t *testing.T) {
	c := newContext(t)
	router := newSocket(t, c, zring.Router)
	require.NoError(t, router.Bind("tcp://127.0.0.1:*"))
	ids := map[string]*zring.Socket{}
	for range 3 {
		d := newSocket(t, c, zring.Dealer)
		require.NoError(t, d.Connect(router.Endpoint()))
		require.NoError(t, d.Send([]byte("hi"), 0))
		msg := recvMulti(t, router)
		require.Len(t, msg, 2)
		id := msg[0]
		require.Len(t, id, 5, "libzmq's generated ids are 5 bytes")
		require.Zero(t, id[0], "generated ids start with a zero byte")
		require.NotContains(t, ids, string(id))
		ids[string(id)] = d
	}
	for id, d := range ids {
		require.NoError(t, router.SendMulti([][]byte{[]byte(id), []byte("to " + id)}, 0))
		assert.Equal(t, [][]byte{[]byte("to " + id)}, recvMulti(t, d))
	}
}

func TestRouterDropsUnroutable(t *testing.T) {
	c := newContext(t)
	router, dealer := bindConnect(t, c, zring.Router, zring.Dealer, nil,
		[]zring.Option{zring.WithRoutingID([]byte("A")), zring.WithRcvTimeout(200 * time.Millisecond)})
	require.NoError(t, dealer.Send([]byte("x"), 0))
	recvMulti(t, router)
	require.NoError(t, router.SendMulti(frames("nobody", "lost"), 0), "without ROUTER_MANDATORY an unknown peer is no error")
	require.NoError(t, router.Send([]byte("A"), 0), "a lone routing-id frame is dropped quietly")
	require.NoError(t, router.SendMulti(frames("A", "kept"), 0))
	assert.Equal(t, frames("kept"), recvMulti(t, dealer), "only the routable message arrives")
}

func TestRouterMandatory(t *testing.T) {
	c := newContext(t)
	router, dealer := bindConnect(t, c, zring.Router, zring.Dealer,
		[]zring.Option{zring.WithRouterMandatory(true), zring.WithSndHWM(4)},
		[]zring.Option{zring.WithRoutingID([]byte("A")), zring.WithRcvHWM(4)})
	err := router.SendMulti(frames("nobody", "x"), 0)
	require.ErrorIs(t, err, zring.ErrHostUnreachable)
	require.True(t, errors.Is(err, syscall.EHOSTUNREACH), "matches the errno libzmq reports")
	require.ErrorIs(t, router.Send([]byte("nobody"), zring.SndMore), zring.ErrHostUnreachable,
		"the routing-id frame alone is checked")

	require.NoError(t, dealer.Send([]byte("x"), 0))
	recvMulti(t, router)
	// The dealer does not read: its queues and the TCP buffers fill, then
	// the ROUTER reports ErrAgain rather than dropping.
	var sent int
	for ; sent < 1_000_000; sent++ {
		err := router.SendMultiContext(t.Context(), [][]byte{[]byte("A"), make([]byte, 1024)}, zring.DontWait)
		if err != nil {
			require.ErrorIs(t, err, zring.ErrAgain)
			break
		}
	}
	require.Less(t, sent, 1_000_000, "a full peer must refuse with ErrAgain")
	for range sent {
		recvMulti(t, dealer)
	}
}

func TestRouterHandover(t *testing.T) {
	for _, handover := range []bool{false, true} {
		t.Run(map[bool]string{false: "refused", true: "handover"}[handover], func(t *testing.T) {
			c := newContext(t)
			router := newSocket(t, c, zring.Router, zring.WithRouterHandover(handover))
			require.NoError(t, router.Bind("tcp://127.0.0.1:*"))
			first := newSocket(t, c, zring.Dealer, zring.WithRoutingID([]byte("X")), zring.WithRcvTimeout(300*time.Millisecond))
			require.NoError(t, first.Connect(router.Endpoint()))
			require.NoError(t, first.Send([]byte("one"), 0))
			assert.Equal(t, frames("X", "one"), recvMulti(t, router))

			second := newSocket(t, c, zring.Dealer, zring.WithRoutingID([]byte("X")), zring.WithRcvTimeout(300*time.Millisecond))
			require.NoError(t, second.Connect(router.Endpoint()))
			require.NoError(t, second.Send([]byte("two"), 0))
			if handover {
				assert.Equal(t, frames("X", "two"), recvMulti(t, router))
			}
			require.NoError(t, router.SendMulti(frames("X", "for X"), 0))
			winner, loser := first, second
			if handover {
				winner, loser = second, first
			}
			assert.Equal(t, frames("for X"), recvMulti(t, winner))
			_, err := loser.Recv(0)
			assert.ErrorIs(t, err, zring.ErrTimeout)
		})
	}
}

func TestProbeRouter(t *testing.T) {
	c := newContext(t)
	router, _ := bindConnect(t, c, zring.Router, zring.Dealer, nil,
		[]zring.Option{zring.WithRoutingID([]byte("P")), zring.WithProbeRouter(true)})
	assert.Equal(t, [][]byte{[]byte("P"), {}}, recvMulti(t, router), "an empty probe arrives unasked")
}

func TestConnectRoutingID(t *testing.T) {
	c := newContext(t)
	dealer := newSocket(t, c, zring.Dealer)
	require.NoError(t, dealer.Bind("tcp://127.0.0.1:*"))
	router := newSocket(t, c, zring.Router, zring.WithRouterMandatory(true))
	require.NoError(t, router.SetOption(zring.WithConnectRoutingID([]byte("peer1"))))
	require.NoError(t, router.Connect(dealer.Endpoint()))
	// Routable at once, before the connection is up.
	require.NoError(t, router.SendMulti(frames("peer1", "early"), 0))
	assert.Equal(t, frames("early"), recvMulti(t, dealer))
	require.NoError(t, dealer.Send([]byte("reply"), 0))
	assert.Equal(t, frames("peer1", "reply"), recvMulti(t, router))
}

func TestDealerRoundRobinAndFairQueue(t *testing.T) {
	c := newContext(t)
	dealer := newSocket(t, c, zring.Dealer)
	require.NoError(t, dealer.Bind("tcp://127.0.0.1:*"))
	reps := make([]*zring.Socket, 3)
	for i := range reps {
		reps[i] = newSocket(t, c, zring.Rep)
		require.NoError(t, reps[i].Connect(dealer.Endpoint()))
	}
	waitPeers(t, dealer, len(reps))
	for i := range 6 {
		require.NoError(t, dealer.SendMulti([][]byte{{}, {byte(i)}}, 0))
	}
	for _, r := range reps {
		for range 2 {
			msg := recvMulti(t, r)
			require.Len(t, msg, 1)
			require.NoError(t, r.SendMulti(msg, 0))
		}
	}
	got := map[byte]bool{}
	for range 6 {
		msg := recvMulti(t, dealer)
		require.Len(t, msg, 2)
		got[msg[1][0]] = true
	}
	assert.Len(t, got, 6, "every request went to exactly one REP and came back")
}

// waitPeers sends probes until n peers of a DEALER-like socket answered,
// so round-robin tests start with every pipe attached.
func waitPeers(t *testing.T, s *zring.Socket, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return s.PeerCount() >= n }, 5*time.Second, time.Millisecond)
}

func TestReqCorrelateAndRelaxed(t *testing.T) {
	c := newContext(t)
	router, req := bindConnect(t, c, zring.Router, zring.Req, nil,
		[]zring.Option{zring.WithRoutingID([]byte("R")), zring.WithReqCorrelate(true), zring.WithReqRelaxed(true)})
	require.NoError(t, req.Send([]byte("first"), 0))
	require.NoError(t, req.Send([]byte("second"), 0), "REQ_RELAXED allows a new request")
	m1, m2 := recvMulti(t, router), recvMulti(t, router)
	require.Len(t, m1, 4) // id, request id, delimiter, body
	require.Len(t, m2, 4)
	assert.Equal(t, []byte{}, m1[2])
	assert.Equal(t, []byte("second"), m2[3])
	require.Len(t, m1[1], 4)
	assert.Equal(t, binary.LittleEndian.Uint32(m1[1])+1, binary.LittleEndian.Uint32(m2[1]))

	// The late reply to the first request is dropped; the second's arrives.
	require.NoError(t, router.SendMulti([][]byte{m1[0], m1[1], {}, []byte("stale")}, 0))
	require.NoError(t, router.SendMulti([][]byte{m2[0], m2[1], {}, []byte("fresh")}, 0))
	assert.Equal(t, frames("fresh"), recvMulti(t, req))
}

func TestReqStrictWithoutRelaxed(t *testing.T) {
	c := newContext(t)
	_, req := bindConnect(t, c, zring.Router, zring.Req, nil, nil)
	require.NoError(t, req.Send([]byte("first"), 0))
	require.ErrorIs(t, req.Send([]byte("second"), 0), zring.ErrState)
}

// A REP behind a ROUTER/DEALER broker replies through a two-hop envelope.
func TestRepBehindBroker(t *testing.T) {
	c := newContext(t)
	front := newSocket(t, c, zring.Router)
	require.NoError(t, front.Bind("tcp://127.0.0.1:*"))
	back := newSocket(t, c, zring.Dealer)
	require.NoError(t, back.Bind("tcp://127.0.0.1:*"))
	worker := newSocket(t, c, zring.Rep)
	require.NoError(t, worker.Connect(back.Endpoint()))
	client := newSocket(t, c, zring.Req)
	require.NoError(t, client.Connect(front.Endpoint()))

	go func() {
		for range 3 {
			msg, err := worker.RecvMulti(0)
			if err != nil {
				return
			}
			_ = worker.SendMulti(append([][]byte{[]byte("done:")}, msg...), 0)
		}
	}()
	for i := range 3 {
		body := []byte{'q', byte('0' + i)}
		require.NoError(t, client.Send(body, 0))
		req := recvMulti(t, front) // [client id, "", body]
		require.NoError(t, back.SendMulti(req, 0))
		rep := recvMulti(t, back) // [client id, "", "done:", body]
		require.NoError(t, front.SendMulti(rep, 0))
		assert.Equal(t, [][]byte{[]byte("done:"), body}, recvMulti(t, client))
	}
}

// Pairings the RFCs forbid among the new types are refused at the
// handshake: nothing is delivered either way.
func TestInvalidPairingsRefused(t *testing.T) {
	pairs := [][2]zring.Type{
		{zring.Pub, zring.Pub}, {zring.Sub, zring.Sub}, {zring.Pub, zring.Dealer},
		{zring.Router, zring.Sub}, {zring.Dealer, zring.Push}, {zring.XPub, zring.Router},
		{zring.Rep, zring.Rep}, {zring.Router, zring.Rep},
	}
	for _, pair := range pairs {
		t.Run(pair[0].String()+"-"+pair[1].String(), func(t *testing.T) {
			opts := []zring.Option{zring.WithRcvTimeout(150 * time.Millisecond), zring.WithSndTimeout(50 * time.Millisecond), zring.WithLinger(0)}
			a, b := bindConnect(t, newContext(t), pair[0], pair[1], opts, opts)
			for _, s := range []*zring.Socket{a, b} {
				_ = s.Subscribe("")
			}
			for _, s := range []*zring.Socket{a, b} {
				_ = s.SendMulti(frames("must", "not arrive"), 0)
			}
			for _, s := range []*zring.Socket{a, b} {
				_, err := s.RecvMulti(0)
				require.Error(t, err, "%v received across an invalid pairing", s.Type())
			}
		})
	}
}

func TestImmediate(t *testing.T) {
	c := newContext(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ep := "tcp://" + l.Addr().String()
	l.Close() // nobody listens there yet

	queued := newSocket(t, c, zring.Push, zring.WithLinger(0))
	require.NoError(t, queued.Connect(ep))
	require.NoError(t, queued.Send([]byte("queued"), zring.DontWait), "by default a queue exists from connect on")

	strict := newSocket(t, c, zring.Push, zring.WithImmediate(true), zring.WithLinger(0))
	require.NoError(t, strict.Connect(ep))
	require.ErrorIs(t, strict.Send([]byte("x"), zring.DontWait), zring.ErrAgain, "IMMEDIATE: no peer, no queue")

	pull := newSocket(t, c, zring.Pull)
	require.NoError(t, pull.Bind(ep))
	require.NoError(t, strict.Send([]byte("once up"), 0), "blocks until the connection is up, then goes")
	got := map[string]bool{}
	for range 2 {
		got[string(recvMulti(t, pull)[0])] = true
	}
	assert.Equal(t, map[string]bool{"queued": true, "once up": true}, got)
}

// With IMMEDIATE a peer that goes away takes its pipe with it: round-robin
// continues over the peers that are up.
func TestImmediateDropsDeadPeer(t *testing.T) {
	c := newContext(t)
	a := newSocket(t, c, zring.Pull)
	require.NoError(t, a.Bind("tcp://127.0.0.1:*"))
	b := newSocket(t, c, zring.Pull, zring.WithLinger(0))
	require.NoError(t, b.Bind("tcp://127.0.0.1:*"))
	push := newSocket(t, c, zring.Push, zring.WithImmediate(true), zring.WithReconnectIvl(time.Hour))
	require.NoError(t, push.Connect(a.Endpoint()))
	require.NoError(t, push.Connect(b.Endpoint()))
	require.Eventually(t, func() bool { return push.PeerCount() == 2 }, 5*time.Second, time.Millisecond)
	require.NoError(t, b.Close())
	require.Eventually(t, func() bool { return push.PeerCount() == 1 }, 5*time.Second, time.Millisecond)
	for i := range 10 {
		require.NoError(t, push.Send([]byte{byte(i)}, 0))
	}
	for i := range 10 {
		assert.Equal(t, [][]byte{{byte(i)}}, recvMulti(t, a))
	}
}

// CONNECT_ROUTING_ID still names the peer when IMMEDIATE defers the pipe
// to the handshake.
func TestConnectRoutingIDWithImmediate(t *testing.T) {
	c := newContext(t)
	dealer := newSocket(t, c, zring.Dealer, zring.WithRoutingID([]byte("its-own")))
	require.NoError(t, dealer.Bind("tcp://127.0.0.1:*"))
	router := newSocket(t, c, zring.Router, zring.WithImmediate(true), zring.WithRouterMandatory(true))
	require.NoError(t, router.SetOption(zring.WithConnectRoutingID([]byte("named"))))
	require.NoError(t, router.Connect(dealer.Endpoint()))
	require.Eventually(t, func() bool { return router.SendMulti(frames("named", "hi"), 0) == nil }, 5*time.Second, time.Millisecond)
	assert.Equal(t, frames("hi"), recvMulti(t, dealer))
}
