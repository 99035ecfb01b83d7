//go:build linux

package zring_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/zmtp"
)

// The User-Id the ZAP handler assigned, the peer's own properties and its
// address are readable with each message, as zmq_msg_gets gives them.

func TestMetadataCarriesCurveUserID(t *testing.T) {
	c := newContext(t)
	so, co, ck := curveOptions(t)
	newAuthenticator(t, c).SetCurveKeys("*", ck.publicKey(t))
	pull, push := bindConnect(t, c, zring.Pull, zring.Push, so, append(co, zring.WithRoutingID([]byte("me"))))
	require.NoError(t, push.SendMulti([][]byte{[]byte("a"), []byte("b")}, 0))
	parts, md, err := pull.RecvMultiMetadataContext(context.Background(), 0)
	require.NoError(t, err)
	assert.Len(t, parts, 2)
	assert.Equal(t, ck.public, md.UserID(), "the Authenticator names CURVE users by their key")
	typ, _ := md.Get("socket-type")
	assert.Equal(t, "PUSH", typ)
	addr, _ := md.Get(zring.PropPeerAddress)
	assert.Equal(t, "127.0.0.1", addr)
	assert.Same(t, md, pull.Metadata(), "the last message's metadata")
}

func TestMetadataCarriesPlainUserAndZAPProperties(t *testing.T) {
	c := newContext(t)
	// A hand-written handler adds its own metadata to the reply.
	handler := newSocket(t, c, zring.Rep)
	require.NoError(t, handler.Bind(zmtp.ZAPEndpoint))
	go func() {
		req, err := handler.RecvMulti(0)
		if err != nil || len(req) < 2 {
			return
		}
		_ = handler.SendMulti(zmtp.ZAPReplyFrames(req[1], zmtp.ZAPReply{
			Status: 200, Text: "OK", UserID: []byte("alice"),
			Metadata: zmtp.AppendProperty(nil, "X-Desk", []byte("rates")),
		})[1:], 0)

	}()
	rep, req := bindConnect(t, c, zring.Rep, zring.Req, []zring.Option{zring.WithPlainServer(true)},
		[]zring.Option{zring.WithPlainUsername("alice"), zring.WithPlainPassword("pw")})
	require.NoError(t, req.SendString("order", 0))
	_, md, err := rep.RecvMultiMetadataContext(context.Background(), 0)
	require.NoError(t, err)
	assert.Equal(t, "alice", md.UserID())
	desk, ok := md.Get("x-desk")
	assert.True(t, ok)
	assert.Equal(t, "rates", desk)
	// The client learns the server's properties, but no User-Id.
	require.NoError(t, rep.SendString("filled", 0))
	_, err = req.Recv(0)
	require.NoError(t, err)
	typ, _ := req.Metadata().Get("Socket-Type")
	assert.Equal(t, "REP", typ)
	assert.Empty(t, req.Metadata().UserID())
}

func TestMetadataIsNilInproc(t *testing.T) {
	c := newContext(t)
	pull, push := bindConnectAt(t, c, "inproc://md", zring.Pull, zring.Push, nil, nil)
	require.NoError(t, push.SendString("x", 0))
	_, md, err := pull.RecvMultiMetadataContext(context.Background(), 0)
	require.NoError(t, err)
	assert.Nil(t, md)
	_, ok := md.Get("User-Id")
	assert.False(t, ok, "a nil Metadata is safe to read")
}

// recvUsers receives n messages from s and maps each to the User-Id of its
// connection, checking that Metadata agrees with RecvMultiMetadata.
func recvUsers(t *testing.T, s *zring.Socket, n int) map[string]string {
	t.Helper()
	got := make(map[string]string)
	for range n {
		parts, md, err := s.RecvMultiMetadataContext(context.Background(), 0)
		require.NoError(t, err)
		require.Len(t, parts, 1)
		assert.Same(t, md, s.Metadata(), "the last message's metadata")
		got[string(parts[0])] = md.UserID()
	}
	return got
}

