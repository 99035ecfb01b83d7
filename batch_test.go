//go:build linux

package zring_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

// batchMsg builds message i as a frame chain: one to three parts.
func batchMsg(i int) *zring.Frame {
	head := zring.FrameOf([]byte(fmt.Sprint(i)))
	tail := head
	for k := 0; k < i%3; k++ {
		f := zring.FrameOf([]byte(fmt.Sprint(i, "/", k)))
		tail.SetNext(f)
		tail = f
	}
	return head
}

func batchParts(i int) [][]byte {
	parts := [][]byte{[]byte(fmt.Sprint(i))}
	for k := 0; k < i%3; k++ {
		parts = append(parts, []byte(fmt.Sprint(i, "/", k)))
	}
	return parts
}

// msgParts copies a received chain's parts and checks its More flags.
func msgParts(t *testing.T, m *zring.Frame) [][]byte {
	t.Helper()
	var parts [][]byte
	for f := m; f != nil; f = f.Next() {
		parts = append(parts, append([]byte{}, f.Bytes()...))
		require.Equal(t, f.Next() != nil, f.More(), "More of part %d", len(parts)-1)
	}
	return parts
}

// Batches of multipart messages go out and come in whole and in order,
// over TCP and inproc, and mix with the single-message calls.
func TestBatchWholeAndOrdered(t *testing.T) {
	for _, ep := range []string{"tcp://127.0.0.1:*", "inproc://batch-order"} {
		t.Run(ep[:3], func(t *testing.T) {
			pull, push := bindConnectAt(t, newContext(t), ep, zring.Pull, zring.Push, nil, nil)
			const n = 3000
			go func() {
				msgs := make([]*zring.Frame, 0, 37)
				for i := 0; i < n; {
					if i%500 == 250 { // a single send among the batches
						_ = push.SendMulti(batchParts(i), 0)
						i++
						continue
					}
					for len(msgs) < cap(msgs) && i+len(msgs) < n && (i+len(msgs))%500 != 250 {
						msgs = append(msgs, batchMsg(i+len(msgs)))
					}
					sent, err := push.SendBatchContext(context.Background(), msgs, 0)
					if err != nil {
						return
					}
					i += sent
					msgs = msgs[:copy(msgs, msgs[sent:])]
				}
			}()
			dst := make([]*zring.Frame, 16)
			for i := 0; i < n; {
				if i%7 == 3 { // a single receive among the batches
					got, err := pull.RecvMulti(0)
					require.NoError(t, err)
					require.Equal(t, batchParts(i), got)
					i++
					continue
				}
				k, err := pull.RecvBatchContext(context.Background(), dst[:min(len(dst), 7-i%7)], 0)
				require.NoError(t, err)
				require.Positive(t, k)
				for _, m := range dst[:k] {
					require.Equal(t, batchParts(i), msgParts(t, m), "message %d", i)
					zring.ReleaseMsg(m)
					i++
				}
			}
		})
	}
}

// At the high-water mark SendBatch queues what fits and returns the rest
// to the caller; with DontWait and nothing queued it is ErrAgain.
func TestSendBatchStopsAtHWM(t *testing.T) {
	c := newContext(t)
	push := newSocket(t, c, zring.Push, zring.WithSndHWM(8), zring.WithLinger(0))
	require.NoError(t, push.Connect("tcp://127.0.0.1:1")) // never answers: messages stay queued
	msgs := make([]*zring.Frame, 20)
	for i := range msgs {
		msgs[i] = batchMsg(i)
	}
	n, err := push.SendBatchContext(context.Background(), msgs, zring.DontWait)
	require.NoError(t, err)
	require.Equal(t, 8, n, "the HWM is 8")
	_, err = push.SendBatchContext(context.Background(), msgs[n:], zring.DontWait)
	require.ErrorIs(t, err, zring.ErrAgain)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = push.SendBatchContext(ctx, msgs[n:], 0)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	for _, m := range msgs[n:] {
		zring.ReleaseMsg(m) // still ours
	}
}

