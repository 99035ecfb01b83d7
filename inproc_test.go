//go:build linux

package zring_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

func TestInprocBindThenConnect(t *testing.T) {
	c := newContext(t)
	rep, req := bindConnectAt(t, c, "inproc://hello", zring.Rep, zring.Req, nil, nil)
	for _, m := range testMessages() {
		require.NoError(t, req.SendMulti(m, 0))
		assert.Equal(t, m, recvMulti(t, rep))
		require.NoError(t, rep.SendMulti(m, 0))
		assert.Equal(t, m, recvMulti(t, req))
	}
}

func TestInprocConnectBeforeBind(t *testing.T) {
	c := newContext(t)
	push := newSocket(t, c, zring.Push)
	require.NoError(t, push.Connect("inproc://later"))
	require.NoError(t, push.Send([]byte("queued before bind"), 0))
	pull := newSocket(t, c, zring.Pull)
	require.NoError(t, pull.Bind("inproc://later"))
	assert.Equal(t, frames("queued before bind"), recvMulti(t, pull))
	require.NoError(t, push.Send([]byte("after"), 0))
	assert.Equal(t, frames("after"), recvMulti(t, pull))
}

func TestInprocPatterns(t *testing.T) {
	c := newContext(t)
	pub := newSocket(t, c, zring.Pub)
	require.NoError(t, pub.Bind("inproc://weather"))
	sub := newSocket(t, c, zring.Sub)
	require.NoError(t, sub.Connect("inproc://weather"))
	require.NoError(t, sub.Subscribe("w"))
	assert.Equal(t, frames("w1"), publishUntil(t, pub, sub, "w1"))

	router := newSocket(t, c, zring.Router)
	require.NoError(t, router.Bind("inproc://router"))
	dealer := newSocket(t, c, zring.Dealer, zring.WithRoutingID([]byte("D")))
	require.NoError(t, dealer.Connect("inproc://router"))
	require.NoError(t, dealer.Send([]byte("hi"), 0))
	assert.Equal(t, frames("D", "hi"), recvMulti(t, router), "the connector's routing id travels")
	require.NoError(t, router.SendMulti(frames("D", "back"), 0))
	assert.Equal(t, frames("back"), recvMulti(t, dealer))
}

// The high-water mark of an inproc link is the sender's SNDHWM plus the
// receiver's RCVHWM (each rounded to a power of two), as in libzmq.
func TestInprocHWMIsSum(t *testing.T) {
	c := newContext(t)
	pull := newSocket(t, c, zring.Pull, zring.WithRcvHWM(4))
	require.NoError(t, pull.Bind("inproc://hwm"))
	push := newSocket(t, c, zring.Push, zring.WithSndHWM(4))
	require.NoError(t, push.Connect("inproc://hwm"))
	n := 0
	for ; n < 100; n++ {
		if push.Send([]byte{byte(n)}, zring.DontWait) != nil {
			break
		}
	}
	assert.Equal(t, 8, n, "4 + 4 messages fit, then PUSH blocks")
}

func TestInprocErrors(t *testing.T) {
	c := newContext(t)
	a := newSocket(t, c, zring.Pull)
	require.NoError(t, a.Bind("inproc://x"))
	b := newSocket(t, c, zring.Pull)
	require.ErrorIs(t, b.Bind("inproc://x"), zring.ErrAddrInUse)
	pub := newSocket(t, c, zring.Pub)
	require.ErrorIs(t, pub.Connect("inproc://x"), zring.ErrInvalid, "PUB cannot talk to PULL")
	require.ErrorIs(t, b.Unbind("inproc://x"), zring.ErrEndpoint, "bound by another socket")
	require.NoError(t, a.Unbind("inproc://x"))
	require.NoError(t, b.Bind("inproc://x"), "the name is free again")
}

// Closing one side: the peer still receives what was sent before, then
// the link goes; Disconnect drops a link.
func TestInprocCloseAndDisconnect(t *testing.T) {
	c := newContext(t)
	pull := newSocket(t, c, zring.Pull)
	require.NoError(t, pull.Bind("inproc://close"))
	push := newSocket(t, c, zring.Push)
	require.NoError(t, push.Connect("inproc://close"))
	require.NoError(t, push.Send([]byte("last words"), 0))
	require.NoError(t, push.Close())
	assert.Equal(t, frames("last words"), recvMulti(t, pull))
	require.Eventually(t, func() bool { return pull.PeerCount() == 0 }, 5*time.Second, time.Millisecond)

	push2 := newSocket(t, c, zring.Push)
	require.NoError(t, push2.Connect("inproc://close"))
	require.Eventually(t, func() bool { return push2.PeerCount() == 1 }, 5*time.Second, time.Millisecond)
	require.NoError(t, push2.Disconnect("inproc://close"))
	require.Eventually(t, func() bool { return push2.PeerCount() == 0 }, 5*time.Second, time.Millisecond)
	require.ErrorIs(t, push2.Send([]byte("x"), zring.DontWait), zring.ErrAgain)
}

// Many messages between goroutines, both ways, under -race.
func TestInprocStress(t *testing.T) {
	c := newContext(t)
	pull := newSocket(t, c, zring.Pull, zring.WithRcvHWM(16))
	require.NoError(t, pull.Bind("inproc://stress"))
	const senders, each = 4, 5000
	var wg sync.WaitGroup
	for i := range senders {
		push := newSocket(t, c, zring.Push, zring.WithSndHWM(16))
		require.NoError(t, push.Connect("inproc://stress"))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range each {
				if err := push.SendMulti(frames(fmt.Sprint(i), fmt.Sprint(j)), 0); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	next := make([]int, senders)
	for range senders * each {
		msg := recvMulti(t, pull)
		var i, j int
		fmt.Sscan(string(msg[0]), &i)
		fmt.Sscan(string(msg[1]), &j)
		require.Equal(t, next[i], j, "per-sender order")
		next[i]++
	}
	wg.Wait()
}

// A connect made before the bind is checked when the bind comes: an
// invalid pairing is refused then, and a connector that closed meanwhile
// leaves nothing behind.
func TestInprocPendingConnects(t *testing.T) {
	c := newContext(t)
	pub := newSocket(t, c, zring.Pub)
	require.NoError(t, pub.Connect("inproc://pending"))
	gone := newSocket(t, c, zring.Push)
	require.NoError(t, gone.Connect("inproc://pending"))
	require.NoError(t, gone.Close())
	ok := newSocket(t, c, zring.Push)
	require.NoError(t, ok.Connect("inproc://pending"))

	pull := newSocket(t, c, zring.Pull)
	require.NoError(t, pull.Bind("inproc://pending"))
	assert.Equal(t, 1, pull.PeerCount(), "only the live, compatible connector is attached")
	require.Eventually(t, func() bool { return pub.PeerCount() == 0 }, 5*time.Second, time.Millisecond,
		"the PUB's end was refused")
	require.NoError(t, ok.Send([]byte("hi"), 0))
	assert.Equal(t, frames("hi"), recvMulti(t, pull))
}
