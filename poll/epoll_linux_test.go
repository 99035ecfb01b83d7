package poll

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

func TestTimeoutMillis(t *testing.T) {
	cases := []struct {
		in   time.Duration
		want int
	}{
		{-1, -1},
		{-time.Hour, -1},
		{0, 0},
		{1, 1},
		{100 * time.Microsecond, 1},
		{time.Millisecond, 1},
		{time.Millisecond + 1, 2},
		{1500 * time.Millisecond, 1500},
		{math.MaxInt32 * time.Millisecond, math.MaxInt32},
		{time.Duration(math.MaxInt64), math.MaxInt32},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, timeoutMillis(c.in), "timeout %v", c.in)
	}
}

func TestFlagMapping(t *testing.T) {
	assert.Equal(t, uint32(unix.EPOLLET|unix.EPOLLRDHUP), toEpoll(0))
	assert.Equal(t, uint32(unix.EPOLLET|unix.EPOLLRDHUP|unix.EPOLLIN|unix.EPOLLOUT), toEpoll(Readable|Writable|Hangup))
	assert.Equal(t, Hangup, fromEpoll(unix.EPOLLERR))
	assert.Equal(t, Hangup, fromEpoll(unix.EPOLLHUP))
	assert.Equal(t, Readable|Hangup, fromEpoll(unix.EPOLLIN|unix.EPOLLRDHUP))
	assert.Equal(t, Writable, fromEpoll(unix.EPOLLOUT))
}

func BenchmarkEpollWaitIdle(b *testing.B) {
	p := newEpoll(b)
	a, _ := socketpair(b)
	require.NoError(b, p.Add(a, MakeToken(1, 1), Readable))
	evs := make([]Event, 64)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Wait(evs, 0); err != nil {
			b.Fatal(err)
		}
	}
}
