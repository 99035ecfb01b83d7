//go:build linux

package zring_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zring/zring"
)

// A request after a quiet spell is written by the sender itself; a stream
// goes to the I/O thread, which batches it. The quiet spell is the
// socket's: a PUSH spreading a stream over many connections leaves each
// one idle between its turns, and must still batch.
func TestStreamOverManyConnectionsIsBatched(t *testing.T) {
	const conns, msgs = 20, 2000
	c := newContext(t)
	pull := newSocket(t, c, zring.Pull)
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	push := newSocket(t, c, zring.Push)
	for range conns {
		require.NoError(t, push.Connect(pull.Endpoint()))
	}
	require.Eventually(t, func() bool { return pull.PeerCount() == conns }, 10*time.Second, time.Millisecond)
	time.Sleep(20 * time.Millisecond) // the PUSH side's handshakes finish too

	require.NoError(t, push.SendString("first", 0))
	_, err := pull.Recv(0)
	require.NoError(t, err)
	assert.EqualValues(t, 1, push.Stats().SpeculativeWrites, "an isolated send is written by the sender")

	time.Sleep(time.Millisecond)
	before := push.Stats().SpeculativeWrites
	for range msgs {
		require.NoError(t, push.SendString("stream", 0))
	}
	for range msgs {
		_, err := pull.Recv(0)
		require.NoError(t, err)
	}
	speculative := push.Stats().SpeculativeWrites - before
	assert.Less(t, speculative, uint64(msgs/4), "a stream is batched by the I/O thread, not written per message")
}
