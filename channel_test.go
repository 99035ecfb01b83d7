//go:build linux

package zring_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/internal/testpeer"
	"github.com/zring/zring/zmtp"
)

// A CHANNEL talks to one CHANNEL both ways with single-part messages,
// refuses multipart, and drops a multipart message it receives.
func TestChannel(t *testing.T) {
	c := newContext(t)
	a, b := bindConnect(t, c, zring.Channel, zring.Channel, nil, nil)
	require.NoError(t, b.SendString("ping", 0))
	got, err := a.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "ping", got)
	require.NoError(t, a.SendString("pong", 0))
	got, err = b.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "pong", got)
	require.ErrorIs(t, a.Send([]byte("x"), zring.SndMore), zring.ErrInvalid)

	one := newSocket(t, c, zring.Channel)
	require.NoError(t, one.Bind("tcp://127.0.0.1:*"))
	requireDropsMultipart(t, one, zmtp.Channel)
}

// zring CHANNEL with a libzmq 4.3.5 CHANNEL, both bind directions, tcp and
// ipc: messages both ways, in order.
func TestInteropChannel(t *testing.T) {
	for _, ep := range draftEndpoints() {
		for _, zringBinds := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/zringBinds=%v", ep[:3], zringBinds), func(t *testing.T) {
				c := newContext(t)
				z := newSocket(t, c, zring.Channel)
				peer := startDraftPeer(t, "CHANNEL")
				linkDraft(t, z, []*testpeer.Peer{peer}, ep, zringBinds)
				for i := range 20 {
					peer.MustDo("send " + hexOf(fmt.Sprint("to-zring-", i)))
					got, err := z.RecvString(0)
					require.NoError(t, err)
					require.Equal(t, fmt.Sprint("to-zring-", i), got)
					require.NoError(t, z.SendString(fmt.Sprint("to-libzmq-", i), 0))
					_, body := peerRecv(t, peer)
					require.Equal(t, fmt.Sprint("to-libzmq-", i), body)
				}
			})
		}
	}
}
