//go:build linux

package zring_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/zmtp"
)

// curveKeys is a fresh long-term keypair in Z85.
type curveKeys struct{ public, secret string }

func newCurveKeys(t *testing.T) curveKeys {
	t.Helper()
	pub, sec, err := zring.NewCurveKeypair()
	require.NoError(t, err)
	return curveKeys{pub.Z85(), sec.Z85()}
}

// publicKey is k's public key as a zring.CurveKey.
func (k curveKeys) publicKey(t *testing.T) zring.CurveKey {
	key, err := zring.ParseCurveKey(k.public)
	require.NoError(t, err)
	return key
}

// curveOptions returns the options of a CURVE server and of a client that
// trusts it, with fresh keys, and the client's keys.
func curveOptions(t *testing.T) (server, client []zring.Option, ck curveKeys) {
	sk, ck := newCurveKeys(t), newCurveKeys(t)
	return curveServer(sk), curveClient(ck, sk.public), ck
}

func curveServer(k curveKeys) []zring.Option {
	return []zring.Option{zring.WithCurveServer(true), zring.WithCurveSecretKey(mustKey(k.secret))}
}

func curveClient(k curveKeys, server string) []zring.Option {
	return []zring.Option{zring.WithCurveServerKey(mustKey(server)), zring.WithCurvePublicKey(mustKey(k.public)), zring.WithCurveSecretKey(mustKey(k.secret))}
}

// mustKey parses a key the test made.
func mustKey(z85 string) zring.CurveKey {
	k, err := zring.ParseCurveKey(z85)
	if err != nil {
		panic(err)
	}
	return k
}

// TestCurveDeliversBothWays runs a DEALER pair over CURVE without a ZAP
// handler (libzmq then admits any client that completes the handshake):
// multipart messages of every size class (buffered, past the direct-write
// threshold, larger than the encode buffer) cross intact in both
// directions.
func TestCurveDeliversBothWays(t *testing.T) {
	c := newContext(t)
	so, co, _ := curveOptions(t)
	server, client := bindConnect(t, c, zring.Dealer, zring.Dealer, so, co)
	parts := [][]byte{[]byte("head"), {}, bytes.Repeat([]byte{'m'}, 20<<10), bytes.Repeat([]byte{'L'}, 300<<10)}
	for _, pair := range [][2]*zring.Socket{{client, server}, {server, client}} {
		for range 50 {
			require.NoError(t, pair[0].SendMulti(parts, 0))
		}
		for range 50 {
			got, err := pair[1].RecvMulti(0)
			require.NoError(t, err)
			require.Equal(t, parts, got)
		}
	}
	for _, s := range []*zring.Socket{server, client} {
		mech, err := s.SockOpt(zring.OptMechanism)
		require.NoError(t, err)
		assert.Equal(t, zring.MechanismCurve, mech)
	}
}

func TestCurveWrongServerKeyFailsSilently(t *testing.T) {
	c := newContext(t)
	sk, ck, other := newCurveKeys(t), newCurveKeys(t), newCurveKeys(t)
	ev, _ := serverOutcome(t, c, curveServer(sk), curveClient(ck, other.public))
	assert.Equal(t, zring.EventHandshakeFailedProtocol, ev.Type)
	assert.Equal(t, zring.ProtocolErrorCryptographic, ev.Value)
}

func TestCurveUnknownClientKeyGets400(t *testing.T) {
	c := newContext(t)
	sk, ck, known := newCurveKeys(t), newCurveKeys(t), newCurveKeys(t)
	newAuthenticator(t, c).SetCurveKeys("*", known.publicKey(t))
	pull := newSocket(t, c, zring.Pull, curveServer(sk)...)
	sm := monitor(t, pull)
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	push := newSocket(t, c, zring.Push, append(curveClient(ck, sk.public), zring.WithLinger(0))...)
	cm := monitor(t, push)
	require.NoError(t, push.Connect(pull.Endpoint()))
	require.NoError(t, push.SendString("must not arrive", zring.DontWait))
	for _, m := range []*zring.Monitor{sm, cm} {
		ev := nextEvent(t, m, zring.EventHandshakeFailedAuth, zring.EventHandshakeSucceeded)
		assert.Equal(t, zring.EventHandshakeFailedAuth, ev.Type)
		assert.Equal(t, uint32(400), ev.Value)
	}
	expectNothing(t, pull)
}

