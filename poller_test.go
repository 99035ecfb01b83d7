//go:build linux

package zring_test

import (
	"context"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

func newPoller(t *testing.T, items ...zring.PollItem) *zring.Poller {
	t.Helper()
	p, err := zring.NewPoller(items...)
	require.NoError(t, err)
	t.Cleanup(func() { p.Close() })
	return p
}

func TestPollerSocketsReadable(t *testing.T) {
	c := newContext(t)
	pullA, pushA := bindConnect(t, c, zring.Pull, zring.Push, nil, nil)
	pullB, pushB := bindConnect(t, c, zring.Pull, zring.Push, nil, nil)
	p := newPoller(t,
		zring.PollItem{Socket: pullA, Events: zring.PollIn},
		zring.PollItem{Socket: pullB, Events: zring.PollIn})

	ready, err := p.Wait(0)
	require.NoError(t, err)
	assert.Empty(t, ready, "nothing yet")

	go func() {
		time.Sleep(20 * time.Millisecond)
		_ = pushB.Send([]byte("b"), 0)
	}()
	ready, err = p.Wait(5 * time.Second)
	require.NoError(t, err)
	require.Equal(t, []zring.Polled{{Index: 1, Socket: pullB, Events: zring.PollIn}}, ready)
	got, err := pullB.Recv(zring.DontWait)
	require.NoError(t, err, "PollIn means a receive does not wait")
	assert.Equal(t, []byte("b"), got)

	require.NoError(t, pushA.Send([]byte("a"), 0))
	ready, err = p.Wait(5 * time.Second)
	require.NoError(t, err)
	require.Equal(t, []zring.Polled{{Index: 0, Socket: pullA, Events: zring.PollIn}}, ready)
}

// SetEvents(i, 0) parks an item: a readable socket is not reported until
// it is asked for again, and its index stays.
func TestPollerSetEventsZeroParks(t *testing.T) {
	c := newContext(t)
	pullA, pushA := bindConnect(t, c, zring.Pull, zring.Push, nil, nil)
	pullB, pushB := bindConnect(t, c, zring.Pull, zring.Push, nil, nil)
	p := newPoller(t,
		zring.PollItem{Socket: pullA, Events: zring.PollIn},
		zring.PollItem{Socket: pullB, Events: zring.PollIn})
	require.NoError(t, p.SetEvents(0, 0))
	require.NoError(t, pushA.Send([]byte("a"), 0))
	require.NoError(t, pushB.Send([]byte("b"), 0))
	ready, err := p.Wait(5 * time.Second)
	require.NoError(t, err)
	require.Equal(t, []zring.Polled{{Index: 1, Socket: pullB, Events: zring.PollIn}}, ready)
	_, err = pullB.Recv(0)
	require.NoError(t, err)
	ready, err = p.Wait(50 * time.Millisecond)
	require.NoError(t, err)
	assert.Empty(t, ready, "the parked socket is readable, and not reported")

	require.NoError(t, p.SetEvents(0, zring.PollIn))
	ready, err = p.Wait(5 * time.Second)
	require.NoError(t, err)
	assert.Equal(t, []zring.Polled{{Index: 0, Socket: pullA, Events: zring.PollIn}}, ready)
}

func TestPollerWritableAndTimeout(t *testing.T) {
	c := newContext(t)
	lonely := newSocket(t, c, zring.Push)
	_, push := bindConnect(t, c, zring.Pull, zring.Push, nil, nil)
	require.Eventually(t, func() bool { return push.PeerCount() == 1 }, 5*time.Second, time.Millisecond)
	p := newPoller(t,
		zring.PollItem{Socket: lonely, Events: zring.PollOut},
		zring.PollItem{Socket: push, Events: zring.PollOut | zring.PollIn})
	ready, err := p.Wait(time.Second)
	require.NoError(t, err)
	assert.Equal(t, []zring.Polled{{Index: 1, Socket: push, Events: zring.PollOut}}, ready, "a PUSH without peers cannot send")

	q := newPoller(t, zring.PollItem{Socket: lonely, Events: zring.PollOut})
	start := time.Now()
	ready, err = q.Wait(100 * time.Millisecond)
	require.NoError(t, err)
	assert.Empty(t, ready)
	assert.GreaterOrEqual(t, time.Since(start), 100*time.Millisecond)
}

func TestPollerRawFD(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	c := newContext(t)
	pull := newSocket(t, c, zring.Pull)
	p := newPoller(t,
		zring.PollItem{Socket: pull, Events: zring.PollIn},
		zring.PollItem{FD: int(r.Fd()), Events: zring.PollIn})
	go func() {
		time.Sleep(20 * time.Millisecond)
		_, _ = w.Write([]byte{1})
	}()
	ready, err := p.Wait(5 * time.Second)
	require.NoError(t, err)
	assert.Equal(t, []zring.Polled{{Index: 1, FD: int(r.Fd()), Events: zring.PollIn}}, ready)
}

// A Conn item (here an *os.File and a *net.TCPConn) is watched through its
// descriptor; Polled names the socket or Conn that is ready, and Remove
// takes an item out, closing up the indices.
func TestPollerConnsAndRemove(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	client, err := net.Dial("tcp", l.Addr().String())
	require.NoError(t, err)
	defer client.Close()
	server, err := l.Accept()
	require.NoError(t, err)
	defer server.Close()

	c := newContext(t)
	pull, push := bindConnect(t, c, zring.Pull, zring.Push, nil, nil)
	other := newSocket(t, c, zring.Pull)
	p := newPoller(t,
		zring.PollItem{Socket: other, Events: zring.PollIn},
		zring.PollItem{Conn: r, Events: zring.PollIn},
		zring.PollItem{Socket: pull, Events: zring.PollIn},
		zring.PollItem{Conn: server.(*net.TCPConn), Events: zring.PollIn})
	_, _ = w.Write([]byte{1})
	_, _ = client.Write([]byte{1})
	require.NoError(t, push.Send([]byte("m"), 0))
	require.Eventually(t, func() bool {
		ready, err := p.Wait(0)
		return err == nil && len(ready) == 3
	}, 5*time.Second, time.Millisecond)
	ready, err := p.Wait(0)
	require.NoError(t, err)
	assert.Equal(t, 2, ready[0].Index)
	assert.Same(t, pull, ready[0].Socket)
	assert.Equal(t, r, ready[1].Conn)
	assert.Equal(t, int(r.Fd()), ready[1].FD)
	assert.Equal(t, server, ready[2].Conn)

	require.NoError(t, p.Remove(other))
	require.ErrorIs(t, p.Remove(other), zring.ErrInvalid, "removed already")
	require.NoError(t, p.RemoveFD(int(r.Fd())))
	ready, err = p.Wait(0)
	require.NoError(t, err)
	require.Len(t, ready, 2)
	assert.Equal(t, 0, ready[0].Index, "indices close up")
	assert.Same(t, pull, ready[0].Socket)
	assert.Equal(t, 1, ready[1].Index)

	// A socket in two items: Remove takes out the first, the other stays.
	q := newPoller(t, zring.PollItem{Socket: push, Events: zring.PollIn}, zring.PollItem{Socket: push, Events: zring.PollOut})
	require.NoError(t, q.Remove(push))
	ready, err = q.Wait(time.Second)
	require.NoError(t, err)
	assert.Equal(t, []zring.Polled{{Index: 0, Socket: push, Events: zring.PollOut}}, ready)
}

// A poll(2) that fails (here EINVAL: more entries than RLIMIT_NOFILE)
// returns its error from Wait, and the Poller works again once the cause is
// gone.
func TestPollerPollErrorThenRecovers(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	items := make([]zring.PollItem, 64)
	for i := range items {
		items[i] = zring.PollItem{FD: int(r.Fd()), Events: zring.PollIn}
	}
	p := newPoller(t, items...)

	var lim syscall.Rlimit
	require.NoError(t, syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim))
	low := lim
	low.Cur = 32
	require.NoError(t, syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low))
	_, err = p.Wait(0) // the limit holds for as short a time as can be
	require.NoError(t, syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim))
	require.ErrorIs(t, err, syscall.EINVAL)

	_, _ = w.Write([]byte{1})
	ready, err := p.Wait(5 * time.Second)
	require.NoError(t, err)
	assert.Len(t, ready, len(items))
}

