//go:build linux

package zring_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/zmtp"
)

func newAuthenticator(t *testing.T, c *zring.Context) *zring.Authenticator {
	t.Helper()
	a, err := zring.NewAuthenticator(c)
	require.NoError(t, err)
	t.Cleanup(func() { a.Close() })
	return a
}

// expectNothing asserts that s receives nothing for a while.
func expectNothing(t *testing.T, s *zring.Socket) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	msg, err := s.RecvContext(ctx, 0)
	require.Error(t, err, "received %q", msg)
}

// serverOutcome binds a PULL with serverOpts, connects a PUSH with
// clientOpts that tries to send "hello", and returns the server's first
// handshake event, success or failure, and the PULL. After a failure
// nothing may arrive.
func serverOutcome(t *testing.T, c *zring.Context, serverOpts, clientOpts []zring.Option) (zring.Event, *zring.Socket) {
	t.Helper()
	pull := newSocket(t, c, zring.Pull, serverOpts...)
	sm := monitor(t, pull)
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	push := newSocket(t, c, zring.Push, append([]zring.Option{zring.WithLinger(0)}, clientOpts...)...)
	require.NoError(t, push.Connect(pull.Endpoint()))
	_ = push.SendString("hello", zring.DontWait) // may find no peer
	ev := nextEvent(t, sm, zring.EventHandshakeFailedAuth, zring.EventHandshakeFailedProtocol,
		zring.EventHandshakeFailedNoDetail, zring.EventHandshakeSucceeded)
	if ev.Type != zring.EventHandshakeSucceeded {
		expectNothing(t, pull)
	}
	return ev, pull
}

func TestPlainDeliversWithTheRightPassword(t *testing.T) {
	c := newContext(t)
	newAuthenticator(t, c).SetPasswords("*", map[string]string{"admin": "secret"})
	pull, push := bindConnect(t, c, zring.Pull, zring.Push,
		[]zring.Option{zring.WithPlainServer(true)},
		[]zring.Option{zring.WithPlainUsername("admin"), zring.WithPlainPassword("secret")})
	requireDelivers(t, push, pull, "over PLAIN")
	mech, err := pull.SockOpt(zring.OptMechanism)
	require.NoError(t, err)
	assert.Equal(t, zring.MechanismPlain, mech)
}

func TestPlainWrongPasswordDeliversNothingAndStopsRetrying(t *testing.T) {
	c := newContext(t)
	newAuthenticator(t, c).SetPasswords("*", map[string]string{"admin": "secret"})
	pull := newSocket(t, c, zring.Pull, zring.WithPlainServer(true))
	sm := monitor(t, pull)
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	push := newSocket(t, c, zring.Push, zring.WithPlainUsername("admin"), zring.WithPlainPassword("guess"),
		zring.WithReconnectIvl(10*time.Millisecond), zring.WithLinger(0))
	cm := monitor(t, push)
	require.NoError(t, push.Connect(pull.Endpoint()))
	// The refusal may already have taken the pipe away (ErrAgain): either
	// way nothing may arrive.
	if err := push.SendString("must not arrive", zring.DontWait); err != nil {
		require.ErrorIs(t, err, zring.ErrAgain)
	}

	ev := nextEvent(t, sm, zring.EventHandshakeFailedAuth, zring.EventHandshakeSucceeded)
	assert.Equal(t, zring.EventHandshakeFailedAuth, ev.Type)
	assert.Equal(t, uint32(400), ev.Value)
	ev = nextEvent(t, cm, zring.EventHandshakeFailedAuth, zring.EventHandshakeSucceeded)
	assert.Equal(t, zring.EventHandshakeFailedAuth, ev.Type)
	assert.Equal(t, uint32(400), ev.Value, "the client learns the ZAP status from ERROR")
	expectNothing(t, pull)
	// The client does not retry with the same credentials.
	for {
		select {
		case ev := <-cm.Events():
			require.NotEqual(t, zring.EventConnected, ev.Type, "reconnected after an auth failure")
			continue
		case <-time.After(200 * time.Millisecond):
		}
		break
	}
}