func TestCurveKnownClientKeyIsAdmitted(t *testing.T) {
	c := newContext(t)
	so, co, ck := curveOptions(t)
	newAuthenticator(t, c).SetCurveKeys("*", ck.publicKey(t))
	pull, push := bindConnect(t, c, zring.Pull, zring.Push, so, co)
	requireDelivers(t, push, pull, "admitted")
}

// TestCurvePubSub: subscriptions cross as sealed SUBSCRIBE commands (inner
// COMMAND flag) and filter as usual.
func TestCurvePubSub(t *testing.T) {
	c := newContext(t)
	so, co, _ := curveOptions(t)
	pub, sub := bindConnect(t, c, zring.Pub, zring.Sub, so, co)
	require.NoError(t, sub.Subscribe("weather"))
	require.Eventually(t, func() bool {
		_ = pub.SendString("weather sunny", 0)
		_ = pub.SendString("sports none", 0)
		got, err := sub.RecvString(zring.DontWait)
		return err == nil && got == "weather sunny"
	}, 5*time.Second, 10*time.Millisecond)
}

// TestCurveHeartbeats: PING and PONG travel sealed; a quiet connection
// with a short heartbeat timeout stays up.
func TestCurveHeartbeats(t *testing.T) {
	c := newContext(t)
	so, co, _ := curveOptions(t)
	hb := []zring.Option{zring.WithHeartbeatIvl(10 * time.Millisecond), zring.WithHeartbeatTimeout(200 * time.Millisecond)}
	server, client := bindConnect(t, c, zring.Dealer, zring.Dealer, append(so, hb...), append(co, hb...))
	cm := monitor(t, client)
	require.NoError(t, client.SendString("ping", 0))
	_, err := server.RecvString(0)
	require.NoError(t, err)
	select {
	case ev := <-cm.Events():
		require.NotEqual(t, zring.EventDisconnected, ev.Type, "heartbeats broke the CURVE session: %v", ev)
	case <-time.After(600 * time.Millisecond):
	}
	requireDelivers(t, server, client, "still up")
}

func TestCurveOptions(t *testing.T) {
	c := newContext(t)
	k := newCurveKeys(t)
	s := newSocket(t, c, zring.Dealer)
	require.ErrorIs(t, s.SetSockOpt(zring.OptCurveServerKey, "short"), zring.ErrInvalid)
	require.ErrorIs(t, s.SetSockOpt(zring.OptCurveSecretKey, []byte("not z85 at all, not forty chars")), zring.ErrInvalid)

	raw, err := zring.ParseCurveKey(k.secret)
	require.NoError(t, err)
	require.NoError(t, s.SetSockOpt(zring.OptCurveSecretKey, raw[:]), "32 raw bytes")
	require.ErrorIs(t, s.Connect("tcp://127.0.0.1:1"), zring.ErrInvalid, "a client needs the server key")
	require.NoError(t, s.SetSockOpt(zring.OptCurveServerKey, k.public), "40 Z85 characters")
	pub, err := s.SockOpt(zring.OptCurvePublicKey)
	require.NoError(t, err)
	wantPub := k.publicKey(t)
	assert.Equal(t, wantPub[:], pub, "derived from the secret key")
	mech, err := s.SockOpt(zring.OptMechanism)
	require.NoError(t, err)
	assert.Equal(t, zring.MechanismCurve, mech)
	require.NoError(t, s.Connect("tcp://127.0.0.1:1"))

	srv := newSocket(t, c, zring.Dealer, zring.WithCurveServer(true))
	require.ErrorIs(t, srv.Bind("tcp://127.0.0.1:*"), zring.ErrInvalid, "a server needs its secret key")
	on, err := srv.SockOpt(zring.OptCurveServer)
	require.NoError(t, err)
	assert.Equal(t, 1, on)
}

