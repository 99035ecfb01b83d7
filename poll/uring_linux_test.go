package poll

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// Closing while the ring sleeps on the epoll descriptor cancels that
// request and waits for its end before the report buffer is unmapped.
func TestUringCloseWhileArmed(t *testing.T) {
	for _, open := range []func(testing.TB) *Uring{newUring, newUringWithoutEpollWait} {
		p := open(t)
		n, err := p.Wait(make([]Event, 8), time.Millisecond)
		require.NoError(t, err)
		require.Zero(t, n)
		require.True(t, p.armed, "the sleep left its request in flight")
		require.NoError(t, p.Close())
		assert.False(t, p.armed, "the request ended before Close returned")
		assert.Nil(t, p.kmem, "the report buffer is unmapped")
	}
}

// The kernel's EPOLL_WAIT delivers its reports in the completion: an idle
// thread wakes with the events in hand.
func TestUringEpollWaitDeliversReports(t *testing.T) {
	p := newUring(t)
	require.True(t, p.epollWait, "Linux 6.15+ on this machine")
	a, b := socketpair(t)
	require.NoError(t, p.Add(a, MakeToken(4, 2), Readable))
	go func() {
		time.Sleep(10 * time.Millisecond)
		_, _ = unix.Write(b, []byte("x"))
	}()
	evs := make([]Event, 8)
	n := 0
	for deadline := time.Now().Add(5 * time.Second); n == 0 && time.Now().Before(deadline); {
		var err error
		n, err = p.Wait(evs, time.Second)
		require.NoError(t, err)
	}
	require.Equal(t, 1, n)
	assert.Equal(t, Event{Token: MakeToken(4, 2), Events: Readable}, evs[0])
}
