//go:build linux

package zring_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

// HELLO_MSG: the bound ROUTER's hello is the first message a connecting
// DEALER receives, and a connecting CLIENT's hello is the first a SERVER
// receives, named by the client's routing id.
func TestHelloMsg(t *testing.T) {
	c := newContext(t)
	router := newSocket(t, c, zring.Router, zring.WithHelloMsg([]byte("H-router")))
	require.NoError(t, router.Bind("tcp://127.0.0.1:*"))
	dealer := newSocket(t, c, zring.Dealer)
	require.NoError(t, dealer.Connect(router.Endpoint()))
	got, err := dealer.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "H-router", got)

	server := newSocket(t, c, zring.Server)
	require.NoError(t, server.Bind("ipc://@zring-hello-"+t.Name()))
	client := newSocket(t, c, zring.Client, zring.WithHelloMsg([]byte("H-client")))
	require.NoError(t, client.Connect(server.Endpoint()))
	require.NoError(t, client.SendString("after", 0))
	first, err := server.RecvFrame(0)
	require.NoError(t, err)
	require.Equal(t, "H-client", string(first.Bytes()))
	second, err := server.RecvFrame(0)
	require.NoError(t, err)
	require.Equal(t, "after", string(second.Bytes()))
	require.Equal(t, first.RoutingID(), second.RoutingID(), "the hello comes from the client")
	first.Release()
	second.Release()
}

// DISCONNECT_MSG: a SERVER receives it from a client whose connection
// ended, with that client's routing id; HICCUP_MSG: a CLIENT receives it
// when its server goes, and reconnects.
func TestDisconnectAndHiccupMsg(t *testing.T) {
	c := newContext(t)
	server := newSocket(t, c, zring.Server, zring.WithDisconnectMsg([]byte("D")))
	require.NoError(t, server.Bind("tcp://127.0.0.1:*"))
	client := newSocket(t, c, zring.Client)
	require.NoError(t, client.Connect(server.Endpoint()))
	require.NoError(t, client.SendString("hi", 0))
	req, err := server.RecvFrame(0)
	require.NoError(t, err)
	id := req.RoutingID()
	req.Release()
	require.NoError(t, client.Close())
	d, err := server.RecvFrame(0)
	require.NoError(t, err)
	require.Equal(t, "D", string(d.Bytes()))
	require.Equal(t, id, d.RoutingID())
	d.Release()

	ep := server.Endpoint()
	hiccuping := newSocket(t, c, zring.Client, zring.WithHiccupMsg([]byte("X")))
	require.NoError(t, hiccuping.Connect(ep))
	require.NoError(t, hiccuping.SendString("up", 0))
	up, err := server.RecvFrame(0)
	require.NoError(t, err)
	require.Equal(t, "up", string(up.Bytes()))
	up.Release()
	require.NoError(t, server.Close())
	got, err := hiccuping.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "X", got)
}

// The options by number, as libzmq's: write-only bytes.
func TestNoticeSockOpts(t *testing.T) {
	c := newContext(t)
	s := newSocket(t, c, zring.Dealer)
	for _, opt := range []zring.Opt{zring.OptHelloMsg, zring.OptDisconnectMsg, zring.OptHiccupMsg} {
		require.NoError(t, s.SetSockOpt(opt, []byte("m")), opt)
		_, err := s.SockOpt(opt)
		require.Error(t, err, "write-only")
	}
}

