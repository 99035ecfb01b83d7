//go:build linux

package zring_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/internal/testpeer"
)

// CURVE against real libzmq, both roles: good keys deliver (multipart, and
// a message larger than the encode buffer), a wrong server key fails
// without data, and a client key the ZAP handler does not list gets 400.

// curveParts is a multipart message crossing every size class.
var curveParts = [][]byte{[]byte("ping"), {}, bytes.Repeat([]byte{'x'}, 20<<10), bytes.Repeat([]byte{'y'}, 200<<10)}

func curvePeerClient(t *testing.T, typ string, ck curveKeys, server string) *testpeer.Peer {
	p := startPeer(t, typ)
	p.SetOption("CURVE_SERVERKEY", server)
	p.SetOption("CURVE_PUBLICKEY", ck.public)
	p.SetOption("CURVE_SECRETKEY", ck.secret)
	p.Monitor()
	return p
}

// curveCase is one interop case's keys: the server's and the client's,
// the client key the ZAP handler lists, and the server key the client
// trusts. "unknown client" and "wrong server key" swap in fresh keys.
type curveCase struct {
	server, client   curveKeys
	listed           curveKeys
	trustedServerKey string
}

func newCurveCase(t *testing.T, name string) curveCase {
	cc := curveCase{server: newCurveKeys(t), client: newCurveKeys(t)}
	cc.listed, cc.trustedServerKey = cc.client, cc.server.public
	switch name {
	case "unknown client":
		cc.listed = newCurveKeys(t)
	case "wrong server key":
		cc.trustedServerKey = newCurveKeys(t).public
	}
	return cc
}

func TestInteropCurveZringServerLibzmqClient(t *testing.T) {
	for _, tc := range []string{"good", "wrong server key", "unknown client"} {
		t.Run(tc, func(t *testing.T) {
			c := newContext(t)
			cc := newCurveCase(t, tc)
			newAuthenticator(t, c).SetCurveKeys("*", cc.listed.publicKey(t))
			rep := newSocket(t, c, zring.Rep, curveServer(cc.server)...)
			sm := monitor(t, rep)
			require.NoError(t, rep.Bind("tcp://127.0.0.1:*"))
			req := curvePeerClient(t, "REQ", cc.client, cc.trustedServerKey)
			req.Connect(rep.Endpoint())
			switch tc {
			case "wrong server key":
				ev := nextEvent(t, sm, zring.EventHandshakeFailedProtocol, zring.EventHandshakeSucceeded)
				assert.Equal(t, zring.ProtocolErrorCryptographic, ev.Value)
				expectNothing(t, rep)
				return
			case "unknown client":
				ev := nextEvent(t, sm, zring.EventHandshakeFailedAuth, zring.EventHandshakeSucceeded)
				assert.Equal(t, uint32(400), ev.Value)
				assert.Equal(t, "HANDSHAKE_FAILED_AUTH:400", awaitEvent(t, req, "HANDSHAKE_FAILED"))
				expectNothing(t, rep)
				return
			}
			req.Send(curveParts...)
			got, md, err := rep.RecvMultiMetadataContext(context.Background(), 0)
			require.NoError(t, err)
			require.Equal(t, curveParts, got)
			assert.Equal(t, cc.client.public, md.UserID())
			typ, _ := md.Get("Socket-Type")
			assert.Equal(t, "REQ", typ, "libzmq's metadata, opened from its INITIATE")
			require.NoError(t, rep.SendMulti(curveParts, 0))
			require.Equal(t, curveParts, req.Recv())
		})
	}
}

func TestInteropCurveLibzmqServerZringClient(t *testing.T) {
	for _, tc := range []string{"good", "wrong server key", "unknown client"} {
		t.Run(tc, func(t *testing.T) {
			c := newContext(t)
			cc := newCurveCase(t, tc)
			rep := startPeer(t, "REP")
			rep.ZAP("CURVE:" + cc.listed.public)
			rep.SetOption("CURVE_SERVER", 1)
			rep.SetOption("CURVE_SECRETKEY", cc.server.secret)
			rep.Monitor()
			ep := rep.Bind("tcp://127.0.0.1:*")
			req := newSocket(t, c, zring.Req, append(curveClient(cc.client, cc.trustedServerKey), zring.WithLinger(0))...)
			cm := monitor(t, req)
			require.NoError(t, req.Connect(ep))
			switch tc {
			case "wrong server key":
				assert.Contains(t, awaitEvent(t, rep, "HANDSHAKE_FAILED"), "HANDSHAKE_FAILED_PROTOCOL")
				rep.SetOption("RCVTIMEO", 300)
				_, err := rep.TryRecv()
				require.ErrorIs(t, err, testpeer.ErrAgain)
				return
			case "unknown client":
				ev := nextEvent(t, cm, zring.EventHandshakeFailedAuth, zring.EventHandshakeSucceeded)
				assert.Equal(t, uint32(400), ev.Value)
				assert.Equal(t, "HANDSHAKE_FAILED_AUTH:400", awaitEvent(t, rep, "HANDSHAKE_FAILED"))
				rep.SetOption("RCVTIMEO", 300)
				_, err := rep.TryRecv()
				require.ErrorIs(t, err, testpeer.ErrAgain)
				return
			}
			require.NoError(t, req.SendMulti(curveParts, 0))
			require.Equal(t, curveParts, rep.Recv())
			rep.Send(curveParts...)
			got, err := req.RecvMulti(0)
			require.NoError(t, err)
			require.Equal(t, curveParts, got)
		})
	}
}

