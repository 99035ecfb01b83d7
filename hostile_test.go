//go:build linux

package zring_test

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/zmtp"
)

// Hostile peers (see docs/reliability.md): every size, count and name a
// peer sends is checked, and a peer breaking the rules loses only its own
// connection, with a reason in the monitor events.

// nextEventOf is nextEvent for an event that needs s to run its commands
// first (a pipe's attach): it keeps polling s meanwhile.
func nextEventOf(t *testing.T, s *zring.Socket, m *zring.Monitor, want ...zring.EventType) zring.Event {
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
	return zring.Event{}
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
	_, md, err := pull.RecvMultiMetadataContext(context.Background(), 0)
	require.NoError(t, err)
	assert.Empty(t, md.UserID(), "no ZAP handler, no User-Id")
	addr, _ := md.Get(zring.PropPeerAddress)
	assert.Equal(t, "127.0.0.1", addr)
	requireDelivers(t, push, pull, "after")
}

// routerWithGoodPeer returns a monitored bound ROUTER and a DEALER called
// "good" connected to it, known to the ROUTER.
func routerWithGoodPeer(t *testing.T) (router, dealer *zring.Socket, m *zring.Monitor) {
	t.Helper()
	c := newContext(t)
	router = newSocket(t, c, zring.Router)
	m = monitor(t, router)
	require.NoError(t, router.Bind("tcp://127.0.0.1:*"))
	dealer = newSocket(t, c, zring.Dealer, zring.WithRoutingID([]byte("good")))
	require.NoError(t, dealer.Connect(router.Endpoint()))
	requireRouterServes(t, router, dealer)
	nextEvent(t, m, zring.EventHandshakeSucceeded)
	return router, dealer, m
}

// requireRouterServes checks a round trip between router and its peer
// "good".
func requireRouterServes(t *testing.T, router, dealer *zring.Socket) {
	t.Helper()
	require.NoError(t, dealer.SendString("ping", 0))
	got, err := router.RecvMulti(0)
	require.NoError(t, err)
	require.Equal(t, [][]byte{[]byte("good"), []byte("ping")}, got)
	require.NoError(t, router.SendMulti([][]byte{[]byte("good"), []byte("pong")}, 0))
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
		ev := nextEventOf(t, router, m, zring.EventDisconnected)
		assert.ErrorIs(t, ev.Err, zring.ErrRoutingIDInUse)
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
			ev := nextEvent(t, m, zring.EventHandshakeFailedProtocol)
			assert.Equal(t, zring.ProtocolErrorInvalidMetadata, ev.Value)
			assert.ErrorIs(t, ev.Err, zmtp.ErrBadIdentity)
			nextEvent(t, m, zring.EventDisconnected)
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
		ev := nextEvent(t, m, zring.EventHandshakeFailedProtocol)
		assert.ErrorIs(t, ev.Err, zmtp.ErrBadMetadata)
		bad.requireClosed()
		requireRouterServes(t, router, dealer)
	})
}

// A PAIR's second peer is closed with ErrPeerRefused; the first stays.
func TestHostilePairSecondPeer(t *testing.T) {
	c := newContext(t)
	a := newSocket(t, c, zring.Pair)
	m := monitor(t, a)
	require.NoError(t, a.Bind("tcp://127.0.0.1:*"))
	b := newSocket(t, c, zring.Pair)
	require.NoError(t, b.Connect(a.Endpoint()))
	requireDelivers(t, b, a, "before")
	nextEvent(t, m, zring.EventHandshakeSucceeded)
	bad := dialRaw(t, a.Endpoint())
	bad.handshake(zmtp.Pair)
	ev := nextEventOf(t, a, m, zring.EventDisconnected)
	assert.ErrorIs(t, ev.Err, zring.ErrPeerRefused)
	bad.requireClosed()
	requireDelivers(t, b, a, "after")
	requireDelivers(t, a, b, "back")
}

