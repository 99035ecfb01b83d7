//go:build linux

package zring_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

func TestSockOptByNumber(t *testing.T) {
	c := newContext(t)
	s := newSocket(t, c, zring.Dealer)
	for _, tc := range []struct {
		opt   zring.Opt
		value any
	}{
		{zring.OptSndHWM, 50}, {zring.OptRcvHWM, 70}, {zring.OptLinger, 0}, {zring.OptLinger, -1},
		{zring.OptRcvTimeo, 250}, {zring.OptSndTimeo, -1}, {zring.OptReconnectIvl, 30},
		{zring.OptMaxMsgSize, 4096}, {zring.OptHandshakeIvl, 1500}, {zring.OptProbeRouter, 1},
		{zring.OptRoutingID, []byte("me")}, {zring.OptAffinity, 3}, {zring.OptAffinity, 0},
	} {
		require.NoError(t, s.SetSockOpt(tc.opt, tc.value), "set %d", tc.opt)
		got, err := s.SockOpt(tc.opt)
		require.NoError(t, err)
		assert.Equal(t, tc.value, got, "option %d", tc.opt)
	}
	require.NoError(t, s.SetSockOpt(zring.OptRoutingID, "str"), "strings are bytes")
	id, err := s.SockOptBytes(zring.OptRoutingID)
	require.NoError(t, err)
	assert.Equal(t, []byte("str"), id)

	mech, err := s.SockOptInt(zring.OptMechanism)
	require.NoError(t, err)
	assert.Zero(t, mech, "NULL")
	typ, err := s.SockOptInt(zring.OptType)
	require.NoError(t, err)
	assert.Equal(t, 5, typ, "ZMQ_DEALER")
	require.NoError(t, s.Bind("tcp://127.0.0.1:*"))
	ep, err := s.SockOptBytes(zring.OptLastEndpoint)
	require.NoError(t, err)
	assert.Equal(t, s.Endpoint(), string(ep))
	more, err := s.SockOptInt(zring.OptRcvMore)
	require.NoError(t, err)
	assert.Zero(t, more)

	require.ErrorIs(t, s.SetSockOpt(zring.OptType, 1), zring.ErrNotSupported, "read-only")
	require.ErrorIs(t, s.SetSockOpt(8, 1), zring.ErrNotSupported, "RATE: libzmq's (multicast), not implemented")
	require.ErrorIs(t, s.SetSockOpt(1000, 1), zring.ErrInvalid, "unknown")
	require.ErrorIs(t, s.SetSockOpt(zring.OptSndHWM, "x"), zring.ErrInvalid, "wrong kind")
	require.ErrorIs(t, s.SetSockOpt(zring.OptSndHWM, -1), zring.ErrInvalid)
	_, err = s.SockOpt(zring.OptXPubWelcomeMsg)
	require.ErrorIs(t, err, zring.ErrNotSupported, "write-only")
	require.ErrorIs(t, s.SetSockOpt(zring.OptSubscribe, "x"), zring.ErrNotSupported, "DEALER has no subscriptions")
}

func TestSockOptSubscribeAndRcvMore(t *testing.T) {
	pub, sub := pubSub(t, zring.Pub, zring.Sub, nil, []zring.Option{zring.WithRcvTimeout(5 * time.Second)})
	require.NoError(t, sub.SetSockOpt(zring.OptSubscribe, "a"))
	publishUntil(t, pub, sub, "a", "b")
	drain(sub)
	require.NoError(t, pub.SendMulti(frames("a", "b"), 0))
	_, err := sub.Recv(0)
	require.NoError(t, err)
	more, err := sub.SockOptInt(zring.OptRcvMore)
	require.NoError(t, err)
	assert.Equal(t, 1, more)
}

// The typed keepalive options take a bool and durations; by number they
// keep libzmq's -1/0/1 and seconds.
func TestSockOptKeepaliveByNumber(t *testing.T) {
	s := newSocket(t, newContext(t), zring.Push, zring.WithTCPKeepaliveIdle(1500*time.Millisecond))
	got, err := s.SockOpt(zring.OptTCPKeepaliveIdle)
	require.NoError(t, err)
	assert.Equal(t, 2, got, "whole seconds, rounded up")
	require.ErrorIs(t, s.SetSockOpt(zring.OptTCPKeepalive, 2), zring.ErrInvalid)
	require.ErrorIs(t, s.SetSockOpt(zring.OptTCPKeepaliveIdle, -2), zring.ErrInvalid)
	require.NoError(t, s.SetSockOpt(zring.OptTCPKeepalive, -1))
	require.NoError(t, s.SetOption(zring.WithTCPKeepalive(false)))
	got, err = s.SockOpt(zring.OptTCPKeepalive)
	require.NoError(t, err)
	assert.Equal(t, 0, got)
}