func TestPollerContextAndNoBusyLoop(t *testing.T) {
	c := newContext(t)
	pull := newSocket(t, c, zring.Pull)
	p := newPoller(t, zring.PollItem{Socket: pull, Events: zring.PollIn})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	before := cpuTime(t)
	_, err := p.WaitContext(ctx, -1)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	// A busy loop would burn the whole 300 ms (and more, on I/O threads).
	assert.Less(t, cpuTime(t)-before, 100*time.Millisecond, "waiting must sleep, not spin")
}

func cpuTime(t *testing.T) time.Duration {
	var ru syscall.Rusage
	require.NoError(t, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestEventsOption(t *testing.T) {
	c := newContext(t)
	pull, push := bindConnect(t, c, zring.Pull, zring.Push, nil, nil)
	require.NoError(t, push.SendMulti(frames("x", "y"), 0))
	require.Eventually(t, func() bool {
		e, err := pull.SockOptInt(zring.OptEvents)
		require.NoError(t, err)
		return zring.PollEvents(e)&zring.PollIn != 0
	}, 5*time.Second, time.Millisecond)
	assert.False(t, pull.RcvMore(), "a prefetched message is not yet received")
	_, err := pull.Recv(0)
	require.NoError(t, err)
	assert.True(t, pull.RcvMore())
	e, err := push.Events()
	require.NoError(t, err)
	assert.Equal(t, zring.PollOut, e)
}
