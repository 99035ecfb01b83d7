package poll

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Closing while the ring sleeps on the epoll descriptor cancels that
// request and waits for its end before the report buffer is unmapped.
func TestUringCloseWhileArmed(t *testing.T) {
	// Linux 6.15+ here and in CI, so the contract tests' "uring" runs
	// EPOLL_WAIT and "uring-poll" the older kernels' path.
	require.True(t, newUring(t).epollWait)
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
