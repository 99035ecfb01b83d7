//go:build linux

package zring_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/internal/testpeer"
)

func testpeerFrames(parts ...string) string { return testpeer.EncodeFrames(frames(parts...)) }

// DEALER and ROUTER against real libzmq, both directions and both roles.

func TestInteropRouterWithLibzmqDealer(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		router := newSocket(t, c, zring.Router, zring.WithRouterMandatory(true))
		named := startPeer(t, "DEALER")
		named.SetOption("ROUTING_ID", "libzmq-dealer")
		anon := startPeer(t, "DEALER")
		link(t, router, named, zringBinds)
		link(t, router, anon, zringBinds)

		named.Send([]byte("from"), []byte("named"))
		assert.Equal(t, frames("libzmq-dealer", "from", "named"), recvMulti(t, router))
		anon.Send([]byte("from anon"))
		msg := recvMulti(t, router)
		require.Len(t, msg, 2)
		require.Len(t, msg[0], 5, "zring generates the id when the peer sets none")
		require.Zero(t, msg[0][0])

		for _, m := range testMessages() {
			require.NoError(t, router.SendMulti(append(frames("libzmq-dealer"), m...), 0))
			require.Equal(t, m, named.Recv())
		}
		require.NoError(t, router.SendMulti([][]byte{msg[0], []byte("to anon")}, 0))
		require.Equal(t, frames("to anon"), anon.Recv())
	})
}

func TestInteropLibzmqRouterWithDealer(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		named := newSocket(t, c, zring.Dealer, zring.WithRoutingID([]byte("zring-dealer")))
		anon := newSocket(t, c, zring.Dealer)
		router := startPeer(t, "ROUTER")
		router.SetOption("ROUTER_MANDATORY", 1)
		link(t, named, router, zringBinds)
		link(t, anon, router, zringBinds)

		for _, m := range testMessages() {
			require.NoError(t, named.SendMulti(m, 0))
			require.Equal(t, append(frames("zring-dealer"), m...), router.Recv())
		}
		require.NoError(t, anon.Send([]byte("anon"), 0))
		msg := router.Recv()
		require.Len(t, msg, 2)
		require.Len(t, msg[0], 5, "libzmq generated the id")

		router.Send([]byte("zring-dealer"), []byte("to"), []byte("named"))
		assert.Equal(t, frames("to", "named"), recvMulti(t, named))
		router.Send(msg[0], []byte("to anon"))
		assert.Equal(t, frames("to anon"), recvMulti(t, anon))
	})
}

func TestInteropRouterWithLibzmqReq(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		router := newSocket(t, c, zring.Router)
		req := startPeer(t, "REQ")
		req.SetOption("ROUTING_ID", "client")
		link(t, router, req, zringBinds)
		for _, m := range testMessages() {
			req.Send(m...)
			got := recvMulti(t, router)
			require.Equal(t, append([][]byte{[]byte("client"), {}}, m...), got, "the envelope REQ adds")
			require.NoError(t, router.SendMulti(append([][]byte{[]byte("client"), {}}, m...), 0))
			require.Equal(t, m, req.Recv())
		}
	})
}

func TestInteropReqWithLibzmqRouter(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		req := newSocket(t, c, zring.Req, zring.WithRoutingID([]byte("client")))
		router := startPeer(t, "ROUTER")
		link(t, req, router, zringBinds)
		for _, m := range testMessages() {
			require.NoError(t, req.SendMulti(m, 0))
			require.Equal(t, append([][]byte{[]byte("client"), {}}, m...), router.Recv())
			router.Send(append([][]byte{[]byte("client"), {}}, m...)...)
			require.Equal(t, m, recvMulti(t, req))
		}
	})
}

func TestInteropDealerWithLibzmqRep(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		dealer := newSocket(t, c, zring.Dealer)
		rep := startPeer(t, "REP")
		link(t, dealer, rep, zringBinds)
		done := make(chan error, 1)
		msgs := testMessages()
		go func() { _, err := rep.Do("echo " + strconv.Itoa(len(msgs))); done <- err }()
		for _, m := range msgs {
			// A DEALER talking to a REP adds the delimiter itself.
			require.NoError(t, dealer.SendMulti(append([][]byte{{}}, m...), 0))
			require.Equal(t, append([][]byte{{}}, m...), recvMulti(t, dealer))
		}
		require.NoError(t, <-done)
	})
}

func TestInteropLibzmqDealerWithRep(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		rep := newSocket(t, c, zring.Rep)
		dealer := startPeer(t, "DEALER")
		link(t, rep, dealer, zringBinds)
		for _, m := range testMessages() {
			dealer.Send(append([][]byte{[]byte("hop"), {}}, m...)...)
			require.Equal(t, m, recvMulti(t, rep))
			require.NoError(t, rep.SendMulti(frames("ok"), 0))
			require.Equal(t, [][]byte{[]byte("hop"), {}, []byte("ok")}, dealer.Recv(), "the two-frame envelope comes back")
		}
	})
}

