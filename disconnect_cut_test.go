//go:build linux

package zring_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

// Disconnect and Unbind end their peers at once, as zmq_disconnect and
// zmq_unbind do: a message sent right after the call never reaches the
// peer they ended, though its connection closes later on an I/O thread.
func TestSendAfterDisconnectOrUnbindGoesNowhere(t *testing.T) {
	c := newContext(t)
	for range 20 {
		srv, cli := bindConnect(t, c, zring.Dealer, zring.Dealer, []zring.Option{zring.WithRcvTimeout(100 * time.Millisecond)}, nil)
		requireDelivers(t, cli, srv, "a")
		requireDelivers(t, srv, cli, "b")
		require.NoError(t, cli.Disconnect(srv.Endpoint()))
		require.ErrorIs(t, cli.SendString("after Disconnect", zring.DontWait), zring.ErrAgain, "no peer is left to take it")
		_, err := srv.RecvString(0)
		require.ErrorIs(t, err, zring.ErrTimeout, "nothing arrived")

		srv2, cli2 := bindConnect(t, c, zring.Dealer, zring.Dealer, nil, nil)
		requireDelivers(t, cli2, srv2, "a")
		require.NoError(t, srv2.Unbind(srv2.Endpoint()))
		require.ErrorIs(t, srv2.SendString("after Unbind", zring.DontWait), zring.ErrAgain, "the accepted peer is gone")
	}
}
