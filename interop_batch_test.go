//go:build linux

package zring_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

// The batch API and the receiver's own resume against real libzmq, both
// roles: a stream from a libzmq PUSH fills zring's small RCVHWM, so the
// receiving goroutine resumes input itself; zring's SendBatch reaches a
// libzmq PULL whole and in order.

func TestInteropLibzmqStreamToResumingBatchReceiver(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		pull := newSocket(t, c, zring.Pull, zring.WithRcvHWM(16), zring.WithRcvTimeout(10*time.Second))
		push := startPeer(t, "PUSH")
		link(t, pull, push, zringBinds)
		const n = 2000
		for i := 0; i < n; i++ {
			push.Send(batchParts(i)...)
		}
		time.Sleep(100 * time.Millisecond) // zring's queue fills and the connection stalls
		dst := make([]*zring.Frame, 8)
		for i := 0; i < n; {
			if i%2 == 0 {
				got, err := pull.RecvMulti(0)
				require.NoError(t, err)
				require.Equal(t, batchParts(i), got, "message %d", i)
				i++
				continue
			}
			k, err := pull.RecvBatchContext(context.Background(), dst, 0)
			require.NoError(t, err)
			for _, m := range dst[:k] {
				require.Equal(t, batchParts(i), msgParts(t, m), "message %d", i)
				zring.ReleaseMsg(m)
				i++
			}
		}
		require.NotZero(t, pull.Stats().ResumedReads, "the receiver never resumed input itself")
	})
}

func TestInteropSendBatchToLibzmqPull(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		push := newSocket(t, c, zring.Push)
		pull := startPeer(t, "PULL")
		link(t, push, pull, zringBinds)
		const n = 500
		msgs := make([]*zring.Frame, 0, 64)
		for i := 0; i < n; {
			for len(msgs) < cap(msgs) && i+len(msgs) < n {
				msgs = append(msgs, batchMsg(i+len(msgs)))
			}
			sent, err := push.SendBatchContext(context.Background(), msgs, 0)
			require.NoError(t, err)
			i += sent
			msgs = msgs[:copy(msgs, msgs[sent:])]
		}
		got := pull.RecvN(n)
		require.Len(t, got, n)
		for i, m := range got {
			require.Equal(t, batchParts(i), m, "message %d", i)
		}
	})
}
