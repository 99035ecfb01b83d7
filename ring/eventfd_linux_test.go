package ring

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// newEpollFor returns an epoll instance watching e for readability
// (level-triggered) and closes both at the end of the test.
func newEpollFor(t *testing.T, e *EventFD) int {
	t.Helper()
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	require.NoError(t, err)
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(e.FD())}
	require.NoError(t, unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, e.FD(), &ev))
	t.Cleanup(func() { unix.Close(epfd) })
	return epfd
}

func newTestEventFD(t *testing.T) *EventFD {
	t.Helper()
	e, err := NewEventFD()
	require.NoError(t, err)
	t.Cleanup(func() { e.Close() })
	return e
}

// epollWait waits up to ms milliseconds, retrying EINTR.
func epollWait(t *testing.T, epfd int, ms int) []unix.EpollEvent {
	t.Helper()
	events := make([]unix.EpollEvent, 4)
	for {
		n, err := unix.EpollWait(epfd, events, ms)
		if err == unix.EINTR {
			continue
		}
		require.NoError(t, err)
		return events[:n]
	}
}

func TestEventFDWakesEpoll(t *testing.T) {
	e := newTestEventFD(t)
	epfd := newEpollFor(t, e)

	e.PrepareSleep()
	go func() {
		time.Sleep(5 * time.Millisecond)
		e.Wake()
	}()
	events := epollWait(t, epfd, 5000)
	require.Len(t, events, 1)
	assert.Equal(t, int32(e.FD()), events[0].Fd)
	e.Drain()
	assert.Empty(t, epollWait(t, epfd, 0), "Drain resets the counter")
	assert.Zero(t, e.sleeping.Load())
}

func TestEventFDCoalesces(t *testing.T) {
	e := newTestEventFD(t)
	e.PrepareSleep()
	for range 3 {
		e.Wake()
	}
	var buf [8]byte
	_, err := unix.Read(e.FD(), buf[:])
	require.NoError(t, err)
	assert.Equal(t, uint64(1), binary.NativeEndian.Uint64(buf[:]), "one write per sleep")
}

func TestEventFDNoWriteWhenAwake(t *testing.T) {
	e := newTestEventFD(t)
	epfd := newEpollFor(t, e)
	e.Wake()
	assert.Empty(t, epollWait(t, epfd, 0), "not sleeping: no write")
	e.PrepareSleep()
	e.CancelSleep()
	e.Wake()
	assert.Empty(t, epollWait(t, epfd, 0), "cancelled: no write")
}

func TestEventFDDrainWhenEmpty(t *testing.T) {
	e := newTestEventFD(t)
	e.PrepareSleep()
	e.Drain() // EAGAIN must be harmless.
	assert.Zero(t, e.sleeping.Load())
}

func TestEventFDCloseTwice(t *testing.T) {
	e, err := NewEventFD()
	require.NoError(t, err)
	require.NoError(t, e.Close())
	err = e.Close()
	assert.ErrorIs(t, err, unix.EBADF)
	assert.Contains(t, err.Error(), "close")
}