// TestXPubSubscriptionCarriesPlainUserID: an XPUB that is the PLAIN server
// reads on each subscription message the User-Id of the subscriber that
// sent it, as libzmq's zmq_msg_gets gives it; the cancels the XPUB makes
// for a subscriber that left carry none.
func TestXPubSubscriptionCarriesPlainUserID(t *testing.T) {
	c := newContext(t)
	newAuthenticator(t, c).SetPasswords("*", map[string]string{"alice": "a-pw", "bob": "b-pw"})
	xpub := newSocket(t, c, zring.XPub, zring.WithPlainServer(true))
	require.NoError(t, xpub.Bind("tcp://127.0.0.1:*"))
	alice := newSocket(t, c, zring.Sub, zring.WithPlainUsername("alice"), zring.WithPlainPassword("a-pw"))
	bob := newSocket(t, c, zring.Sub, zring.WithPlainUsername("bob"), zring.WithPlainPassword("b-pw"))
	require.NoError(t, alice.Subscribe("A"))
	require.NoError(t, bob.Subscribe("B"))
	require.NoError(t, alice.Connect(xpub.Endpoint()))
	require.NoError(t, bob.Connect(xpub.Endpoint()))
	assert.Equal(t, map[string]string{"\x01A": "alice", "\x01B": "bob"}, recvUsers(t, xpub, 2))

	require.NoError(t, alice.Unsubscribe("A"))
	assert.Equal(t, map[string]string{"\x00A": "alice"}, recvUsers(t, xpub, 1), "a cancel the peer sent")

	require.NoError(t, bob.Close())
	parts, md, err := xpub.RecvMultiMetadataContext(context.Background(), 0)
	require.NoError(t, err)
	assert.Equal(t, [][]byte{[]byte("\x00B")}, parts)
	assert.Nil(t, md, "the XPUB made this cancel itself")
	assert.Nil(t, xpub.Metadata())
}

// TestXPubSubscriptionCarriesCurveUserID: the same as the CURVE server, where
// the Authenticator names users by their public key.
func TestXPubSubscriptionCarriesCurveUserID(t *testing.T) {
	c := newContext(t)
	sk, k1, k2 := newCurveKeys(t), newCurveKeys(t), newCurveKeys(t)
	newAuthenticator(t, c).SetCurveKeys("*", k1.publicKey(t), k2.publicKey(t))
	xpub := newSocket(t, c, zring.XPub, curveServer(sk)...)
	require.NoError(t, xpub.Bind("tcp://127.0.0.1:*"))
	for i, k := range []curveKeys{k1, k2} {
		sub := newSocket(t, c, zring.Sub, curveClient(k, sk.public)...)
		require.NoError(t, sub.Subscribe(string(rune('1'+i))))
		require.NoError(t, sub.Connect(xpub.Endpoint()))
	}
	assert.Equal(t, map[string]string{"\x011": k1.public, "\x012": k2.public}, recvUsers(t, xpub, 2))
}

// TestXPubVerboseSubscriptionsCarryTheirOwnUser: under XPUB_VERBOSE a
// topic's second subscriber is reported too, with its own User-Id.
func TestXPubVerboseSubscriptionsCarryTheirOwnUser(t *testing.T) {
	c := newContext(t)
	newAuthenticator(t, c).SetPasswords("*", map[string]string{"alice": "a-pw", "bob": "b-pw"})
	xpub := newSocket(t, c, zring.XPub, zring.WithPlainServer(true), zring.WithXPubVerbose(true))
	require.NoError(t, xpub.Bind("tcp://127.0.0.1:*"))
	users := map[string]bool{}
	for _, user := range []string{"alice", "bob"} {
		sub := newSocket(t, c, zring.Sub, zring.WithPlainUsername(user), zring.WithPlainPassword(user[:1]+"-pw"))
		require.NoError(t, sub.Subscribe("T"))
		require.NoError(t, sub.Connect(xpub.Endpoint()))
		parts, md, err := xpub.RecvMultiMetadataContext(context.Background(), 0)
		require.NoError(t, err)
		assert.Equal(t, [][]byte{[]byte("\x01T")}, parts)
		users[md.UserID()] = true
	}
	assert.Equal(t, map[string]bool{"alice": true, "bob": true}, users)
}

// TestXPubManualGrantsToTheSubscriptionRead: under XPUB_MANUAL, Subscribe
// applies to the peer whose subscription the application received last
// (the one its metadata names), even when another peer's subscription was
// queued behind it, as in libzmq.
func TestXPubManualGrantsToTheSubscriptionRead(t *testing.T) {
	c := newContext(t)
	newAuthenticator(t, c).SetPasswords("*", map[string]string{"alice": "a-pw", "bob": "b-pw"})
	xpub := newSocket(t, c, zring.XPub, zring.WithPlainServer(true), zring.WithXPubManual(true))
	require.NoError(t, xpub.Bind("tcp://127.0.0.1:*"))
	subs := map[string]*zring.Socket{}
	for _, user := range []string{"alice", "bob"} {
		sub := newSocket(t, c, zring.Sub, zring.WithPlainUsername(user), zring.WithPlainPassword(user[:1]+"-pw"),
			zring.WithRcvTimeout(300*time.Millisecond))
		require.NoError(t, sub.Subscribe("T"))
		require.NoError(t, sub.Connect(xpub.Endpoint()))
		subs[user] = sub
	}
	// Let both subscriptions reach the XPUB before the application reads.
	require.Eventually(t, func() bool { return xpub.PeerCount() == 2 }, 5*time.Second, time.Millisecond)
	time.Sleep(100 * time.Millisecond)
	_, md, err := xpub.RecvMultiMetadataContext(context.Background(), 0)
	require.NoError(t, err)
	granted := md.UserID()
	require.NoError(t, xpub.Subscribe("T"), "granted to the first subscription read")
	_, md, err = xpub.RecvMultiMetadataContext(context.Background(), 0)
	require.NoError(t, err)
	require.NotEqual(t, granted, md.UserID(), "the other user's subscription, not granted")

	require.NoError(t, xpub.SendString("T news", 0))
	got, err := subs[granted].RecvString(0)
	require.NoError(t, err)
	assert.Equal(t, "T news", got)
	for user, sub := range subs {
		if user != granted {
			expectNothing(t, sub)
		}
	}
}