// The half of a message begun with RecvFrame comes first in a batch.
func TestRecvBatchFinishesMessageBegun(t *testing.T) {
	pull, push := bindConnect(t, newContext(t), zring.Pull, zring.Push, nil, nil)
	require.NoError(t, push.SendMulti([][]byte{[]byte("a"), []byte("b"), []byte("c")}, 0))
	require.NoError(t, push.SendString("next", 0))
	f, err := pull.RecvFrame(0)
	require.NoError(t, err)
	assert.Equal(t, "a", string(f.Bytes()))
	f.Release()
	dst := make([]*zring.Frame, 4)
	n, err := pull.RecvBatchContext(context.Background(), dst, 0)
	require.NoError(t, err)
	require.GreaterOrEqual(t, n, 1)
	assert.Equal(t, [][]byte{[]byte("b"), []byte("c")}, msgParts(t, dst[0]))
	assert.False(t, pull.RcvMore())
	for _, m := range dst[:n] {
		zring.ReleaseMsg(m)
	}
}

func TestBatchMisuse(t *testing.T) {
	pull, push := bindConnect(t, newContext(t), zring.Pull, zring.Push, nil, []zring.Option{zring.WithLinger(0)})
	_, err := pull.RecvBatchContext(context.Background(), nil, 0)
	assert.ErrorIs(t, err, zring.ErrInvalid)
	_, err = push.SendBatchContext(context.Background(), nil, 0)
	assert.ErrorIs(t, err, zring.ErrInvalid)
	_, err = push.SendBatchContext(context.Background(), []*zring.Frame{nil}, 0)
	assert.ErrorIs(t, err, zring.ErrInvalid)
	_, err = pull.RecvBatchContext(context.Background(), make([]*zring.Frame, 4), zring.DontWait)
	assert.ErrorIs(t, err, zring.ErrAgain)
	_, err = push.SendBatchContext(context.Background(), []*zring.Frame{zring.NewFrame(1)}, 0)
	require.NoError(t, err)
	require.NoError(t, pull.Close())
	_, err = pull.RecvBatchContext(context.Background(), make([]*zring.Frame, 4), 0)
	assert.ErrorIs(t, err, zring.ErrClosed)
}

// A PUB's batch reaches every subscriber: each pipe written in the batch
// is flushed, and a subscriber asleep on it is woken.
func TestSendBatchFanOut(t *testing.T) {
	c := newContext(t)
	pub := newSocket(t, c, zring.Pub)
	require.NoError(t, pub.Bind("inproc://batch-fanout"))
	require.NoError(t, pub.Bind("tcp://127.0.0.1:*"))
	var subs []*zring.Socket
	for i := 0; i < 4; i++ {
		sub := newSocket(t, c, zring.Sub, zring.WithRcvTimeout(5*time.Second))
		ep := "inproc://batch-fanout"
		if i%2 == 1 {
			ep = pub.Endpoint()
		}
		require.NoError(t, sub.Connect(ep))
		require.NoError(t, sub.Subscribe(""))
		subs = append(subs, sub)
	}
	// Wait until every subscription reached the PUB.
	for deadline := time.Now().Add(5 * time.Second); ; {
		require.NoError(t, pub.SendString("probe", 0))
		ready := 0
		for _, sub := range subs {
			if _, err := sub.RecvString(zring.DontWait); err == nil {
				ready++
			}
		}
		if ready == len(subs) || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	msgs := make([]*zring.Frame, 10)
	for i := range msgs {
		msgs[i] = batchMsg(i)
	}
	n, err := pub.SendBatchContext(context.Background(), msgs, 0)
	require.NoError(t, err)
	require.Equal(t, len(msgs), n)
	for k, sub := range subs {
		for i := 0; i < len(msgs); {
			got, err := sub.RecvMulti(0)
			require.NoError(t, err, "subscriber %d, message %d", k, i)
			if len(got) == 1 && string(got[0]) == "probe" {
				continue // a late probe, sent before the batch
			}
			require.Equal(t, batchParts(i), got)
			i++
		}
	}
}
