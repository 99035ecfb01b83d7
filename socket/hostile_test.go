package socket_test

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring/socket"
	"github.com/zring/zring/zmtp"
)

// Hostile peers (see docs/reliability.md): every size, count and name a
// peer sends is checked, and a peer breaking the rules loses only its own
// connection, with a reason in the monitor events.

// nextEventOf is nextEvent for an event that needs s to run its commands
// first (a pipe's attach): it keeps polling s meanwhile.
func nextEventOf(t *testing.T, s *socket.Socket, m *socket.Monitor, want ...socket.EventType) socket.Event {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		_, err := s.Events()
		require.NoError(t, err)
		select {
		case ev := <-m.Events():
			if slices.Contains(want, ev.Type) {
				return ev
			}
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("no %v event", want)
	return socket.Event{}
}

// handshakeWith exchanges greetings, then sends ready as the peer's READY
// data (properties).
func (p *rawPeer) handshakeWith(ready []byte) {
	p.t.Helper()
	p.write(zmtp.AppendGreeting(nil, "NULL", false))
	p.write(zmtp.AppendCommand(nil, zmtp.CmdReady, ready))
}

// A peer cannot pose as someone else: its own User-Id and Peer-Address
// properties do not shadow what the socket and the ZAP handler know.
func TestHostileMetadataCannotSpoof(t *testing.T) {
	pull, push := pullWithGoodPeer(t)
	bad := dialRaw(t, pull.Endpoint())
	bad.handshakeWith(append(append(zmtp.AppendProperty(nil, "Socket-Type", []byte("PUSH")),
		zmtp.AppendProperty(nil, "User-Id", []byte("admin"))...),
		zmtp.AppendProperty(nil, "Peer-Address", []byte("10.6.6.6"))...))
	bad.write([]byte{0x00, 0x01, 'x'})
	_, md, err := pull.RecvMultiMetadata(context.Background(), 0)
	require.NoError(t, err)
	assert.Empty(t, md.UserID(), "no ZAP handler, no User-Id")
	addr, _ := md.Get(socket.PropPeerAddress)
	assert.Equal(t, "127.0.0.1", addr)
	requireDelivers(t, push, pull, "after")
}

// routerWithGoodPeer returns a monitored bound ROUTER and a DEALER called
// "good" connected to it, known to the ROUTER.
func routerWithGoodPeer(t *testing.T) (router, dealer *socket.Socket, m *socket.Monitor) {
	t.Helper()
	c := newContext(t)
	router = newSocket(t, c, socket.Router)
	m = monitor(t, router)
	require.NoError(t, router.Bind("tcp://127.0.0.1:*"))
	dealer = newSocket(t, c, socket.Dealer, socket.WithRoutingID([]byte("good")))
	require.NoError(t, dealer.Connect(router.Endpoint()))
	requireRouterServes(t, router, dealer)
	nextEvent(t, m, socket.EventHandshakeSucceeded)
	return router, dealer, m
}

// requireRouterServes checks a round trip between router and its peer
// "good".
func requireRouterServes(t *testing.T, router, dealer *socket.Socket) {
	t.Helper()
	require.NoError(t, dealer.SendString("ping", 0))
	got, err := router.RecvMulti(0)
	require.NoError(t, err)
	require.Equal(t, [][]byte{[]byte("good"), []byte("ping")}, got)
	require.NoError(t, router.SendMulti([][]byte{[]byte("good"), []byte("pong")}))
	reply, err := dealer.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "pong", reply)
}

func readyWithIdentity(id []byte) []byte {
	return append(zmtp.AppendProperty(nil, "Socket-Type", []byte("DEALER")), zmtp.AppendProperty(nil, "Identity", id)...)
}

// Routing ids come from the peer's READY: an id already taken closes the
// newcomer with ErrRoutingIDInUse, ids over 255 bytes or starting with
// byte 0 (reserved for generated ids) fail the handshake, an empty one
// gets a generated id. The first peer is served throughout.
func TestHostileRoutingIDs(t *testing.T) {
	t.Run("duplicate", func(t *testing.T) {
		router, dealer, m := routerWithGoodPeer(t)
		bad := dialRaw(t, router.Endpoint())
		bad.handshakeWith(readyWithIdentity([]byte("good")))
		ev := nextEventOf(t, router, m, socket.EventDisconnected)
		assert.ErrorIs(t, ev.Err, socket.ErrRoutingIDInUse)
		bad.requireClosed()
		requireRouterServes(t, router, dealer)
	})
	for name, id := range map[string][]byte{
		"256 bytes":        bytes.Repeat([]byte("i"), 256),
		"starts with zero": {0, 0, 0, 0, 1},
	} {
		t.Run(name, func(t *testing.T) {
			router, dealer, m := routerWithGoodPeer(t)
			bad := dialRaw(t, router.Endpoint())
			bad.handshakeWith(readyWithIdentity(id))
			ev := nextEvent(t, m, socket.EventHandshakeFailedProtocol)
			assert.Equal(t, socket.ProtocolErrorInvalidMetadata, ev.Value)
			assert.ErrorIs(t, ev.Err, zmtp.ErrBadIdentity)
			nextEvent(t, m, socket.EventDisconnected)
			bad.requireClosed()
			requireRouterServes(t, router, dealer)
		})
	}
	t.Run("empty", func(t *testing.T) {
		router, dealer, _ := routerWithGoodPeer(t)
		p := dialRaw(t, router.Endpoint())
		p.handshakeWith(readyWithIdentity(nil))
		p.write([]byte{0x00, 0x01, 'x'})
		got, err := router.RecvMulti(0)
		require.NoError(t, err)
		require.Len(t, got, 2)
		assert.Len(t, got[0], 5, "a generated id")
		assert.Zero(t, got[0][0])
		requireRouterServes(t, router, dealer)
	})
	t.Run("two identities", func(t *testing.T) {
		router, dealer, m := routerWithGoodPeer(t)
		bad := dialRaw(t, router.Endpoint())
		bad.handshakeWith(append(readyWithIdentity([]byte("a")), zmtp.AppendProperty(nil, "identity", []byte("good"))...))
		ev := nextEvent(t, m, socket.EventHandshakeFailedProtocol)
		assert.ErrorIs(t, ev.Err, zmtp.ErrBadMetadata)
		bad.requireClosed()
		requireRouterServes(t, router, dealer)
	})
}

// A PAIR's second peer is closed with ErrPeerRefused; the first stays.
func TestHostilePairSecondPeer(t *testing.T) {
	c := newContext(t)
	a := newSocket(t, c, socket.Pair)
	m := monitor(t, a)
	require.NoError(t, a.Bind("tcp://127.0.0.1:*"))
	b := newSocket(t, c, socket.Pair)
	require.NoError(t, b.Connect(a.Endpoint()))
	requireDelivers(t, b, a, "before")
	nextEvent(t, m, socket.EventHandshakeSucceeded)
	bad := dialRaw(t, a.Endpoint())
	bad.handshake(zmtp.Pair)
	ev := nextEventOf(t, a, m, socket.EventDisconnected)
	assert.ErrorIs(t, ev.Err, socket.ErrPeerRefused)
	bad.requireClosed()
	requireDelivers(t, b, a, "after")
	requireDelivers(t, a, b, "back")
}
