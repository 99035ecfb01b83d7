//go:build linux

package zring_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

// A PEER that connects learns its peer's routing id at once and sends to
// it; the bound PEER answers by the routing id the message carried. Over
// tcp and inproc.
func TestPeerConnectPeer(t *testing.T) {
	for _, ep := range []string{"tcp://127.0.0.1:*", "inproc://peers"} {
		t.Run(ep[:3], func(t *testing.T) {
			c := newContext(t)
			bound := newSocket(t, c, zring.Peer)
			require.NoError(t, bound.Bind(ep))
			conn := newSocket(t, c, zring.Peer)
			id, err := conn.ConnectPeer(bound.Endpoint())
			require.NoError(t, err)
			require.NotZero(t, id)
			for i := range 10 {
				f := zring.FrameOf([]byte(fmt.Sprint("hello-", i)))
				f.SetRoutingID(id)
				require.NoError(t, conn.SendFrame(f, 0))
				req, err := bound.RecvFrame(0)
				require.NoError(t, err)
				require.Equal(t, fmt.Sprint("hello-", i), string(req.Bytes()))
				rep := zring.FrameOf([]byte("back"))
				rep.SetRoutingID(req.RoutingID()) // to the id it came with
				req.Release()
				require.NoError(t, bound.SendFrame(rep, 0))
				back, err := conn.RecvFrame(0)
				require.NoError(t, err)
				require.Equal(t, "back", string(back.Bytes()))
				require.Equal(t, id, back.RoutingID(), "the reply names the peer ConnectPeer returned")
				back.Release()
			}
		})
	}
}

func TestConnectPeerMisuse(t *testing.T) {
	c := newContext(t)
	dealer := newSocket(t, c, zring.Dealer)
	_, err := dealer.ConnectPeer("tcp://127.0.0.1:1")
	require.ErrorIs(t, err, zring.ErrNotSupported)
	peer := newSocket(t, c, zring.Peer, zring.WithImmediate(true))
	_, err = peer.ConnectPeer("tcp://127.0.0.1:1")
	require.ErrorIs(t, err, zring.ErrInvalid)
}

// zring PEER with libzmq 4.3.5 PEER, each side connecting in turn (with
// ConnectPeer or zmq_connect_peer) and sending first to the id it got,
// over tcp and ipc; the other side answers by the id the message carried.
func TestInteropPeer(t *testing.T) {
	for _, ep := range draftEndpoints() {
		t.Run(ep[:3]+"/zringConnects", func(t *testing.T) {
			c := newContext(t)
			lp := startDraftPeer(t, "PEER")
			bound := lp.MustDo("bind " + ep)
			z := newSocket(t, c, zring.Peer)
			id, err := z.ConnectPeer(bound)
			require.NoError(t, err)
			for i := range 10 {
				f := zring.FrameOf([]byte(fmt.Sprint("z-", i)))
				f.SetRoutingID(id)
				require.NoError(t, z.SendFrame(f, 0))
				rid, body := peerRecv(t, lp)
				require.Equal(t, fmt.Sprint("z-", i), body)
				require.NotZero(t, rid)
				lp.MustDo(fmt.Sprintf("sendto %d %s", rid, hexOf("re:"+body)))
				rep, err := z.RecvFrame(0)
				require.NoError(t, err)
				require.Equal(t, "re:"+body, string(rep.Bytes()))
				require.Equal(t, id, rep.RoutingID())
				rep.Release()
			}
		})
		t.Run(ep[:3]+"/libzmqConnects", func(t *testing.T) {
			c := newContext(t)
			z := newSocket(t, c, zring.Peer)
			bindEp := ep
			if ep[:3] == "ipc" {
				bindEp += "-z"
			}
			require.NoError(t, z.Bind(bindEp))
			lp := startDraftPeer(t, "PEER")
			rid, err := strconv.ParseUint(lp.MustDo("connectpeer "+z.Endpoint()), 10, 32)
			require.NoError(t, err)
			for i := range 10 {
				lp.MustDo(fmt.Sprintf("sendto %d %s", rid, hexOf(fmt.Sprint("l-", i))))
				req, err := z.RecvFrame(0)
				require.NoError(t, err)
				require.Equal(t, fmt.Sprint("l-", i), string(req.Bytes()))
				require.NotZero(t, req.RoutingID())
				rep := zring.FrameOf([]byte("back"))
				rep.SetRoutingID(req.RoutingID())
				req.Release()
				require.NoError(t, z.SendFrame(rep, 0))
				got, body := peerRecv(t, lp)
				require.Equal(t, "back", body)
				require.EqualValues(t, rid, got)
			}
		})
	}
}
