//go:build !race

package socket_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring/socket"
)

// The steady-state hot path allocates nothing: not in the sender, not on
// the I/O threads, not in the receiver (AllocsPerRun counts every
// goroutine's allocations).

func TestAllocsPushPullTCP(t *testing.T) {
	pull, push := bindConnect(t, newContext(t), socket.Pull, socket.Push, nil, nil)
	msg := make([]byte, 64)
	roundTrip := func() {
		if err := push.Send(msg, 0); err != nil {
			t.Fatal(err)
		}
		f, err := pull.RecvFrame(0)
		if err != nil {
			t.Fatal(err)
		}
		f.Release()
	}
	for i := 0; i < 2000; i++ { // warm the pools and buffers
		roundTrip()
	}
	require.Zero(t, testing.AllocsPerRun(2000, roundTrip))
}

func TestAllocsReqRepTCP(t *testing.T) {
	rep, req := bindConnect(t, newContext(t), socket.Rep, socket.Req, nil, nil)
	msg := make([]byte, 64)
	roundTrip := func() {
		if err := req.Send(msg, 0); err != nil {
			t.Fatal(err)
		}
		f, err := rep.RecvFrame(0)
		if err != nil {
			t.Fatal(err)
		}
		if err := rep.SendFrame(f, 0); err != nil {
			t.Fatal(err)
		}
		if f, err = req.RecvFrame(0); err != nil {
			t.Fatal(err)
		}
		f.Release()
	}
	for i := 0; i < 500; i++ {
		roundTrip()
	}
	require.Zero(t, testing.AllocsPerRun(500, roundTrip))
}
