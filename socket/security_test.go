package socket_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring/socket"
	"github.com/zring/zring/zmtp"
)

func newAuthenticator(t *testing.T, c *socket.Context) *socket.Authenticator {
	t.Helper()
	a, err := socket.NewAuthenticator(c)
	require.NoError(t, err)
	t.Cleanup(func() { a.Close() })
	return a
}

// expectNothing asserts that s receives nothing for a while.
func expectNothing(t *testing.T, s *socket.Socket) {
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
func serverOutcome(t *testing.T, c *socket.Context, serverOpts, clientOpts []socket.Option) (socket.Event, *socket.Socket) {
	t.Helper()
	pull := newSocket(t, c, socket.Pull, serverOpts...)
	sm := monitor(t, pull)
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	push := newSocket(t, c, socket.Push, append([]socket.Option{socket.WithLinger(0)}, clientOpts...)...)
	require.NoError(t, push.Connect(pull.Endpoint()))
	_ = push.SendString("hello", socket.DontWait) // may find no peer
	ev := nextEvent(t, sm, socket.EventHandshakeFailedAuth, socket.EventHandshakeFailedProtocol,
		socket.EventHandshakeFailedNoDetail, socket.EventHandshakeSucceeded)
	if ev.Type != socket.EventHandshakeSucceeded {
		expectNothing(t, pull)
	}
	return ev, pull
}

func TestPlainDeliversWithTheRightPassword(t *testing.T) {
	c := newContext(t)
	newAuthenticator(t, c).SetPasswords("*", map[string]string{"admin": "secret"})
	pull, push := bindConnect(t, c, socket.Pull, socket.Push,
		[]socket.Option{socket.WithPlainServer(true)},
		[]socket.Option{socket.WithPlainUsername("admin"), socket.WithPlainPassword("secret")})
	requireDelivers(t, push, pull, "over PLAIN")
	mech, err := pull.SockOpt(socket.OptMechanism)
	require.NoError(t, err)
	assert.Equal(t, socket.MechanismPlain, mech)
}

func TestPlainWrongPasswordDeliversNothingAndStopsRetrying(t *testing.T) {
	c := newContext(t)
	newAuthenticator(t, c).SetPasswords("*", map[string]string{"admin": "secret"})
	pull := newSocket(t, c, socket.Pull, socket.WithPlainServer(true))
	sm := monitor(t, pull)
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	push := newSocket(t, c, socket.Push, socket.WithPlainUsername("admin"), socket.WithPlainPassword("guess"),
		socket.WithReconnectIvl(10*time.Millisecond), socket.WithLinger(0))
	cm := monitor(t, push)
	require.NoError(t, push.Connect(pull.Endpoint()))
	require.NoError(t, push.SendString("must not arrive", socket.DontWait))

	ev := nextEvent(t, sm, socket.EventHandshakeFailedAuth, socket.EventHandshakeSucceeded)
	assert.Equal(t, socket.EventHandshakeFailedAuth, ev.Type)
	assert.Equal(t, uint32(400), ev.Value)
	ev = nextEvent(t, cm, socket.EventHandshakeFailedAuth, socket.EventHandshakeSucceeded)
	assert.Equal(t, socket.EventHandshakeFailedAuth, ev.Type)
	assert.Equal(t, uint32(400), ev.Value, "the client learns the ZAP status from ERROR")
	expectNothing(t, pull)
	// The client does not retry with the same credentials.
	for {
		select {
		case ev := <-cm.Events():
			require.NotEqual(t, socket.EventConnected, ev.Type, "reconnected after an auth failure")
			continue
		case <-time.After(200 * time.Millisecond):
		}
		break
	}
}

func TestPlainServerWithoutHandlerRefusesEveryone(t *testing.T) {
	ev, _ := serverOutcome(t, newContext(t), []socket.Option{socket.WithPlainServer(true)},
		[]socket.Option{socket.WithPlainUsername("admin"), socket.WithPlainPassword("secret")})
	assert.Equal(t, socket.EventHandshakeFailedNoDetail, ev.Type)
}

func TestPlainMismatchedMechanismIsRefused(t *testing.T) {
	c := newContext(t)
	newAuthenticator(t, c).SetPasswords("*", map[string]string{"admin": "secret"})
	ev, _ := serverOutcome(t, c, []socket.Option{socket.WithPlainServer(true)}, nil) // the client is NULL
	assert.Equal(t, socket.EventHandshakeFailedProtocol, ev.Type)
	assert.Equal(t, socket.ProtocolErrorMechanismMismatch, ev.Value)
}

func TestNullConsultsZAPOnlyWithADomain(t *testing.T) {
	c := newContext(t)
	newAuthenticator(t, c).Deny("127.0.0.1")
	// No domain: NULL never asks, so the deny list does not apply.
	pull, push := bindConnect(t, c, socket.Pull, socket.Push, nil, nil)
	requireDelivers(t, push, pull, "no domain")

	// With a domain the handler's deny list refuses the client.
	ev, _ := serverOutcome(t, c, []socket.Option{socket.WithZAPDomain("global")}, nil)
	assert.Equal(t, socket.EventHandshakeFailedAuth, ev.Type)
	assert.Equal(t, uint32(400), ev.Value)
}

// A handler written for libzmq: a REP socket speaking RFC 27's frames by
// hand. Its reply's status decides; a malformed reply fails the handshake.
func TestHandWrittenZAPHandler(t *testing.T) {
	c := newContext(t)
	rep := newSocket(t, c, socket.Rep, socket.WithLinger(0))
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
			rep.SendMulti([][]byte{[]byte("1.0"), req[1], []byte(status), []byte("OK"), []byte("user"), nil})
		}
	}()
	pull := newSocket(t, c, socket.Pull, socket.WithPlainServer(true), socket.WithZAPDomain("test"),
		socket.WithRoutingID([]byte("srv")))
	sm := monitor(t, pull)
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	push := newSocket(t, c, socket.Push, socket.WithPlainUsername("bob"), socket.WithPlainPassword("secret"))
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

	bad := newSocket(t, c, socket.Push, socket.WithPlainUsername("bob"), socket.WithPlainPassword("wrong"), socket.WithLinger(0))
	require.NoError(t, bad.Connect(pull.Endpoint()))
	ev := nextEvent(t, sm, socket.EventHandshakeFailedProtocol)
	assert.Equal(t, socket.ProtocolErrorZAPMalformedReply, ev.Value)
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
			pull, push := bindConnect(t, c, socket.Pull, socket.Push,
				[]socket.Option{socket.WithPlainServer(true)},
				[]socket.Option{socket.WithPlainUsername("admin"), socket.WithPlainPassword("secret")})
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
		setup   func(a *socket.Authenticator)
		refused bool
	}{
		{"allowed", func(a *socket.Authenticator) { a.Allow("127.0.0.1") }, false},
		{"not on the allow list", func(a *socket.Authenticator) { a.Allow("10.9.8.7") }, true},
		{"allowed and denied", func(a *socket.Authenticator) { a.Allow("127.0.0.1"); a.Deny("127.0.0.1") }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newContext(t)
			tc.setup(newAuthenticator(t, c))
			ev, pull := serverOutcome(t, c, []socket.Option{socket.WithZAPDomain("global")}, nil)
			if tc.refused {
				assert.Equal(t, socket.EventHandshakeFailedAuth, ev.Type)
				return
			}
			assert.Equal(t, socket.EventHandshakeSucceeded, ev.Type)
			got, err := pull.RecvString(0)
			require.NoError(t, err)
			assert.Equal(t, "hello", got)
		})
	}
	// One handler per context.
	c := newContext(t)
	newAuthenticator(t, c)
	_, err := socket.NewAuthenticator(c)
	require.ErrorIs(t, err, socket.ErrZAPBound)
}

// A ZAP handler that closes and a new one that binds: the context's ZAP
// client links to the new one (an inproc link does not follow a new
// binder by itself), and handshakes in between fail without a handler.
func TestZAPHandlerRestart(t *testing.T) {
	c := newContext(t)
	plain := func() socket.Event {
		ev, _ := serverOutcome(t, c, []socket.Option{socket.WithPlainServer(true)},
			[]socket.Option{socket.WithPlainUsername("admin"), socket.WithPlainPassword("secret")})
		return ev
	}
	a, err := socket.NewAuthenticator(c)
	require.NoError(t, err)
	a.SetPasswords("*", map[string]string{"admin": "secret"})
	assert.Equal(t, socket.EventHandshakeSucceeded, plain().Type)
	require.NoError(t, a.Close())
	assert.Equal(t, socket.EventHandshakeFailedNoDetail, plain().Type)
	b := newAuthenticator(t, c)
	b.SetPasswords("*", map[string]string{"admin": "secret"})
	assert.Equal(t, socket.EventHandshakeSucceeded, plain().Type)
}
