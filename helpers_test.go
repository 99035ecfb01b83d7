//go:build linux

package zring_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/internal/testpeer"
	"github.com/zring/zring/zmtp"
)

// Shared helpers for the socket tests.

func newContext(t *testing.T) *zring.Context {
	t.Helper()
	c, err := zring.NewContext()
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, c.Close()) })
	return c
}

func newSocket(t *testing.T, c *zring.Context, typ zring.Type, opts ...zring.Option) *zring.Socket {
	t.Helper()
	base := []zring.Option{zring.WithLinger(2 * time.Second), zring.WithRcvTimeout(10 * time.Second), zring.WithSndTimeout(10 * time.Second)}
	s, err := c.NewSocket(typ, append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func startPeer(t *testing.T, typ string) *testpeer.Peer {
	p := testpeer.Start(t, typ)
	p.SetOption("LINGER", 2000)
	p.SetOption("RCVTIMEO", 10000)
	p.SetOption("SNDTIMEO", 10000)
	return p
}

// bindConnect binds a socket of type bindType on an ephemeral loopback port
// (or endpoint, if given) and connects a socket of type connType to it.
func bindConnect(t *testing.T, c *zring.Context, bindType, connType zring.Type, bindOpts, connOpts []zring.Option) (bound, connected *zring.Socket) {
	t.Helper()
	return bindConnectAt(t, c, "tcp://127.0.0.1:*", bindType, connType, bindOpts, connOpts)
}

func bindConnectAt(t *testing.T, c *zring.Context, endpoint string, bindType, connType zring.Type, bindOpts, connOpts []zring.Option) (bound, connected *zring.Socket) {
	t.Helper()
	bound = newSocket(t, c, bindType, bindOpts...)
	require.NoError(t, bound.Bind(endpoint))
	connected = newSocket(t, c, connType, connOpts...)
	require.NoError(t, connected.Connect(bound.Endpoint()))
	return bound, connected
}

// requireDropsMultipart has a raw ZMTP peer of type peerType send s, bound
// on tcp, a two-part message and then "ok": s, a type of single-part
// messages, must drop the first whole and receive the second alone.
func requireDropsMultipart(t *testing.T, s *zring.Socket, peerType zmtp.SocketType) {
	t.Helper()
	p := dialRaw(t, s.Endpoint())
	p.handshake(peerType)
	var b []byte
	b = append(zmtp.AppendFrameHeader(b, zmtp.FlagMore, 1), 'x')
	b = append(zmtp.AppendFrameHeader(b, 0, 1), 'y')
	b = append(zmtp.AppendFrameHeader(b, 0, 2), "ok"...)
	p.write(b)
	got, err := s.RecvMulti(0)
	require.NoError(t, err)
	require.Equal(t, [][]byte{[]byte("ok")}, got)
}
