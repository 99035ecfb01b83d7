//go:build linux

package zring_test

import (
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/internal/testpeer"
)

// Message metadata against real libzmq: a zring XPUB that is the PLAIN or
// CURVE server reads each libzmq subscriber's User-Id on its subscription
// messages, as libzmq's own XPUB does with zmq_msg_gets (checked too).

func TestInteropXPubReadsLibzmqSubscribersUserID(t *testing.T) {
	type subscriber struct {
		topic, user string
		peer        *testpeer.Peer
	}
	cases := map[string]func(t *testing.T, c *zring.Context) (*zring.Socket, []subscriber){
		"PLAIN": func(t *testing.T, c *zring.Context) (*zring.Socket, []subscriber) {
			newAuthenticator(t, c).SetPasswords("*", map[string]string{"alice": "a-pw", "bob": "b-pw"})
			xpub := newSocket(t, c, zring.XPub, zring.WithPlainServer(true))
			var subs []subscriber
			for _, user := range []string{"alice", "bob"} {
				p := startPeer(t, "SUB")
				p.SetOption("PLAIN_USERNAME", user)
				p.SetOption("PLAIN_PASSWORD", user[:1]+"-pw")
				subs = append(subs, subscriber{"T-" + user, user, p})
			}
			return xpub, subs
		},
		"CURVE": func(t *testing.T, c *zring.Context) (*zring.Socket, []subscriber) {
			sk, k1, k2 := newCurveKeys(t), newCurveKeys(t), newCurveKeys(t)
			newAuthenticator(t, c).SetCurveKeys("*", k1.publicKey(t), k2.publicKey(t))
			xpub := newSocket(t, c, zring.XPub, curveServer(sk)...)
			var subs []subscriber
			for i, k := range []curveKeys{k1, k2} {
				p := curvePeerClient(t, "SUB", k, sk.public)
				subs = append(subs, subscriber{"T-" + string(rune('1'+i)), k.public, p})
			}
			return xpub, subs
		},
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			c := newContext(t)
			xpub, subs := setup(t, c)
			require.NoError(t, xpub.Bind("tcp://127.0.0.1:*"))
			want := map[string]string{}
			for _, s := range subs {
				s.peer.SetOption("SUBSCRIBE", s.topic)
				s.peer.Connect(xpub.Endpoint())
				want["\x01"+s.topic] = s.user
			}
			assert.Equal(t, want, recvUsers(t, xpub, len(subs)), "each subscription names its own user")

			subs[1].peer.SetOption("UNSUBSCRIBE", subs[1].topic)
			assert.Equal(t, map[string]string{"\x00" + subs[1].topic: subs[1].user}, recvUsers(t, xpub, 1),
				"a cancel names its user too")
			require.NoError(t, xpub.SendString(subs[0].topic+" news", 0))
			assert.Equal(t, [][]byte{[]byte(subs[0].topic + " news")}, subs[0].peer.Recv())
		})
	}
}

// TestInteropLibzmqXPubUserID is the reference: libzmq's XPUB as the PLAIN
// server gives each zring subscriber's User-Id on its subscription, and
// none on the cancel it makes itself when a subscriber leaves, as zring's.
func TestInteropLibzmqXPubUserID(t *testing.T) {
	c := newContext(t)
	xpub := startPeer(t, "XPUB")
	xpub.ZAP("PLAIN:alice:a-pw", "PLAIN:bob:b-pw")
	xpub.SetOption("PLAIN_SERVER", 1)
	ep := xpub.Bind("tcp://127.0.0.1:*")
	subs := map[string]*zring.Socket{}
	for _, user := range []string{"alice", "bob"} {
		sub := newSocket(t, c, zring.Sub, zring.WithPlainUsername(user), zring.WithPlainPassword(user[:1]+"-pw"))
		require.NoError(t, sub.Subscribe("T-"+user))
		require.NoError(t, sub.Connect(ep))
		subs[user] = sub
	}
	got := map[string]string{}
	for range subs {
		frames, props := xpub.RecvProps("User-Id")
		require.Len(t, frames, 1)
		got[string(frames[0])] = props["User-Id"]
	}
	assert.Equal(t, map[string]string{"\x01T-alice": "alice", "\x01T-bob": "bob"}, got)

	require.NoError(t, subs["bob"].Close())
	frames, props := xpub.RecvProps("User-Id")
	assert.Equal(t, [][]byte{[]byte("\x00T-bob")}, frames)
	assert.NotContains(t, props, "User-Id", "libzmq's own cancel carries no metadata")
}

// TestInteropLibzmqStreamNoticeMetadata is the reference for STREAM:
// libzmq's connect and disconnect notices carry Peer-Address, as zring's.
func TestInteropLibzmqStreamNoticeMetadata(t *testing.T) {
	peer := startPeer(t, "STREAM")
	ep := peer.Bind("tcp://127.0.0.1:*")
	conn, err := net.Dial("tcp", strings.TrimPrefix(ep, "tcp://"))
	require.NoError(t, err)
	for _, what := range []string{"connect", "disconnect"} {
		if what == "disconnect" {
			require.NoError(t, conn.Close())
		}
		frames, props := peer.RecvProps("Peer-Address")
		require.Len(t, frames, 2, what)
		assert.Empty(t, frames[1], what)
		assert.Equal(t, "127.0.0.1", props["Peer-Address"], what)
	}
}
