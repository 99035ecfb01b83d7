//go:build linux

package zring_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/internal/testpeer"
)

// PLAIN against real libzmq, both roles. The zring server asks an
// Authenticator; the libzmq server asks a handler in pyzmq's context.

// awaitEvent polls a libzmq peer's monitor until an event starting with
// prefix shows up, and returns it.
func awaitEvent(t *testing.T, p *testpeer.Peer, prefix string) string {
	t.Helper()
	var seen []string
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		for _, e := range p.Events() {
			seen = append(seen, e)
			if len(e) >= len(prefix) && e[:len(prefix)] == prefix {
				return e
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("libzmq raised no %s event; saw %v", prefix, seen)
	return ""
}

func TestInteropPlainZringServerLibzmqClient(t *testing.T) {
	for _, pass := range []string{"secret", "wrong"} {
		t.Run(pass, func(t *testing.T) {
			c := newContext(t)
			newAuthenticator(t, c).SetPasswords("*", map[string]string{"admin": "secret"})
			rep := newSocket(t, c, zring.Rep, zring.WithPlainServer(true))
			sm := monitor(t, rep)
			require.NoError(t, rep.Bind("tcp://127.0.0.1:*"))
			req := startPeer(t, "REQ")
			req.SetOption("PLAIN_USERNAME", "admin")
			req.SetOption("PLAIN_PASSWORD", pass)
			req.Monitor()
			req.Connect(rep.Endpoint())
			if pass == "wrong" {
				assert.Equal(t, "HANDSHAKE_FAILED_AUTH:400", awaitEvent(t, req, "HANDSHAKE_FAILED"))
				ev := nextEvent(t, sm, zring.EventHandshakeFailedAuth, zring.EventHandshakeSucceeded)
				assert.Equal(t, uint32(400), ev.Value)
				req.SetOption("SNDTIMEO", 300)
				_, _ = req.Do("send " + testpeer.EncodeFrames([][]byte{[]byte("must not arrive")}))
				expectNothing(t, rep)
				return
			}
			req.Send([]byte("ping"))
			got, err := rep.RecvString(0)
			require.NoError(t, err)
			require.Equal(t, "ping", got)
			require.NoError(t, rep.SendString("pong", 0))
			require.Equal(t, [][]byte{[]byte("pong")}, req.Recv())
		})
	}
}

func TestInteropPlainLibzmqServerZringClient(t *testing.T) {
	for _, pass := range []string{"secret", "wrong"} {
		t.Run(pass, func(t *testing.T) {
			c := newContext(t)
			rep := startPeer(t, "REP")
			rep.ZAP("PLAIN:admin:secret")
			rep.SetOption("PLAIN_SERVER", 1)
			rep.Monitor()
			ep := rep.Bind("tcp://127.0.0.1:*")
			req := newSocket(t, c, zring.Req, zring.WithPlainUsername("admin"), zring.WithPlainPassword(pass),
				zring.WithLinger(0))
			cm := monitor(t, req)
			require.NoError(t, req.Connect(ep))
			if pass == "wrong" {
				ev := nextEvent(t, cm, zring.EventHandshakeFailedAuth, zring.EventHandshakeSucceeded)
				assert.Equal(t, zring.EventHandshakeFailedAuth, ev.Type)
				assert.Equal(t, uint32(400), ev.Value)
				assert.Equal(t, "HANDSHAKE_FAILED_AUTH:400", awaitEvent(t, rep, "HANDSHAKE_FAILED"))
				_ = req.SendString("must not arrive", zring.DontWait) // may find no peer
				rep.SetOption("RCVTIMEO", 300)
				_, err := rep.TryRecv()
				require.ErrorIs(t, err, testpeer.ErrAgain)
				return
			}
			require.NoError(t, req.SendString("ping", 0))
			require.Equal(t, [][]byte{[]byte("ping")}, rep.Recv())
			rep.Send([]byte("pong"))
			got, err := req.RecvString(0)
			require.NoError(t, err)
			require.Equal(t, "pong", got)
		})
	}
}

// NULL with a ZAP_DOMAIN against libzmq: the server, either side, asks its
// ZAP handler; a refusal reaches both sides as AUTH 400.
func TestInteropNullWithZAPDomain(t *testing.T) {
	for _, admit := range []bool{true, false} {
		t.Run(fmt.Sprintf("libzmq server, admit=%v", admit), func(t *testing.T) {
			rep := startPeer(t, "REP")
			if admit {
				rep.ZAP("NULL")
			} else {
				rep.ZAP("PLAIN:someone:else")
			}
			rep.SetOption("ZAP_DOMAIN", "global")
			rep.Monitor()
			ep := rep.Bind("tcp://127.0.0.1:*")
			req := newSocket(t, newContext(t), zring.Req, zring.WithLinger(0))
			cm := monitor(t, req)
			require.NoError(t, req.Connect(ep))
			if !admit {
				ev := nextEvent(t, cm, zring.EventHandshakeFailedAuth, zring.EventHandshakeSucceeded)
				assert.Equal(t, uint32(400), ev.Value)
				assert.Equal(t, "HANDSHAKE_FAILED_AUTH:400", awaitEvent(t, rep, "HANDSHAKE_FAILED"))
				return
			}
			require.NoError(t, req.SendString("ping", 0))
			require.Equal(t, [][]byte{[]byte("ping")}, rep.Recv())
		})
		t.Run(fmt.Sprintf("zring server, admit=%v", admit), func(t *testing.T) {
			c := newContext(t)
			a := newAuthenticator(t, c)
			if !admit {
				a.Deny("127.0.0.1")
			}
			rep := newSocket(t, c, zring.Rep, zring.WithZAPDomain("global"))
			require.NoError(t, rep.Bind("tcp://127.0.0.1:*"))
			req := startPeer(t, "REQ")
			req.Monitor()
			req.Connect(rep.Endpoint())
			if !admit {
				assert.Equal(t, "HANDSHAKE_FAILED_AUTH:400", awaitEvent(t, req, "HANDSHAKE_FAILED"))
				expectNothing(t, rep)
				return
			}
			req.Send([]byte("ping"))
			got, err := rep.RecvString(0)
			require.NoError(t, err)
			assert.Equal(t, "ping", got)
		})
	}
}