// TestXPubWelcomeMessageCarriesThePublisher: the SUB reads the XPUB's
// properties on its welcome message, as on any message it receives.
func TestXPubWelcomeMessageCarriesThePublisher(t *testing.T) {
	c := newContext(t)
	xpub, sub := bindConnect(t, c, zring.XPub, zring.Sub,
		[]zring.Option{zring.WithXPubWelcomeMsg([]byte("Welcome"))}, nil)
	require.NoError(t, sub.Subscribe("W"))
	recvMulti(t, xpub)
	parts, md, err := sub.RecvMultiMetadataContext(context.Background(), 0)
	require.NoError(t, err)
	assert.Equal(t, frames("Welcome"), parts)
	typ, _ := md.Get("Socket-Type")
	assert.Equal(t, "XPUB", typ)
}

// TestRouterProbeCarriesUserID: a PROBE_ROUTER message reaches the ROUTER's
// application with its peer's User-Id, like the data after it.
func TestRouterProbeCarriesUserID(t *testing.T) {
	c := newContext(t)
	newAuthenticator(t, c).SetPasswords("*", map[string]string{"alice": "a-pw"})
	router, _ := bindConnect(t, c, zring.Router, zring.Dealer,
		[]zring.Option{zring.WithPlainServer(true)},
		[]zring.Option{zring.WithProbeRouter(true), zring.WithPlainUsername("alice"), zring.WithPlainPassword("a-pw")})
	parts, md, err := router.RecvMultiMetadataContext(context.Background(), 0)
	require.NoError(t, err)
	require.Len(t, parts, 2)
	assert.Empty(t, parts[1], "the probe")
	assert.Equal(t, "alice", md.UserID())
}

// TestStreamNotificationsCarryPeerAddress: STREAM's connect and disconnect
// notifications carry the connection's metadata, as libzmq's raw engine
// attaches it to them.
func TestStreamNotificationsCarryPeerAddress(t *testing.T) {
	c := newContext(t)
	s := newSocket(t, c, zring.Stream)
	require.NoError(t, s.Bind("tcp://127.0.0.1:*"))
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.Endpoint(), "tcp://"))
	require.NoError(t, err)
	expect := func(what string, body []byte) {
		t.Helper()
		parts, md, err := s.RecvMultiMetadataContext(context.Background(), 0)
		require.NoError(t, err)
		require.Len(t, parts, 2, what)
		assert.Equal(t, body, parts[1], what)
		addr, _ := md.Get(zring.PropPeerAddress)
		assert.Equal(t, "127.0.0.1", addr, what)
		assert.Same(t, md, s.Metadata(), what)
	}
	expect("connect notice", []byte{})
	_, err = conn.Write([]byte("raw"))
	require.NoError(t, err)
	expect("data", []byte("raw"))
	require.NoError(t, conn.Close())
	expect("disconnect notice", []byte{})
}

// TestXPubUpstreamDataCarriesUserID: an XSUB's upstream data reaches the
// XPUB's application with the sender's User-Id too.
func TestXPubUpstreamDataCarriesUserID(t *testing.T) {
	c := newContext(t)
	newAuthenticator(t, c).SetPasswords("*", map[string]string{"alice": "a-pw"})
	xpub, xsub := bindConnect(t, c, zring.XPub, zring.XSub, []zring.Option{zring.WithPlainServer(true)},
		[]zring.Option{zring.WithPlainUsername("alice"), zring.WithPlainPassword("a-pw")})
	require.NoError(t, xsub.SendMulti(frames("upstream", "data"), 0))
	parts, md, err := xpub.RecvMultiMetadataContext(context.Background(), 0)
	require.NoError(t, err)
	assert.Equal(t, frames("upstream", "data"), parts)
	assert.Equal(t, "alice", md.UserID())
}
