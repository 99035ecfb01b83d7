//go:build linux

package zring_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

// Messages and bytes both ways are counted once per message, whatever
// the transport; a connection's lifecycle is counted as the monitor sees it.
func TestStatsMessagesAndBytes(t *testing.T) {
	for _, ep := range []string{"tcp://127.0.0.1:*", "ipc://@zring-stats-" + fmt.Sprint(time.Now().UnixNano()), "inproc://stats", "ws://127.0.0.1:*/s"} {
		t.Run(ep[:3], func(t *testing.T) {
			pull, push := bindConnectAt(t, newContext(t), ep, zring.Pull, zring.Push, nil, nil)
			const n = 100
			var bytes uint64
			for i := range n {
				m := [][]byte{[]byte("head"), make([]byte, i*37)}
				bytes += uint64(4 + i*37)
				require.NoError(t, push.SendMulti(m, 0))
			}
			for range n {
				recvMulti(t, pull)
			}
			ps, ls := push.Stats(), pull.Stats()
			assert.EqualValues(t, n, ps.MsgsOut)
			assert.Equal(t, bytes, ps.BytesOut)
			assert.EqualValues(t, n, ls.MsgsIn)
			assert.Equal(t, bytes, ls.BytesIn)
			assert.Zero(t, ls.MsgsOut)
			assert.Zero(t, ps.MsgsIn)
			assert.Equal(t, 1, ps.Peers)
			if ep[:3] != "inp" {
				assert.EqualValues(t, 1, ps.Connected)
				assert.EqualValues(t, 1, ls.Accepted)
				assert.EqualValues(t, 1, ps.HandshakesSucceeded)
				assert.EqualValues(t, 1, ls.HandshakesSucceeded)
			}
		})
	}
}

// A PUB drops what a full subscriber cannot take, and says how much:
// each message either reaches the one subscriber or is counted dropped.
func TestStatsDroppedAtHWM(t *testing.T) {
	c := newContext(t)
	pub := newSocket(t, c, zring.Pub, zring.WithSndHWM(16))
	require.NoError(t, pub.Bind("inproc://stats-drop"))
	sub := newSocket(t, c, zring.Sub, zring.WithRcvHWM(16))
	require.NoError(t, sub.Subscribe(""))
	require.NoError(t, sub.Connect("inproc://stats-drop"))
	const n = 1000
	for range n {
		require.NoError(t, pub.Send([]byte("x"), 0))
	}
	got := 0
	for {
		if _, err := sub.Recv(zring.DontWait); err != nil {
			require.ErrorIs(t, err, zring.ErrAgain)
			break
		}
		got++
	}
	st := pub.Stats()
	assert.EqualValues(t, n, st.MsgsOut)
	assert.NotZero(t, st.DroppedAtHWM)
	assert.EqualValues(t, n, uint64(got)+st.DroppedAtHWM, "every message delivered or counted dropped")
	assert.EqualValues(t, got, sub.Stats().MsgsIn)
}

// Queue depths are the messages waiting, and a sender's wait at the HWM
// is timed.
func TestStatsQueuedAndBlocked(t *testing.T) {
	c := newContext(t)
	pull := newSocket(t, c, zring.Pull, zring.WithRcvHWM(4))
	require.NoError(t, pull.Bind("inproc://stats-queued"))
	const timeout = 30 * time.Millisecond
	push := newSocket(t, c, zring.Push, zring.WithSndHWM(4), zring.WithSndTimeout(timeout))
	require.NoError(t, push.Connect("inproc://stats-queued"))
	sent := 0
	for {
		err := push.Send([]byte("q"), 0)
		if err != nil {
			require.True(t, errors.Is(err, zring.ErrAgain) || errors.Is(err, zring.ErrTimeout), "%v", err)
			break
		}
		sent++
	}
	assert.Equal(t, sent, push.Stats().QueuedOut)
	assert.Equal(t, sent, pull.Stats().QueuedIn)
	assert.GreaterOrEqual(t, push.Stats().BlockedAtHWM, timeout, "the last send waited its SNDTIMEO")
	for range 2 {
		_, err := pull.Recv(0)
		require.NoError(t, err)
	}
	assert.Equal(t, sent-2, pull.Stats().QueuedIn)
}

// Reconnects and disconnects are counted as they happen.
func TestStatsReconnect(t *testing.T) {
	c := newContext(t)
	rep := newSocket(t, c, zring.Rep)
	require.NoError(t, rep.Bind("tcp://127.0.0.1:*"))
	req := newSocket(t, c, zring.Req, zring.WithReconnectIvl(10*time.Millisecond))
	require.NoError(t, req.Connect(rep.Endpoint()))
	require.NoError(t, req.Send([]byte("a"), 0))
	_, err := rep.Recv(0)
	require.NoError(t, err)
	require.NoError(t, rep.Close())
	require.Eventually(t, func() bool {
		st := req.Stats()
		return st.Disconnected == 1 && st.ConnectRetried >= 1
	}, 5*time.Second, time.Millisecond)
}
