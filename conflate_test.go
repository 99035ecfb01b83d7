//go:build linux

package zring_test

import (
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

// A conflating receiver reads only the latest of the messages that arrived
// while it was not reading.
func TestConflateKeepsLatest(t *testing.T) {
	pull, push := bindConnect(t, newContext(t), zring.Pull, zring.Push,
		[]zring.Option{zring.WithConflate(true), zring.WithRcvTimeout(200 * time.Millisecond)}, nil)
	require.NoError(t, push.Send([]byte("first"), 0))
	assert.Equal(t, frames("first"), recvMulti(t, pull))
	for i := range 1000 {
		require.NoError(t, push.Send([]byte{byte(i >> 8), byte(i)}, 0))
	}
	require.Eventually(t, func() bool {
		e, err := pull.Events()
		require.NoError(t, err)
		return e&zring.PollIn != 0
	}, 5*time.Second, time.Millisecond)
	time.Sleep(100 * time.Millisecond) // let the rest arrive and displace it
	var last []byte
	n := 0
	for ; ; n++ {
		msg, err := pull.Recv(0)
		if err != nil {
			break
		}
		last = msg
	}
	assert.Equal(t, []byte{999 >> 8, 999 & 0xff}, last, "the latest message survives")
	assert.Less(t, n, 10, "older ones were replaced, not queued")
}

func TestConflateSubLatestValue(t *testing.T) {
	pub, sub := pubSub(t, zring.Pub, zring.Sub, nil, []zring.Option{zring.WithConflate(true)})
	require.NoError(t, sub.Subscribe("price"))
	publishUntil(t, pub, sub, "price", "0")
	for i := 1; i <= 500; i++ {
		require.NoError(t, pub.SendMulti(frames("price", string(rune('0'+i%10))), 0))
	}
	require.NoError(t, pub.SendMulti(frames("price", "final"), 0))
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		msg := recvMulti(t, sub)
		if string(msg[1]) == "final" {
			assert.Len(t, msg, 2, "a whole multipart message is kept")
			return
		}
	}
	t.Fatal("latest value never read")
}

// A conflating sender keeps only its latest message for a peer that has not
// taken it yet.
func TestConflateSendingSide(t *testing.T) {
	c := newContext(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ep := "tcp://" + l.Addr().String()
	l.Close()
	push := newSocket(t, c, zring.Push, zring.WithConflate(true), zring.WithSndHWM(1))
	require.NoError(t, push.Connect(ep))
	for i := range 100 {
		require.NoError(t, push.Send([]byte{byte(i)}, zring.DontWait), "never full")
	}
	pull := newSocket(t, c, zring.Pull, zring.WithRcvTimeout(300*time.Millisecond))
	require.NoError(t, pull.Bind(ep))
	assert.Equal(t, [][]byte{{99}}, recvMulti(t, pull), "only the latest was queued")
	_, err = pull.Recv(0)
	require.ErrorIs(t, err, zring.ErrTimeout)
}

// A receiver blocked before anything arrived reads the connection itself
// (direct read); a conflated message must end that wait too.
func TestConflateDirectRead(t *testing.T) {
	for range 20 {
		pull, push := bindConnect(t, newContext(t), zring.Pull, zring.Push,
			[]zring.Option{zring.WithConflate(true)}, nil)
		require.Eventually(t, func() bool { return pull.PeerCount() == 1 }, 5*time.Second, time.Millisecond)
		got := make(chan error, 1)
		go func() { _, err := pull.Recv(0); got <- err }()
		time.Sleep(5 * time.Millisecond) // the receiver parks on the connection
		require.NoError(t, push.Send([]byte("x"), 0))
		select {
		case err := <-got:
			require.NoError(t, err)
		case <-time.After(5 * time.Second):
			t.Fatal("the conflated message never ended the receive")
		}
	}
}
