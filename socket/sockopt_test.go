package socket_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring/socket"
)

func TestSockOptByNumber(t *testing.T) {
	c := newContext(t)
	s := newSocket(t, c, socket.Dealer)
	for _, tc := range []struct {
		opt   socket.Opt
		value any
	}{
		{socket.OptSndHWM, 50}, {socket.OptRcvHWM, 70}, {socket.OptLinger, 0}, {socket.OptLinger, -1},
		{socket.OptRcvTimeo, 250}, {socket.OptSndTimeo, -1}, {socket.OptReconnectIvl, 30},
		{socket.OptMaxMsgSize, 4096}, {socket.OptHandshakeIvl, 1500}, {socket.OptProbeRouter, 1},
		{socket.OptRoutingID, []byte("me")}, {socket.OptAffinity, 3}, {socket.OptAffinity, 0},
	} {
		require.NoError(t, s.SetSockOpt(tc.opt, tc.value), "set %d", tc.opt)
		got, err := s.SockOpt(tc.opt)
		require.NoError(t, err)
		assert.Equal(t, tc.value, got, "option %d", tc.opt)
	}
	require.NoError(t, s.SetSockOpt(socket.OptRoutingID, "str"), "strings are bytes")
	id, err := s.SockOptBytes(socket.OptRoutingID)
	require.NoError(t, err)
	assert.Equal(t, []byte("str"), id)

	mech, err := s.SockOptInt(socket.OptMechanism)
	require.NoError(t, err)
	assert.Zero(t, mech, "NULL")
	typ, err := s.SockOptInt(socket.OptType)
	require.NoError(t, err)
	assert.Equal(t, 5, typ, "ZMQ_DEALER")
	require.NoError(t, s.Bind("tcp://127.0.0.1:*"))
	ep, err := s.SockOptBytes(socket.OptLastEndpoint)
	require.NoError(t, err)
	assert.Equal(t, s.Endpoint(), string(ep))
	more, err := s.SockOptInt(socket.OptRcvMore)
	require.NoError(t, err)
	assert.Zero(t, more)

	require.ErrorIs(t, s.SetSockOpt(socket.OptType, 1), socket.ErrNotSupported, "read-only")
	require.ErrorIs(t, s.SetSockOpt(8, 1), socket.ErrNotSupported, "RATE: libzmq's (multicast), not implemented")
	require.ErrorIs(t, s.SetSockOpt(1000, 1), socket.ErrInvalid, "unknown")
	require.ErrorIs(t, s.SetSockOpt(socket.OptSndHWM, "x"), socket.ErrInvalid, "wrong kind")
	require.ErrorIs(t, s.SetSockOpt(socket.OptSndHWM, -1), socket.ErrInvalid)
	_, err = s.SockOpt(socket.OptXPubWelcomeMsg)
	require.ErrorIs(t, err, socket.ErrNotSupported, "write-only")
	require.ErrorIs(t, s.SetSockOpt(socket.OptSubscribe, "x"), socket.ErrNotSupported, "DEALER has no subscriptions")
}

func TestSockOptSubscribeAndRcvMore(t *testing.T) {
	pub, sub := pubSub(t, socket.Pub, socket.Sub, nil, []socket.Option{socket.WithRcvTimeout(5 * time.Second)})
	require.NoError(t, sub.SetSockOpt(socket.OptSubscribe, "a"))
	publishUntil(t, pub, sub, "a", "b")
	drain(sub)
	require.NoError(t, pub.SendMulti(frames("a", "b")))
	_, err := sub.Recv(0)
	require.NoError(t, err)
	more, err := sub.SockOptInt(socket.OptRcvMore)
	require.NoError(t, err)
	assert.Equal(t, 1, more)
}
