//go:build linux

package engine

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring/poll"
	"golang.org/x/sys/unix"
)

func newTestContext(t *testing.T, o Options) *Context {
	t.Helper()
	c, err := New(o)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// run executes fn on th and waits for it.
func run(th *Thread, fn func()) {
	done := make(chan struct{})
	th.Post(func() { fn(); close(done) })
	<-done
}

func TestPostRunsInOrderOnTheThread(t *testing.T) {
	c := newTestContext(t, Options{})
	th := c.Threads()[0]
	var tid int
	run(th, func() { tid = unix.Gettid() })
	got := make(chan int, 1000)
	for i := 0; i < 1000; i++ { // more than one pass's cap
		th.Post(func() {
			if unix.Gettid() != tid {
				t.Error("posted func ran on another OS thread")
			}
			got <- i
		})
	}
	for i := 0; i < 1000; i++ {
		require.Equal(t, i, <-got)
	}
}

func TestTimers(t *testing.T) {
	c := newTestContext(t, Options{})
	th := c.Threads()[0]
	fired := make(chan int, 3)
	var cancelled *Timer
	run(th, func() {
		th.AddTimer(30*time.Millisecond, func() { fired <- 2 })
		th.AddTimer(10*time.Millisecond, func() { fired <- 1 })
		cancelled = th.AddTimer(20*time.Millisecond, func() { fired <- 99 })
		th.CancelTimer(cancelled)
		th.CancelTimer(nil)
	})
	require.Equal(t, 1, <-fired)
	require.Equal(t, 2, <-fired)
	require.False(t, cancelled.Active())
	select {
	case v := <-fired:
		t.Fatalf("cancelled timer fired: %d", v)
	case <-time.After(50 * time.Millisecond):
	}
}

type handlerFunc func(poll.Events)

func (f handlerFunc) OnEvent(ev poll.Events) { f(ev) }

// Events reach the registered handler; once unregistered, a reused slot
// does not receive the old fd's events.
func TestRegisterDispatchUnregister(t *testing.T) {
	c := newTestContext(t, Options{})
	th := c.Threads()[0]
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK, 0)
	require.NoError(t, err)
	defer unix.Close(fds[1])
	readable := make(chan struct{}, 10)
	var reg Registration
	run(th, func() {
		reg, err = th.Register(fds[0], handlerFunc(func(ev poll.Events) {
			if ev&poll.Readable != 0 {
				readable <- struct{}{}
			}
		}), poll.Readable)
	})
	require.NoError(t, err)
	require.EqualValues(t, 1, th.Load())
	_, err = unix.Write(fds[1], []byte("x"))
	require.NoError(t, err)
	<-readable
	run(th, func() { require.NoError(t, th.Unregister(reg)) })
	require.EqualValues(t, 0, th.Load())
	unix.Close(fds[0])
	_, _ = unix.Write(fds[1], []byte("y"))
	select {
	case <-readable:
		t.Fatal("event delivered after Unregister")
	case <-time.After(50 * time.Millisecond):
	}
}

func TestDeferRunsInALaterPass(t *testing.T) {
	c := newTestContext(t, Options{})
	th := c.Threads()[0]
	var order []int
	done := make(chan struct{})
	th.Post(func() {
		th.Defer(func() { order = append(order, 2); close(done) })
		order = append(order, 1)
	})
	<-done
	require.Equal(t, []int{1, 2}, order)
}

func TestChooseLeastLoadedAndPinning(t *testing.T) {
	c := newTestContext(t, Options{IOThreads: 2, CPUs: []int{0}})
	a, b := c.Threads()[0], c.Threads()[1]
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK, 0)
	require.NoError(t, err)
	defer unix.Close(fds[0])
	defer unix.Close(fds[1])
	run(a, func() { _, err = a.Register(fds[0], handlerFunc(func(poll.Events) {}), poll.Readable) })
	require.NoError(t, err)
	require.Same(t, b, c.Choose())
	for _, th := range c.Threads() {
		var set unix.CPUSet
		run(th, func() { err = unix.SchedGetaffinity(0, &set) })
		require.NoError(t, err)
		require.Equal(t, 1, set.Count())
		require.True(t, set.IsSet(0))
	}
	_, err = New(Options{CPUs: []int{1 << 20}})
	require.Error(t, err)
}

func TestCloseStopsThreads(t *testing.T) {
	c, err := New(Options{IOThreads: 3})
	require.NoError(t, err)
	var ran atomic.Int32
	for _, th := range c.Threads() {
		th.Post(func() { ran.Add(1) })
	}
	require.NoError(t, c.Close())
	require.EqualValues(t, 3, ran.Load(), "work posted before Close runs")
	for _, th := range c.Threads() {
		select {
		case <-th.done:
		default:
			t.Fatal("thread still running after Close")
		}
	}
}
