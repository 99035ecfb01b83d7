package socket_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring/socket"
	"github.com/zring/zring/zmtp"
)

// curveKeys is a fresh long-term keypair in Z85.
type curveKeys struct{ public, secret string }

func newCurveKeys(t *testing.T) curveKeys {
	t.Helper()
	pub, sec, err := zmtp.NewCurveKeypair()
	require.NoError(t, err)
	return curveKeys{pub.String(), sec.String()}
}

func curveServer(k curveKeys) []socket.Option {
	return []socket.Option{socket.WithCurveServer(true), socket.WithCurveSecretKey(k.secret)}
}

func curveClient(k curveKeys, server string) []socket.Option {
	return []socket.Option{socket.WithCurveServerKey(server), socket.WithCurvePublicKey(k.public), socket.WithCurveSecretKey(k.secret)}
}

// TestCurveDeliversBothWays runs a DEALER pair over CURVE without a ZAP
// handler (libzmq then admits any client that completes the handshake):
// multipart messages of every size class (buffered, past the direct-write
// threshold, larger than the encode buffer) cross intact in both
// directions.
func TestCurveDeliversBothWays(t *testing.T) {
	c := newContext(t)
	sk, ck := newCurveKeys(t), newCurveKeys(t)
	server, client := bindConnect(t, c, socket.Dealer, socket.Dealer, curveServer(sk), curveClient(ck, sk.public))
	parts := [][]byte{[]byte("head"), {}, bytes.Repeat([]byte{'m'}, 20<<10), bytes.Repeat([]byte{'L'}, 300<<10)}
	for _, pair := range [][2]*socket.Socket{{client, server}, {server, client}} {
		for range 50 {
			require.NoError(t, pair[0].SendMulti(parts))
		}
		for range 50 {
			got, err := pair[1].RecvMulti(0)
			require.NoError(t, err)
			require.Equal(t, parts, got)
		}
	}
	for _, s := range []*socket.Socket{server, client} {
		mech, err := s.SockOpt(socket.OptMechanism)
		require.NoError(t, err)
		assert.Equal(t, socket.MechanismCurve, mech)
	}
}

func TestCurveWrongServerKeyFailsSilently(t *testing.T) {
	c := newContext(t)
	sk, ck, other := newCurveKeys(t), newCurveKeys(t), newCurveKeys(t)
	ev, _ := serverOutcome(t, c, curveServer(sk), curveClient(ck, other.public))
	assert.Equal(t, socket.EventHandshakeFailedProtocol, ev.Type)
	assert.Equal(t, socket.ProtocolErrorCryptographic, ev.Value)
}

func TestCurveUnknownClientKeyGets400(t *testing.T) {
	c := newContext(t)
	sk, ck, known := newCurveKeys(t), newCurveKeys(t), newCurveKeys(t)
	knownKey, err := zmtp.ParseCurveKey(known.public)
	require.NoError(t, err)
	newAuthenticator(t, c).SetCurveKeys("*", knownKey)
	pull := newSocket(t, c, socket.Pull, curveServer(sk)...)
	sm := monitor(t, pull)
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	push := newSocket(t, c, socket.Push, append(curveClient(ck, sk.public), socket.WithLinger(0))...)
	cm := monitor(t, push)
	require.NoError(t, push.Connect(pull.Endpoint()))
	require.NoError(t, push.SendString("must not arrive", socket.DontWait))
	for _, m := range []*socket.Monitor{sm, cm} {
		ev := nextEvent(t, m, socket.EventHandshakeFailedAuth, socket.EventHandshakeSucceeded)
		assert.Equal(t, socket.EventHandshakeFailedAuth, ev.Type)
		assert.Equal(t, uint32(400), ev.Value)
	}
	expectNothing(t, pull)
}