// TestInteropCurvePubSub: subscriptions from either side cross sealed
// (libzmq 4.3 sends SUBSCRIBE as a MESSAGE with the COMMAND flag).
func TestInteropCurvePubSub(t *testing.T) {
	t.Run("zring SUB", func(t *testing.T) {
		c := newContext(t)
		sk, ck := newCurveKeys(t), newCurveKeys(t)
		pub := startPeer(t, "PUB")
		pub.SetOption("CURVE_SERVER", 1)
		pub.SetOption("CURVE_SECRETKEY", sk.secret)
		ep := pub.Bind("tcp://127.0.0.1:*")
		sub := newSocket(t, c, zring.Sub, curveClient(ck, sk.public)...)
		require.NoError(t, sub.Subscribe("a"))
		require.NoError(t, sub.Connect(ep))
		require.Eventually(t, func() bool {
			pub.Send([]byte("b-skip"))
			pub.Send([]byte("a-news"))
			got, err := sub.RecvString(zring.DontWait)
			return err == nil && assert.Equal(t, "a-news", got)
		}, 5*time.Second, 20*time.Millisecond)
	})
	t.Run("libzmq SUB", func(t *testing.T) {
		c := newContext(t)
		sk, ck := newCurveKeys(t), newCurveKeys(t)
		pub := newSocket(t, c, zring.Pub, curveServer(sk)...)
		require.NoError(t, pub.Bind("tcp://127.0.0.1:*"))
		sub := curvePeerClient(t, "SUB", ck, sk.public)
		sub.SetOption("SUBSCRIBE", "a")
		sub.Connect(pub.Endpoint())
		sub.SetOption("RCVTIMEO", 50)
		require.Eventually(t, func() bool {
			require.NoError(t, pub.SendString("b-skip", 0))
			require.NoError(t, pub.SendString("a-news", 0))
			got, err := sub.TryRecv()
			return err == nil && assert.Equal(t, [][]byte{[]byte("a-news")}, got)
		}, 5*time.Second, 20*time.Millisecond)
	})
}

// TestInteropCurveHeartbeats: PING and PONG cross sealed (inner COMMAND
// flag) both ways with libzmq; a quiet CURVE session with short heartbeat
// timeouts on both sides stays up, whichever side is the server.
func TestInteropCurveHeartbeats(t *testing.T) {
	for _, zringServer := range []bool{true, false} {
		t.Run(fmt.Sprintf("zring server=%v", zringServer), func(t *testing.T) {
			c := newContext(t)
			sk, ck := newCurveKeys(t), newCurveKeys(t)
			hb := []zring.Option{zring.WithHeartbeatIvl(20 * time.Millisecond), zring.WithHeartbeatTimeout(200 * time.Millisecond)}
			peer := startPeer(t, "DEALER")
			peer.SetOption("HEARTBEAT_IVL", 20)
			peer.SetOption("HEARTBEAT_TIMEOUT", 200)
			peer.Monitor()
			var z *zring.Socket
			if zringServer {
				z = newSocket(t, c, zring.Dealer, append(curveServer(sk), hb...)...)
				require.NoError(t, z.Bind("tcp://127.0.0.1:*"))
				peer.SetOption("CURVE_SERVERKEY", sk.public)
				peer.SetOption("CURVE_PUBLICKEY", ck.public)
				peer.SetOption("CURVE_SECRETKEY", ck.secret)
				peer.Connect(z.Endpoint())
			} else {
				peer.SetOption("CURVE_SERVER", 1)
				peer.SetOption("CURVE_SECRETKEY", sk.secret)
				ep := peer.Bind("tcp://127.0.0.1:*")
				z = newSocket(t, c, zring.Dealer, append(curveClient(ck, sk.public), hb...)...)
				require.NoError(t, z.Connect(ep))
			}
			zm := monitor(t, z)
			peer.Send([]byte("hello"))
			got, err := z.RecvString(0)
			require.NoError(t, err)
			require.Equal(t, "hello", got)
			time.Sleep(600 * time.Millisecond) // 30 heartbeats each way, no data
			for _, e := range peer.Events() {
				require.NotContains(t, e, "DISCONNECTED", "libzmq dropped the session")
			}
			for drained := false; !drained; {
				select {
				case ev := <-zm.Events():
					require.NotEqual(t, zring.EventDisconnected, ev.Type, "zring dropped the session: %v", ev)
				default:
					drained = true
				}
			}
			require.NoError(t, z.SendString("still up", 0))
			require.Equal(t, [][]byte{[]byte("still up")}, peer.Recv())
		})
	}
}
