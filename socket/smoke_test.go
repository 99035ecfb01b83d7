package socket

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func newCtx(t *testing.T) *Context {
	t.Helper()
	c, err := NewContext()
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

func newSock(t *testing.T, c *Context, typ Type, opts ...Option) *Socket {
	t.Helper()
	s, err := c.NewSocket(typ, append([]Option{WithLinger(0), WithRcvTimeout(5 * time.Second), WithSndTimeout(5 * time.Second)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSmokePushPull(t *testing.T) {
	c := newCtx(t)
	pull := newSock(t, c, Pull)
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	push := newSock(t, c, Push)
	require.NoError(t, push.Connect(pull.Endpoint()))
	for i := 0; i < 100; i++ {
		require.NoError(t, push.SendMulti([][]byte{[]byte("a"), {}, []byte("hello")}))
	}
	for i := 0; i < 100; i++ {
		parts, err := pull.RecvMulti(0)
		require.NoError(t, err)
		require.Equal(t, [][]byte{[]byte("a"), {}, []byte("hello")}, parts)
	}
}

func TestSmokeReqRep(t *testing.T) {
	c := newCtx(t)
	rep := newSock(t, c, Rep)
	require.NoError(t, rep.Bind("tcp://127.0.0.1:*"))
	req := newSock(t, c, Req)
	require.NoError(t, req.Connect(rep.Endpoint()))
	for i := 0; i < 10; i++ {
		require.NoError(t, req.SendString("ping", 0))
		s, err := rep.RecvString(0)
		require.NoError(t, err)
		require.Equal(t, "ping", s)
		require.NoError(t, rep.SendString("pong", 0))
		s, err = req.RecvString(0)
		require.NoError(t, err)
		require.Equal(t, "pong", s)
	}
}
