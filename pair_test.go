//go:build linux

package zring_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

// A PAIR that disconnects from one peer and at once connects to another
// gets the new peer: the pipe made at connect time, refused while the old
// one is still detaching, does not end the new endpoint; the handshake
// brings a new pipe, as libzmq's session makes one (found by FuzzConnect).
func TestPairConnectsToNextPeerAfterDisconnect(t *testing.T) {
	c := newContext(t)
	a := newSocket(t, c, zring.Pair)
	require.NoError(t, a.Bind("tcp://127.0.0.1:*"))
	b := newSocket(t, c, zring.Pair)
	require.NoError(t, b.Bind("tcp://127.0.0.1:*"))
	s := newSocket(t, c, zring.Pair)
	require.NoError(t, s.Connect(a.Endpoint()))
	requireDelivers(t, s, a, "to a")
	require.NoError(t, s.Disconnect(a.Endpoint()))
	require.NoError(t, s.Connect(b.Endpoint()))
	require.Eventually(t, func() bool { return s.PeerCount() == 1 && b.PeerCount() == 1 },
		5*time.Second, 10*time.Millisecond, "the new endpoint connects")
	requireDelivers(t, s, b, "to b")
	requireDelivers(t, b, s, "from b")
}
