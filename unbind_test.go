//go:build linux

package zring_test

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

func TestUnbind(t *testing.T) {
	c := newContext(t)
	pull := newSocket(t, c, zring.Pull)
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	a := pull.Endpoint()
	path := ipcPath(t)
	require.NoError(t, pull.Bind("ipc://"+path))

	push := newSocket(t, c, zring.Push, zring.WithReconnectIvl(10*time.Millisecond))
	m := monitor(t, push)
	require.NoError(t, push.Connect(a))
	nextEvent(t, m, zring.EventHandshakeSucceeded)

	require.NoError(t, pull.Unbind(a))
	nextEvent(t, m, zring.EventDisconnected)   // the accepted connection went too
	nextEvent(t, m, zring.EventConnectRetried) // and reconnecting finds nobody
	require.ErrorIs(t, pull.Unbind(a), zring.ErrEndpoint, "already unbound")

	require.NoError(t, pull.Unbind("ipc://"+path))
	require.Eventually(t, func() bool { _, err := os.Stat(path); return os.IsNotExist(err) },
		5*time.Second, time.Millisecond, "an unbound ipc file is removed")
	require.ErrorIs(t, pull.Unbind("tcp://127.0.0.1:1"), zring.ErrEndpoint)

	// Unbind by the string given to Bind.
	other := newSocket(t, c, zring.Pull)
	require.NoError(t, other.Bind("tcp://127.0.0.1:*"))
	require.NoError(t, other.Unbind("tcp://127.0.0.1:*"))
}

func TestDisconnect(t *testing.T) {
	c := newContext(t)
	a := newSocket(t, c, zring.Pull, zring.WithRcvTimeout(200*time.Millisecond))
	require.NoError(t, a.Bind("tcp://127.0.0.1:*"))
	b := newSocket(t, c, zring.Pull)
	require.NoError(t, b.Bind("tcp://127.0.0.1:*"))
	push := newSocket(t, c, zring.Push)
	require.NoError(t, push.Connect(a.Endpoint()))
	require.NoError(t, push.Connect(b.Endpoint()))
	require.Eventually(t, func() bool { return push.PeerCount() == 2 }, 5*time.Second, time.Millisecond)

	require.NoError(t, push.Disconnect(a.Endpoint()))
	require.Eventually(t, func() bool { return push.PeerCount() == 1 }, 5*time.Second, time.Millisecond)
	for i := range 10 {
		require.NoError(t, push.Send([]byte{byte(i)}, 0))
	}
	for i := range 10 {
		assert.Equal(t, [][]byte{{byte(i)}}, recvMulti(t, b), "everything goes to the peer still connected")
	}
	_, err := a.Recv(0)
	assert.ErrorIs(t, err, zring.ErrTimeout)
	require.ErrorIs(t, push.Disconnect(a.Endpoint()), zring.ErrEndpoint, "already disconnected")
}

// A connection refused for a wrong pairing ends its session for good, but
// the endpoint stays connected until Disconnect, as in libzmq: the first
// Disconnect succeeds and a second is ErrEndpoint. FuzzEndpoint found it,
// a fuzz worker connecting to another's abstract ipc socket.
func TestDisconnectAfterRefusedPairing(t *testing.T) {
	c := newContext(t)
	pub := newSocket(t, c, zring.Pub)
	require.NoError(t, pub.Bind("tcp://127.0.0.1:*"))
	push := newSocket(t, c, zring.Push)
	m := monitor(t, push)
	require.NoError(t, push.Connect(pub.Endpoint()))
	nextEventOf(t, push, m, zring.EventHandshakeFailedProtocol)
	nextEventOf(t, push, m, zring.EventDisconnected)
	require.NoError(t, push.Disconnect(pub.Endpoint()))
	require.ErrorIs(t, push.Disconnect(pub.Endpoint()), zring.ErrEndpoint, "already disconnected")
}