// HELLO_MSG, DISCONNECT_MSG and HICCUP_MSG against libzmq 4.3.5, each way:
// the messages arrive where libzmq's own would, with the right routing id.
func TestInteropNoticeMsgs(t *testing.T) {
	t.Run("libzmqServer", func(t *testing.T) {
		c := newContext(t)
		lz := startDraftPeer(t, "SERVER")
		lz.MustDo("setsockopt HELLO_MSG " + hexOf("H"))
		lz.MustDo("setsockopt DISCONNECT_MSG " + hexOf("D"))
		ep := lz.MustDo("bind tcp://127.0.0.1:*")
		client := newSocket(t, c, zring.Client, zring.WithHiccupMsg([]byte("X")))
		require.NoError(t, client.Connect(ep))
		got, err := client.RecvString(0)
		require.NoError(t, err)
		require.Equal(t, "H", got, "libzmq's hello first")
		require.NoError(t, client.SendString("hi", 0))
		id, body := peerRecv(t, lz)
		require.Equal(t, "hi", body)
		require.NoError(t, client.Close())
		did, body := peerRecv(t, lz)
		require.Equal(t, "D", body, "libzmq's disconnect message for the zring client")
		require.Equal(t, id, did)
	})
	t.Run("zringServer", func(t *testing.T) {
		c := newContext(t)
		server := newSocket(t, c, zring.Server, zring.WithHelloMsg([]byte("H")), zring.WithDisconnectMsg([]byte("D")))
		require.NoError(t, server.Bind("tcp://127.0.0.1:*"))
		lz := startDraftPeer(t, "CLIENT")
		lz.MustDo("connect " + server.Endpoint())
		_, body := peerRecv(t, lz)
		require.Equal(t, "H", body, "zring's hello first")
		lz.MustDo("send " + hexOf("hi"))
		req, err := server.RecvFrame(0)
		require.NoError(t, err)
		require.Equal(t, "hi", string(req.Bytes()))
		id := req.RoutingID()
		req.Release()
		lz.MustDo("quit")
		d, err := server.RecvFrame(0)
		require.NoError(t, err)
		require.Equal(t, "D", string(d.Bytes()))
		require.Equal(t, id, d.RoutingID())
		d.Release()
	})
	t.Run("hiccups", func(t *testing.T) {
		c := newContext(t)
		// A zring CLIENT hears its libzmq server go.
		lz := startDraftPeer(t, "SERVER")
		ep := lz.MustDo("bind tcp://127.0.0.1:*")
		client := newSocket(t, c, zring.Client, zring.WithHiccupMsg([]byte("X")))
		require.NoError(t, client.Connect(ep))
		require.NoError(t, client.SendString("up", 0))
		_, body := peerRecv(t, lz)
		require.Equal(t, "up", body)
		lz.MustDo("quit")
		got, err := client.RecvString(0)
		require.NoError(t, err)
		require.Equal(t, "X", got)

		// A libzmq CLIENT hears its zring server go.
		server := newSocket(t, c, zring.Server)
		require.NoError(t, server.Bind("tcp://127.0.0.1:*"))
		lc := startDraftPeer(t, "CLIENT")
		lc.MustDo("setsockopt HICCUP_MSG " + hexOf("X"))
		lc.MustDo("connect " + server.Endpoint())
		lc.MustDo("send " + hexOf("up"))
		req, err := server.RecvFrame(0)
		require.NoError(t, err)
		req.Release()
		require.NoError(t, server.Close())
		_, body = peerRecv(t, lc)
		require.Equal(t, "X", body)
	})
}

// Over inproc as over tcp, as libzmq's inproc does: each side's HELLO_MSG
// is the first message the other receives, in either bind order, and a
// SERVER receives its DISCONNECT_MSG, with the routing id of the client,
// when a client that connected to it closes or disconnects. (A connection
// that fails is the only hiccup, and inproc has none.)
func TestNoticesInproc(t *testing.T) {
	c := newContext(t)
	for _, bindFirst := range []bool{true, false} {
		router := newSocket(t, c, zring.Router, zring.WithHelloMsg([]byte("H-router")))
		dealer := newSocket(t, c, zring.Dealer, zring.WithHelloMsg([]byte("H-dealer")))
		ep := fmt.Sprintf("inproc://hello-%v", bindFirst)
		if bindFirst {
			require.NoError(t, router.Bind(ep))
			require.NoError(t, dealer.Connect(ep))
		} else {
			require.NoError(t, dealer.Connect(ep))
			require.NoError(t, router.Bind(ep))
		}
		got, err := dealer.RecvString(0)
		require.NoError(t, err)
		require.Equal(t, "H-router", got, "bindFirst=%v", bindFirst)
		msg, err := router.RecvMulti(0)
		require.NoError(t, err)
		require.Equal(t, "H-dealer", string(msg[len(msg)-1]), "bindFirst=%v", bindFirst)
	}

	server := newSocket(t, c, zring.Server, zring.WithDisconnectMsg([]byte("D")))
	require.NoError(t, server.Bind("inproc://farewell"))
	for _, leave := range []string{"close", "disconnect"} {
		client := newSocket(t, c, zring.Client)
		require.NoError(t, client.Connect("inproc://farewell"))
		require.NoError(t, client.SendString("hi", 0))
		req, err := server.RecvFrame(0)
		require.NoError(t, err)
		id := req.RoutingID()
		req.Release()
		if leave == "close" {
			require.NoError(t, client.Close())
		} else {
			require.NoError(t, client.Disconnect("inproc://farewell"))
		}
		d, err := server.RecvFrame(0)
		require.NoError(t, err)
		require.Equal(t, "D", string(d.Bytes()), leave)
		require.Equal(t, id, d.RoutingID(), leave)
		d.Release()
	}

	// A connect made before the bind gets the binder's DISCONNECT_MSG too.
	early := newSocket(t, c, zring.Client)
	require.NoError(t, early.Connect("inproc://farewell-late"))
	late := newSocket(t, c, zring.Server, zring.WithDisconnectMsg([]byte("D-late")))
	require.NoError(t, late.Bind("inproc://farewell-late"))
	require.NoError(t, early.SendString("hi", 0))
	req, err := late.RecvFrame(0)
	require.NoError(t, err)
	req.Release()
	require.NoError(t, early.Close())
	got, err := late.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "D-late", got)
}