func TestPlainServerWithoutHandlerRefusesEveryone(t *testing.T) {
	ev, _ := serverOutcome(t, newContext(t), []zring.Option{zring.WithPlainServer(true)},
		[]zring.Option{zring.WithPlainUsername("admin"), zring.WithPlainPassword("secret")})
	assert.Equal(t, zring.EventHandshakeFailedNoDetail, ev.Type)
}

func TestPlainMismatchedMechanismIsRefused(t *testing.T) {
	c := newContext(t)
	newAuthenticator(t, c).SetPasswords("*", map[string]string{"admin": "secret"})
	ev, _ := serverOutcome(t, c, []zring.Option{zring.WithPlainServer(true)}, nil) // the client is NULL
	assert.Equal(t, zring.EventHandshakeFailedProtocol, ev.Type)
	assert.Equal(t, zring.ProtocolErrorMechanismMismatch, ev.Value)
}

func TestNullConsultsZAPOnlyWithADomain(t *testing.T) {
	c := newContext(t)
	newAuthenticator(t, c).Deny("127.0.0.1")
	// No domain: NULL never asks, so the deny list does not apply.
	pull, push := bindConnect(t, c, zring.Pull, zring.Push, nil, nil)
	requireDelivers(t, push, pull, "no domain")

	// With a domain the handler's deny list refuses the client.
	ev, _ := serverOutcome(t, c, []zring.Option{zring.WithZAPDomain("global")}, nil)
	assert.Equal(t, zring.EventHandshakeFailedAuth, ev.Type)
	assert.Equal(t, uint32(400), ev.Value)
}

// A handler written for libzmq: a REP socket speaking RFC 27's frames by
// hand. Its reply's status decides; a malformed reply fails the handshake.
func TestHandWrittenZAPHandler(t *testing.T) {
	c := newContext(t)
	rep := newSocket(t, c, zring.Rep, zring.WithLinger(0))
	require.NoError(t, rep.Bind(zmtp.ZAPEndpoint))
	requests := make(chan [][]byte, 4)
	go func() {
		for {
			req, err := rep.RecvMulti(0)
			if err != nil {
				return
			}
			requests <- req
			status := "200"
			if string(req[5]) == "PLAIN" && string(req[7]) != "secret" {
				status = "201" // not a status libzmq accepts
			}
			rep.SendMulti([][]byte{[]byte("1.0"), req[1], []byte(status), []byte("OK"), []byte("user"), nil}, 0)
		}
	}()
	pull := newSocket(t, c, zring.Pull, zring.WithPlainServer(true), zring.WithZAPDomain("test"),
		zring.WithRoutingID([]byte("srv")))
	sm := monitor(t, pull)
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	push := newSocket(t, c, zring.Push, zring.WithPlainUsername("bob"), zring.WithPlainPassword("secret"))
	require.NoError(t, push.Connect(pull.Endpoint()))
	requireDelivers(t, push, pull, "hand-written")
	req := <-requests
	want := []string{"1.0", "", "test", "127.0.0.1", "srv", "PLAIN", "bob", "secret"}
	require.Len(t, req, len(want))
	for i, w := range want {
		if i != 1 { // the request id is the client's own
			assert.Equal(t, w, string(req[i]), "frame %d", i)
		}
	}

	bad := newSocket(t, c, zring.Push, zring.WithPlainUsername("bob"), zring.WithPlainPassword("wrong"), zring.WithLinger(0))
	require.NoError(t, bad.Connect(pull.Endpoint()))
	ev := nextEvent(t, sm, zring.EventHandshakeFailedProtocol)
	assert.Equal(t, zring.ProtocolErrorZAPMalformedReply, ev.Value)
}

