//go:build linux

package zring_test

import (
	"context"
	"encoding/binary"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

// A ROUTER/DEALER queue between REQ clients and REP workers, with a capture
// socket seeing every frame.
func TestProxyQueueWithCapture(t *testing.T) {
	c, err := zring.NewContext()
	require.NoError(t, err)
	front := newSocket(t, c, zring.Router)
	require.NoError(t, front.Bind("tcp://127.0.0.1:*"))
	back := newSocket(t, c, zring.Dealer)
	require.NoError(t, back.Bind("tcp://127.0.0.1:*"))
	capture := newSocket(t, c, zring.Push)
	require.NoError(t, capture.Bind("tcp://127.0.0.1:*"))
	tap := newSocket(t, c, zring.Pull)
	require.NoError(t, tap.Connect(capture.Endpoint()))

	proxyDone := make(chan error, 1)
	go func() { proxyDone <- zring.Proxy(front, back, capture) }()

	worker := newSocket(t, c, zring.Rep)
	require.NoError(t, worker.Connect(back.Endpoint()))
	go func() {
		for {
			msg, err := worker.RecvMulti(0)
			if err != nil {
				return
			}
			_ = worker.SendMulti(append(frames("ok"), msg...), 0)
		}
	}()
	client := newSocket(t, c, zring.Req)
	require.NoError(t, client.Connect(front.Endpoint()))
	for i := range 5 {
		body := []byte{'m', byte('0' + i)}
		require.NoError(t, client.Send(body, 0))
		assert.Equal(t, [][]byte{[]byte("ok"), body}, recvMulti(t, client))
	}
	// The capture saw each request and reply, envelope included.
	seen := 0
	for range 10 {
		msg := recvMulti(t, tap)
		require.GreaterOrEqual(t, len(msg), 3)
		seen++
	}
	assert.Equal(t, 10, seen)

	require.NoError(t, c.Close())
	select {
	case err := <-proxyDone:
		assert.Error(t, err, "the proxy ends with the context")
	case <-time.After(5 * time.Second):
		t.Fatal("proxy did not end with its context")
	}
}

func TestProxySteerable(t *testing.T) {
	c := newContext(t)
	front := newSocket(t, c, zring.Pull)
	require.NoError(t, front.Bind("tcp://127.0.0.1:*"))
	back := newSocket(t, c, zring.Push)
	require.NoError(t, back.Bind("tcp://127.0.0.1:*"))
	control := newSocket(t, c, zring.Rep)
	require.NoError(t, control.Bind("tcp://127.0.0.1:*"))
	proxyDone := make(chan error, 1)
	go func() { proxyDone <- zring.ProxySteerable(context.Background(), front, back, nil, control) }()

	in := newSocket(t, c, zring.Push)
	require.NoError(t, in.Connect(front.Endpoint()))
	out := newSocket(t, c, zring.Pull, zring.WithRcvTimeout(300*time.Millisecond))
	require.NoError(t, out.Connect(back.Endpoint()))
	ctl := newSocket(t, c, zring.Req)
	require.NoError(t, ctl.Connect(control.Endpoint()))
	do := func(cmd string) [][]byte {
		require.NoError(t, ctl.SendString(cmd, 0))
		return recvMulti(t, ctl)
	}

	require.NoError(t, in.SendMulti(frames("ab", "cde"), 0))
	assert.Equal(t, frames("ab", "cde"), recvMulti(t, out))

	assert.Equal(t, [][]byte{{}}, do("PAUSE"))
	require.NoError(t, in.Send([]byte("held"), 0))
	_, err := out.Recv(0)
	require.ErrorIs(t, err, zring.ErrTimeout, "paused: nothing forwarded")
	assert.Equal(t, [][]byte{{}}, do("RESUME"))
	assert.Equal(t, frames("held"), recvMulti(t, out))

	stats := do("STATISTICS")
	require.Len(t, stats, 8)
	vals := make([]uint64, 8)
	for i, f := range stats {
		require.Len(t, f, 8)
		vals[i] = binary.NativeEndian.Uint64(f)
	}
	assert.Equal(t, []uint64{2, 9, 0, 0, 0, 0, 2, 9}, vals,
		"2 messages (9 bytes) in from the frontend, out to the backend")
	st, err := zring.ParseProxyStatistics(stats)
	require.NoError(t, err)
	want := zring.ProxyStatistics{Frontend: zring.ProxySide{MsgsIn: 2, BytesIn: 9}, Backend: zring.ProxySide{MsgsOut: 2, BytesOut: 9}}
	assert.Equal(t, want, st)
	st, err = zring.RequestProxyStatistics(context.Background(), ctl)
	require.NoError(t, err)
	assert.Equal(t, want, st, "the same, asked for typed")
	_, err = zring.ParseProxyStatistics(stats[:7])
	require.ErrorIs(t, err, zring.ErrInvalid)

	assert.Equal(t, [][]byte{{}}, do("TERMINATE"))
	select {
	case err := <-proxyDone:
		assert.NoError(t, err, "TERMINATE ends the proxy cleanly")
	case <-time.After(5 * time.Second):
		t.Fatal("proxy did not terminate")
	}
}

func TestProxyContextCancel(t *testing.T) {
	c := newContext(t)
	front := newSocket(t, c, zring.Router)
	back := newSocket(t, c, zring.Dealer)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- zring.ProxySteerable(ctx, front, back, nil, nil) }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(5 * time.Second):
		t.Fatal("proxy ignored its context")
	}
}