func TestCurveKnownClientKeyIsAdmitted(t *testing.T) {
	c := newContext(t)
	sk, ck := newCurveKeys(t), newCurveKeys(t)
	key, err := zmtp.ParseCurveKey(ck.public)
	require.NoError(t, err)
	newAuthenticator(t, c).SetCurveKeys("*", key)
	pull, push := bindConnect(t, c, socket.Pull, socket.Push, curveServer(sk), curveClient(ck, sk.public))
	require.NoError(t, push.SendString("admitted", 0))
	got, err := pull.RecvString(0)
	require.NoError(t, err)
	assert.Equal(t, "admitted", got)
}

// TestCurvePubSub: subscriptions cross as sealed SUBSCRIBE commands (inner
// COMMAND flag) and filter as usual.
func TestCurvePubSub(t *testing.T) {
	c := newContext(t)
	sk, ck := newCurveKeys(t), newCurveKeys(t)
	pub, sub := bindConnect(t, c, socket.Pub, socket.Sub, curveServer(sk), curveClient(ck, sk.public))
	require.NoError(t, sub.Subscribe("weather"))
	require.Eventually(t, func() bool {
		_ = pub.SendString("weather sunny", 0)
		_ = pub.SendString("sports none", 0)
		got, err := sub.RecvString(socket.DontWait)
		return err == nil && got == "weather sunny"
	}, 5*time.Second, 10*time.Millisecond)
}

// TestCurveHeartbeats: PING and PONG travel sealed; a quiet connection
// with a short heartbeat timeout stays up.
func TestCurveHeartbeats(t *testing.T) {
	c := newContext(t)
	sk, ck := newCurveKeys(t), newCurveKeys(t)
	hb := []socket.Option{socket.WithHeartbeatIvl(10 * time.Millisecond), socket.WithHeartbeatTimeout(200 * time.Millisecond)}
	server, client := bindConnect(t, c, socket.Dealer, socket.Dealer,
		append(curveServer(sk), hb...), append(curveClient(ck, sk.public), hb...))
	cm := monitor(t, client)
	require.NoError(t, client.SendString("ping", 0))
	_, err := server.RecvString(0)
	require.NoError(t, err)
	select {
	case ev := <-cm.Events():
		require.NotEqual(t, socket.EventDisconnected, ev.Type, "heartbeats broke the CURVE session: %v", ev)
	case <-time.After(600 * time.Millisecond):
	}
	require.NoError(t, server.SendString("still up", 0))
	got, err := client.RecvString(0)
	require.NoError(t, err)
	assert.Equal(t, "still up", got)
}

func TestCurveOptions(t *testing.T) {
	c := newContext(t)
	k := newCurveKeys(t)
	s := newSocket(t, c, socket.Dealer)
	require.ErrorIs(t, s.SetOption(socket.WithCurveServerKey("short")), socket.ErrInvalid)
	require.ErrorIs(t, s.SetSockOpt(socket.OptCurveSecretKey, []byte("not z85 at all, not forty chars")), socket.ErrInvalid)

	raw, err := zmtp.ParseCurveKey(k.secret)
	require.NoError(t, err)
	require.NoError(t, s.SetSockOpt(socket.OptCurveSecretKey, raw[:]), "32 raw bytes")
	require.ErrorIs(t, s.Connect("tcp://127.0.0.1:1"), socket.ErrInvalid, "a client needs the server key")
	require.NoError(t, s.SetSockOpt(socket.OptCurveServerKey, k.public), "40 Z85 characters")
	pub, err := s.SockOpt(socket.OptCurvePublicKey)
	require.NoError(t, err)
	wantPub, err := zmtp.ParseCurveKey(k.public)
	require.NoError(t, err)
	assert.Equal(t, wantPub[:], pub, "derived from the secret key")
	mech, err := s.SockOpt(socket.OptMechanism)
	require.NoError(t, err)
	assert.Equal(t, socket.MechanismCurve, mech)
	require.NoError(t, s.Connect("tcp://127.0.0.1:1"))

	srv := newSocket(t, c, socket.Dealer, socket.WithCurveServer(true))
	require.ErrorIs(t, srv.Bind("tcp://127.0.0.1:*"), socket.ErrInvalid, "a server needs its secret key")
	on, err := srv.SockOpt(socket.OptCurveServer)
	require.NoError(t, err)
	assert.Equal(t, 1, on)
}