// readFrame reads one ZMTP frame from a raw peer and returns its body.
func (p *rawPeer) readFrame() []byte {
	p.t.Helper()
	require.NoError(p.t, p.conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	hdr := make([]byte, 9)
	_, err := io.ReadFull(p.conn, hdr[:2])
	require.NoError(p.t, err)
	size := uint64(hdr[1])
	if hdr[0]&zmtp.FlagLong != 0 {
		_, err = io.ReadFull(p.conn, hdr[2:9])
		require.NoError(p.t, err)
		size = binary.BigEndian.Uint64(hdr[1:9])
	}
	body := make([]byte, size)
	_, err = io.ReadFull(p.conn, body)
	require.NoError(p.t, err)
	return body
}

// curveRaw starts a CURVE handshake from a raw socket with a real client
// mechanism, up to the INITIATE it returns unsent.
func curveRaw(t *testing.T, endpoint, serverKey string) (*rawPeer, *zmtp.Curve, []byte) {
	return curveRawAs(t, endpoint, serverKey, zmtp.Push, zmtp.VersionMinor)
}

// curveRawAs is curveRaw for a peer of type typ announcing ZMTP 3.minor.
func curveRawAs(t *testing.T, endpoint, serverKey string, typ zmtp.SocketType, minor byte) (*rawPeer, *zmtp.Curve, []byte) {
	ck := newCurveKeys(t)
	keys := zmtp.CurveKeys{}
	for k, s := range map[*zring.CurveKey]string{&keys.Public: ck.public, &keys.Secret: ck.secret, &keys.Server: serverKey} {
		var err error
		*k, err = zring.ParseCurveKey(s)
		require.NoError(t, err)
	}
	m := zmtp.NewCurveClient(zmtp.HandshakeConfig{Type: typ}, keys)
	p := dialRaw(t, endpoint)
	greet := zmtp.AppendGreeting(nil, "CURVE", false)
	greet[11] = minor
	p.write(greet)
	greeting := make([]byte, zmtp.GreetingSize)
	_, err := io.ReadFull(p.conn, greeting)
	require.NoError(t, err)
	hello, _, err := m.Start(nil)
	require.NoError(t, err)
	p.write(hello)
	initiate, _, err := m.Command(nil, p.readFrame())
	require.NoError(t, err)
	return p, m, initiate
}

// TestCurveBadPeers: malformed, truncated, forged and replayed handshake
// commands and messages close that one connection; the server keeps
// serving its good client, and no forged data arrives.
func TestCurveBadPeers(t *testing.T) {
	cases := map[string]func(p *rawPeer, endpoint, serverKey string) *rawPeer{
		"data-before-hello": func(p *rawPeer, _, _ string) *rawPeer {
			p.write(zmtp.AppendGreeting(nil, "CURVE", false))
			p.write([]byte{0x00, 0x01, 'x'})
			return p
		},
		"hello-truncated": func(p *rawPeer, _, _ string) *rawPeer {
			p.write(zmtp.AppendGreeting(nil, "CURVE", false))
			p.write(zmtp.AppendCommand(nil, "HELLO", make([]byte, 150)))
			return p
		},
		"huge-frame-before-handshake": func(p *rawPeer, _, _ string) *rawPeer {
			p.write(zmtp.AppendGreeting(nil, "CURVE", false))
			p.write(binary.BigEndian.AppendUint64([]byte{zmtp.FlagCommand | zmtp.FlagLong}, 1<<40)) // never allocated
			return p
		},
		"forged-initiate": func(_ *rawPeer, endpoint, serverKey string) *rawPeer {
			p, _, initiate := curveRaw(t, endpoint, serverKey)
			initiate[len(initiate)-1] ^= 1
			p.write(initiate)
			return p
		},
		"replayed-message": func(_ *rawPeer, endpoint, serverKey string) *rawPeer {
			p, m, initiate := curveRaw(t, endpoint, serverKey)
			p.write(initiate)
			_, step, err := m.Command(nil, p.readFrame()) // READY
			require.NoError(t, err)
			require.Equal(t, zmtp.StepDone, step)
			seal, _ := m.Codec()
			msg := seal.AppendMessage(nil, []byte{0, 'x'})
			p.write(msg)
			p.write(msg)
			return p
		},
	}
	for name, attack := range cases {
		t.Run(name, func(t *testing.T) {
			c := newContext(t)
			sk, ck := newCurveKeys(t), newCurveKeys(t)
			pull, push := bindConnect(t, c, zring.Pull, zring.Push, curveServer(sk), curveClient(ck, sk.public))
			requireDelivers(t, push, pull, "before")
			bad := attack(dialRaw(t, pull.Endpoint()), pull.Endpoint(), sk.public)
			bad.requireClosed()
			if name == "replayed-message" {
				got, err := pull.RecvString(0)
				require.NoError(t, err)
				assert.Equal(t, "x", got, "the first copy was genuine")
			}
			requireDelivers(t, push, pull, "after")
			expectNothing(t, pull)
		})
	}
}

// Without a ZAP handler a CURVE server admits any client that completes the
// handshake, unless ZAP_ENFORCE_DOMAIN says otherwise (libzmq's rule).
func TestCurveZAPEnforceDomainWithoutHandler(t *testing.T) {
	so, co, _ := curveOptions(t)
	ev, _ := serverOutcome(t, newContext(t), append(so, zring.WithZAPEnforceDomain(true)), co)
	assert.Equal(t, zring.EventHandshakeFailedNoDetail, ev.Type)
	ev, pull := serverOutcome(t, newContext(t), so, co)
	assert.Equal(t, zring.EventHandshakeSucceeded, ev.Type)
	got, err := pull.RecvString(0)
	require.NoError(t, err)
	assert.Equal(t, "hello", got)
}

// TestCurvePubSubWithZMTP30Subscriber: a ZMTP 3.0 subscriber sends its
// subscription as a sealed data frame ([0x01|topic], inner flags 0), not a
// SUBSCRIBE command; a zring PUB over CURVE accepts both forms.
func TestCurvePubSubWithZMTP30Subscriber(t *testing.T) {
	c := newContext(t)
	sk := newCurveKeys(t)
	pub := newSocket(t, c, zring.Pub, curveServer(sk)...)
	require.NoError(t, pub.Bind("tcp://127.0.0.1:*"))
	p, m, initiate := curveRawAs(t, pub.Endpoint(), sk.public, zmtp.Sub, 0)
	p.write(initiate)
	_, step, err := m.Command(nil, p.readFrame()) // READY
	require.NoError(t, err)
	require.Equal(t, zmtp.StepDone, step)
	seal, open := m.Codec()
	p.write(seal.AppendMessage(nil, []byte("\x00\x01news")))
	done := make(chan struct{})
	defer close(done)
	go func() { // until the subscription has arrived
		for {
			select {
			case <-done:
				return
			case <-time.After(10 * time.Millisecond):
				_ = pub.SendString("sport", 0)
				_ = pub.SendString("news!", 0)
			}
		}
	}()
	for {
		plain, err := open.Open(nil, p.readFrame())
		require.NoError(t, err)
		require.Equal(t, byte(0), plain[0], "a data frame, no MORE")
		if string(plain[1:]) == "news!" {
			return
		}
		require.NotEqual(t, "sport", string(plain[1:]), "unsubscribed topic delivered")
	}
}

// CURVE runs over ipc:// as over tcp:// (the same stream engine); the
// metadata has no Peer-Address there.
func TestCurveOverIPC(t *testing.T) {
	c := newContext(t)
	so, co, _ := curveOptions(t)
	pull, push := bindConnectAt(t, c, "ipc://*", zring.Pull, zring.Push, so, co)
	require.NoError(t, push.SendString("over ipc", 0))
	parts, md, err := pull.RecvMultiMetadataContext(context.Background(), 0)
	require.NoError(t, err)
	assert.Equal(t, [][]byte{[]byte("over ipc")}, parts)
	typ, _ := md.Get("Socket-Type")
	assert.Equal(t, "PUSH", typ)
	_, ok := md.Get(zring.PropPeerAddress)
	assert.False(t, ok)
}