// A PLAIN server closes a client that breaks the handshake, and keeps
// serving its good client; no data passes before the handshake.
func TestPlainBadPeers(t *testing.T) {
	hello := zmtp.AppendPlainHello(nil, []byte("admin"), []byte("secret"))
	cases := map[string][]byte{
		"data-before-hello":   {0x00, 0x01, 'x'},
		"hello-trailing-byte": zmtp.AppendCommand(nil, "HELLO", append(append([]byte(nil), hello[8:]...), 0)),
		"hello-truncated":     zmtp.AppendCommand(nil, "HELLO", []byte{5, 'a', 'd'}),
		"initiate-first":      zmtp.AppendMetadataCommand(nil, "INITIATE", zmtp.Push, nil),
		"ready-first":         zmtp.AppendReady(nil, zmtp.Push, nil),
		"data-after-hello":    append(append([]byte(nil), hello...), 0x00, 0x01, 'x'),
	}
	for name, frames := range cases {
		t.Run(name, func(t *testing.T) {
			c := newContext(t)
			newAuthenticator(t, c).SetPasswords("*", map[string]string{"admin": "secret"})
			pull, push := bindConnect(t, c, zring.Pull, zring.Push,
				[]zring.Option{zring.WithPlainServer(true)},
				[]zring.Option{zring.WithPlainUsername("admin"), zring.WithPlainPassword("secret")})
			requireDelivers(t, push, pull, "before")
			bad := dialRaw(t, pull.Endpoint())
			bad.write(zmtp.AppendGreeting(nil, "PLAIN", false))
			bad.write(frames)
			bad.requireClosed()
			requireDelivers(t, push, pull, "after")
			expectNothing(t, pull) // the bad peer's "x" never arrived
		})
	}
}

// The Authenticator's address rules: an allow list admits only its
// addresses; a deny entry refuses even an allowed one.
func TestAuthenticatorAddressRules(t *testing.T) {
	for _, tc := range []struct {
		name    string
		setup   func(a *zring.Authenticator)
		refused bool
	}{
		{"allowed", func(a *zring.Authenticator) { a.Allow("127.0.0.1") }, false},
		{"not on the allow list", func(a *zring.Authenticator) { a.Allow("10.9.8.7") }, true},
		{"allowed and denied", func(a *zring.Authenticator) { a.Allow("127.0.0.1"); a.Deny("127.0.0.1") }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newContext(t)
			tc.setup(newAuthenticator(t, c))
			ev, pull := serverOutcome(t, c, []zring.Option{zring.WithZAPDomain("global")}, nil)
			if tc.refused {
				assert.Equal(t, zring.EventHandshakeFailedAuth, ev.Type)
				return
			}
			assert.Equal(t, zring.EventHandshakeSucceeded, ev.Type)
			got, err := pull.RecvString(0)
			require.NoError(t, err)
			assert.Equal(t, "hello", got)
		})
	}
	// One handler per context.
	c := newContext(t)
	newAuthenticator(t, c)
	_, err := zring.NewAuthenticator(c)
	require.ErrorIs(t, err, zring.ErrZAPBound)
}

// A ZAP handler that closes and a new one that binds: the context's ZAP
// client links to the new one (an inproc link does not follow a new
// binder by itself), and handshakes in between fail without a handler.
func TestZAPHandlerRestart(t *testing.T) {
	c := newContext(t)
	plain := func() zring.Event {
		ev, _ := serverOutcome(t, c, []zring.Option{zring.WithPlainServer(true)},
			[]zring.Option{zring.WithPlainUsername("admin"), zring.WithPlainPassword("secret")})
		return ev
	}
	a, err := zring.NewAuthenticator(c)
	require.NoError(t, err)
	a.SetPasswords("*", map[string]string{"admin": "secret"})
	assert.Equal(t, zring.EventHandshakeSucceeded, plain().Type)
	require.NoError(t, a.Close())
	assert.Equal(t, zring.EventHandshakeFailedNoDetail, plain().Type)
	b := newAuthenticator(t, c)
	b.SetPasswords("*", map[string]string{"admin": "secret"})
	assert.Equal(t, zring.EventHandshakeSucceeded, plain().Type)
}
