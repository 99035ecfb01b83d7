//go:build linux

package zring_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

// The mute state (every peer's queue full), per socket type, as libzmq
// documents it (zmtp.md item 50): PUB, XPUB, XSUB and ROUTER drop; DEALER,
// PUSH and PAIR block, so a non-blocking send reports ErrAgain.
func TestMuteBehaviourPerType(t *testing.T) {
	for _, tc := range []struct {
		sender, receiver zring.Type
		blocks           bool
	}{
		{zring.Push, zring.Pull, true},
		{zring.Dealer, zring.Router, true},
		{zring.Pair, zring.Pair, true},
		{zring.Pub, zring.Sub, false},
		{zring.XPub, zring.Sub, false},
		{zring.XSub, zring.XPub, false},
		{zring.Router, zring.Dealer, false},
	} {
		t.Run(tc.sender.String(), func(t *testing.T) {
			c := newContext(t)
			hwm := []zring.Option{zring.WithSndHWM(4), zring.WithRcvHWM(4), zring.WithLinger(0)}
			recv := newSocket(t, c, tc.receiver, append(hwm, zring.WithRoutingID([]byte("R")))...)
			require.NoError(t, recv.Bind("tcp://127.0.0.1:*"))
			send := newSocket(t, c, tc.sender, append(hwm, zring.WithRoutingID([]byte("S")))...)
			require.NoError(t, send.Connect(recv.Endpoint()))
			_ = recv.Subscribe("")
			require.Eventually(t, func() bool { return send.PeerCount() == 1 && recv.PeerCount() == 1 }, 5*time.Second, time.Millisecond)
			time.Sleep(20 * time.Millisecond) // the subscription, upstream

			msg := [][]byte{make([]byte, 4096)}
			if tc.sender == zring.Router {
				msg = [][]byte{[]byte("R"), make([]byte, 4096)}
			}
			const tries = 20_000 // 80 MB: far beyond every queue and TCP buffer
			var err error
			n := 0
			for ; n < tries; n++ {
				if err = send.SendMultiContext(t.Context(), msg, zring.DontWait); err != nil {
					break
				}
			}
			if tc.blocks {
				require.Less(t, n, tries, "a blocking type must refuse when mute")
				assert.True(t, errors.Is(err, zring.ErrAgain), "%v", err)
			} else {
				assert.Equal(t, tries, n, "a dropping type never refuses: %v", err)
			}
		})
	}
}