// After a CURVE handshake every frame must be a whole MESSAGE: frames too
// short to be one, empty, forged, or carrying a malformed command close
// that connection with its reason; the good client is still served.
func TestHostileCurveMessages(t *testing.T) {
	message := func(tail ...byte) []byte {
		body := append([]byte("\x07MESSAGE"), tail...)
		return append(zmtp.AppendFrameHeader(nil, 0, len(body)), body...)
	}
	nonce9 := []byte{0, 0, 0, 0, 0, 0, 0, 9} // above the handshake's
	cases := map[string]struct {
		frame func(seal *zmtp.CurveSealer) []byte
		want  error
	}{
		"empty frame":       {func(*zmtp.CurveSealer) []byte { return []byte{0, 0} }, zmtp.ErrUnexpectedCommand},
		"name only":         {func(*zmtp.CurveSealer) []byte { return message() }, zmtp.ErrBadCommand},
		"no room for flags": {func(*zmtp.CurveSealer) []byte { return message(append(nonce9, make([]byte, 16)...)...) }, zmtp.ErrBadCommand},
		"forged":            {func(*zmtp.CurveSealer) []byte { return message(append(nonce9, make([]byte, 17)...)...) }, zmtp.ErrCrypto},
		"empty command":     {func(s *zmtp.CurveSealer) []byte { return s.AppendMessage(nil, []byte{zmtp.CurveFlagCommand}) }, zmtp.ErrBadCommand},
		"name length 255": {func(s *zmtp.CurveSealer) []byte {
			return s.AppendMessage(nil, []byte{zmtp.CurveFlagCommand, 0xff, 'P'})
		}, zmtp.ErrBadCommand},
		"PING without its TTL": {func(s *zmtp.CurveSealer) []byte { return s.AppendMessage(nil, []byte("\x02\x04PING")) }, zmtp.ErrBadCommand},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := newContext(t)
			sk, ck := newCurveKeys(t), newCurveKeys(t)
			pull, push := bindConnect(t, c, zring.Pull, zring.Push, curveServer(sk), curveClient(ck, sk.public))
			m := monitor(t, pull)
			requireDelivers(t, push, pull, "before")
			p, mech, initiate := curveRaw(t, pull.Endpoint(), sk.public)
			p.write(initiate)
			_, step, err := mech.Command(nil, p.readFrame()) // READY
			require.NoError(t, err)
			require.Equal(t, zmtp.StepDone, step)
			seal, _ := mech.Codec()
			p.write(tc.frame(seal))
			ev := nextEvent(t, m, zring.EventDisconnected)
			assert.ErrorIs(t, ev.Err, tc.want)
			p.requireClosed()
			requireDelivers(t, push, pull, "after")
		})
	}
}

// Subscriptions from a raw subscriber in both wire forms, at their
// extremes: empty frames, empty and 1 MiB topics, cancels of topics never
// subscribed. None upsets the publisher, which keeps serving its good
// subscriber; a malformed SUBSCRIBE closes only its own connection.
func TestHostileSubscriptions(t *testing.T) {
	c := newContext(t)
	xpub := newSocket(t, c, zring.XPub, zring.WithXPubVerbose(true))
	m := monitor(t, xpub)
	require.NoError(t, xpub.Bind("tcp://127.0.0.1:*"))
	good := newSocket(t, c, zring.Sub)
	require.NoError(t, good.Subscribe("t"))
	require.NoError(t, good.Connect(xpub.Endpoint()))
	sub, err := xpub.Recv(0)
	require.NoError(t, err)
	require.Equal(t, []byte("\x01t"), sub)

	huge := bytes.Repeat([]byte{0xff}, 1<<20)
	bad := dialRaw(t, xpub.Endpoint())
	bad.handshake(zmtp.Sub)
	for _, frame := range [][]byte{
		{0x00, 0x00},            // empty data frame: upstream data
		{0x00, 0x01, 0x01},      // [0x01]: subscribe to everything
		{0x00, 0x01, 0x00},      // [0x00]: and cancel it
		{0x00, 0x02, 0x00, 'z'}, // cancel of a topic never subscribed
		{0x00, 0x02, 0x02, 'd'}, // not a subscription: data
		zmtp.AppendCommand(nil, zmtp.CmdSubscribe, nil), // everything, 3.1 form
		zmtp.AppendCommand(nil, zmtp.CmdCancel, nil),
		zmtp.AppendCommand(nil, zmtp.CmdCancel, []byte("never")),
		zmtp.AppendCommand(nil, zmtp.CmdSubscribe, huge),
		zmtp.AppendSubscription(nil, true, huge[:300], 0), // 3.0 form, long header
	} {
		bad.write(frame)
	}
	want := [][]byte{{}, {1}, {0}, []byte("\x00z"), []byte("\x02d"), {1}, {0}, []byte("\x00never"),
		append([]byte{1}, huge...), append([]byte{1}, huge[:300]...)}
	for i, w := range want {
		got, err := xpub.Recv(0)
		require.NoError(t, err)
		require.Equal(t, w, got, "message %d", i)
	}
	require.NoError(t, xpub.SendString("t: good", 0))
	got, err := good.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "t: good", got)

	// A SUBSCRIBE whose name is cut short is a malformed command.
	bad.write([]byte{0x04, 0x05, 0x09, 'S', 'U', 'B', 'S'})
	ev := nextEventOf(t, xpub, m, zring.EventDisconnected)
	assert.ErrorIs(t, ev.Err, zmtp.ErrBadCommand)
	bad.requireClosed()
	require.NoError(t, xpub.SendString("t: still", 0))
	got, err = good.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "t: still", got)
}