func TestInteropRouterToLibzmqRouter(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		router := newSocket(t, c, zring.Router, zring.WithRoutingID([]byte("zring")), zring.WithRouterMandatory(true))
		peer := startPeer(t, "ROUTER")
		peer.SetOption("ROUTING_ID", "libzmq")
		peer.SetOption("ROUTER_MANDATORY", 1)
		if zringBinds {
			require.NoError(t, router.Bind("tcp://127.0.0.1:*"))
			peer.SetOption("CONNECT_ROUTING_ID", "zring")
			peer.Connect(router.Endpoint())
		} else {
			ep := peer.Bind("tcp://127.0.0.1:*")
			require.NoError(t, router.SetOption(zring.WithConnectRoutingID([]byte("libzmq"))))
			require.NoError(t, router.Connect(ep))
		}
		if zringBinds {
			peer.Send([]byte("zring"), []byte("hello"))
			require.Equal(t, frames("libzmq", "hello"), recvMulti(t, router))
			require.NoError(t, router.SendMulti(frames("libzmq", "back"), 0))
		} else {
			require.NoError(t, router.SendMulti(frames("libzmq", "hello"), 0))
			require.Equal(t, frames("zring", "hello"), peer.Recv())
			peer.Send([]byte("zring"), []byte("back"))
			require.Equal(t, frames("libzmq", "back"), recvMulti(t, router))
			return
		}
		require.Equal(t, frames("zring", "back"), peer.Recv())
	})
}

func TestInteropReqCorrelateWithLibzmqRep(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		req := newSocket(t, c, zring.Req, zring.WithReqCorrelate(true), zring.WithReqRelaxed(true))
		rep := startPeer(t, "REP")
		link(t, req, rep, zringBinds)
		done := make(chan error, 1)
		go func() { _, err := rep.Do("echo 3"); done <- err }()
		for i := range 3 {
			body := []byte{'r', byte('0' + i)}
			require.NoError(t, req.Send(body, 0))
			require.Equal(t, [][]byte{body}, recvMulti(t, req))
		}
		require.NoError(t, <-done)
	})
}

func TestInteropLibzmqReqCorrelateWithRouter(t *testing.T) {
	c := newContext(t)
	router := newSocket(t, c, zring.Router)
	req := startPeer(t, "REQ")
	req.SetOption("REQ_CORRELATE", 1)
	req.SetOption("REQ_RELAXED", 1)
	link(t, router, req, true)
	req.Send([]byte("q"))
	got := recvMulti(t, router)
	require.Len(t, got, 4, "routing id, request id, delimiter, body")
	require.Len(t, got[1], 4)
	require.NoError(t, router.SendMulti(append(got[:3:3], []byte("a")), 0))
	require.Equal(t, frames("a"), req.Recv())
}

func TestInteropDealerWithLibzmqDealer(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		dealer := newSocket(t, c, zring.Dealer)
		peer := startPeer(t, "DEALER")
		link(t, dealer, peer, zringBinds)
		for _, m := range testMessages() {
			require.NoError(t, dealer.SendMulti(m, 0))
			require.Equal(t, m, peer.Recv())
			peer.Send(m...)
			require.Equal(t, m, recvMulti(t, dealer))
		}
	})
}

// Pairings the RFCs forbid are refused by both sides at the handshake
// (libzmq reports the failure) and deliver nothing.
func TestInteropInvalidPairingsNewTypes(t *testing.T) {
	for _, tc := range []struct {
		zring zring.Type
		peer  string
	}{
		{zring.Pub, "PULL"}, {zring.Sub, "PUSH"}, {zring.Router, "PUB"},
		{zring.Dealer, "SUB"}, {zring.XPub, "REQ"}, {zring.XSub, "ROUTER"},
	} {
		t.Run(tc.zring.String()+"-"+tc.peer, func(t *testing.T) {
			roles(t, func(t *testing.T, zringBinds bool) {
				c := newContext(t)
				s := newSocket(t, c, tc.zring, zring.WithRcvTimeout(200*time.Millisecond), zring.WithSndTimeout(100*time.Millisecond), zring.WithLinger(0))
				m, err := s.Monitor(zring.EventHandshakeFailedProtocol | zring.EventHandshakeSucceeded)
				require.NoError(t, err)
				p := startPeer(t, tc.peer)
				p.Monitor()
				p.SetOption("RCVTIMEO", 200)
				p.SetOption("SNDTIMEO", 100)
				link(t, s, p, zringBinds)
				_ = s.Subscribe("")
				ev := nextEvent(t, m, zring.EventHandshakeFailedProtocol, zring.EventHandshakeSucceeded)
				require.Equal(t, zring.EventHandshakeFailedProtocol, ev.Type, "zring refuses %v with %s", tc.zring, tc.peer)
				_ = s.SendMulti(frames("must", "not arrive"), 0)
				_, _ = p.Do("send " + testpeerFrames("must not arrive"))
				_, err = s.RecvMulti(0)
				require.Error(t, err)
				_, err = p.TryRecv()
				require.Error(t, err)
				require.NotContains(t, p.Events(), "HANDSHAKE_SUCCEEDED:0")
			})
		})
	}
}