// PING and PONG at their extremes: a context over 16 bytes is echoed cut
// to 16, the longest TTL keeps the connection, a PING without its TTL
// closes only that connection.
func TestHostilePings(t *testing.T) {
	pull, push := pullWithGoodPeer(t)
	m := monitor(t, pull)
	p := dialRaw(t, pull.Endpoint())
	p.handshake(zmtp.Push)
	ctx := bytes.Repeat([]byte("c"), 250)
	p.write(zmtp.AppendCommand(nil, zmtp.CmdPing, append([]byte{0xff, 0xff}, ctx...)))
	require.Equal(t, ctx[:zmtp.MaxPingContext], p.nextCommand(zmtp.CmdPong))
	p.write(zmtp.AppendCommand(nil, zmtp.CmdPong, ctx)) // ignored, whatever its length
	p.write([]byte{0x00, 0x02, 'o', 'k'})
	got, err := pull.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "ok", got)

	p.write(zmtp.AppendCommand(nil, zmtp.CmdPing, []byte{0x01}))
	ev := nextEvent(t, m, zring.EventDisconnected)
	assert.ErrorIs(t, ev.Err, zmtp.ErrBadCommand)
	p.requireClosed()
	requireDelivers(t, push, pull, "after")
}

// Malformed handshake commands at their worst values fail that handshake
// with a protocol code and the zmtp sentinel; the good peer is served.
func TestHostileHandshakeCommands(t *testing.T) {
	typ := func() []byte { return zmtp.AppendProperty(nil, "Socket-Type", []byte("PUSH")) }
	many := typ()
	for range zmtp.MaxProperties {
		many = zmtp.AppendProperty(many, "X", nil)
	}
	ready := func(data []byte) []byte { return zmtp.AppendCommand(nil, zmtp.CmdReady, data) }
	cases := map[string]struct {
		frame []byte
		code  uint32
		want  error
	}{
		"value length 0xFFFFFFFF": {ready(append(typ(), 0x01, 'X', 0xff, 0xff, 0xff, 0xff, 'a')), zring.ProtocolErrorInvalidMetadata, zmtp.ErrBadMetadata},
		"name length 255, short":  {ready(append(typ(), 0xff, 'X')), zring.ProtocolErrorInvalidMetadata, zmtp.ErrBadMetadata},
		"too many properties":     {ready(many), zring.ProtocolErrorInvalidMetadata, zmtp.ErrBadMetadata},
		"two Socket-Types":        {ready(append(typ(), typ()...)), zring.ProtocolErrorInvalidMetadata, zmtp.ErrBadMetadata},
		"command name 255, short": {[]byte{0x04, 0x02, 0xff, 'R'}, zring.ProtocolErrorMalformedCommand, zmtp.ErrBadCommand},
		"ERROR reason 255, short": {zmtp.AppendCommand(nil, zmtp.CmdError, []byte{0xff, '4'}), zring.ProtocolErrorMalformedCommand, zmtp.ErrBadCommand},
		"frame over 64 KiB":       {zmtp.AppendFrameHeader(nil, zmtp.FlagCommand, 64<<10+1), zring.ProtocolErrorUnspecified, zmtp.ErrFrameTooLarge},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			pull, push := pullWithGoodPeer(t)
			m := monitor(t, pull)
			bad := dialRaw(t, pull.Endpoint())
			bad.write(zmtp.AppendGreeting(nil, "NULL", false))
			bad.write(tc.frame)
			ev := nextEvent(t, m, zring.EventHandshakeFailedProtocol)
			assert.Equal(t, tc.code, ev.Value)
			assert.ErrorIs(t, ev.Err, tc.want)
			assert.ErrorIs(t, nextEvent(t, m, zring.EventDisconnected).Err, tc.want)
			bad.requireClosed()
			requireDelivers(t, push, pull, "after")
		})
	}
}

// A STREAM socket parses nothing: ZMTP-looking bytes, such as a long
// frame header claiming 2^62 bytes, and a 1 MiB burst arrive as data, in
// chunks no larger than what was read, and a second peer is served.
func TestHostileStreamBytesAreData(t *testing.T) {
	s := newSocket(t, newContext(t), zring.Stream)
	require.NoError(t, s.Bind("tcp://127.0.0.1:*"))
	dial := func() (*rawPeer, []byte) {
		p := dialRaw(t, s.Endpoint())
		hello := recvMulti(t, s)
		require.Len(t, hello, 2)
		require.Empty(t, hello[1], "connect notification")
		return p, hello[0]
	}
	bad, badID := dial()
	good, goodID := dial()
	burst := append(append(zmtp.AppendGreeting(nil, "NULL", false), 0x02, 0x40, 0, 0, 0, 0, 0, 0, 0),
		bytes.Repeat([]byte{0xff}, 1<<20)...)
	go func() { _, _ = bad.conn.Write(burst) }()
	var got []byte
	for len(got) < len(burst) {
		msg := recvMulti(t, s)
		require.Equal(t, badID, msg[0])
		require.LessOrEqual(t, len(msg[1]), 64<<10, "one read at most")
		got = append(got, msg[1]...)
	}
	require.Equal(t, burst, got)

	good.write([]byte("hi"))
	msg := recvMulti(t, s)
	require.Equal(t, [][]byte{goodID, []byte("hi")}, msg)
}
