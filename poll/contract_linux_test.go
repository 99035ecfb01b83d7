package poll

import (
	"errors"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// socketpair returns a connected, nonblocking AF_UNIX stream pair that is
// closed when the test ends (unless the test closed an end itself).
func socketpair(t testing.TB) (a, b int) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	t.Cleanup(func() {
		_ = unix.Close(fds[0])
		_ = unix.Close(fds[1])
	})
	return fds[0], fds[1]
}

// backends are the Poller implementations every contract test runs
// against.
var backends = []struct {
	name string
	open func(t testing.TB) Poller
}{
	{"epoll", func(t testing.TB) Poller { return newEpoll(t) }},
	{"uring", func(t testing.TB) Poller { return newUring(t) }},
	{"uring-poll", func(t testing.TB) Poller { return newUringWithoutEpollWait(t) }},
}

// newUringWithoutEpollWait makes the backend a kernel before 6.15 gets: a
// multishot poll on the epoll descriptor instead of IORING_OP_EPOLL_WAIT.
func newUringWithoutEpollWait(t testing.TB) *Uring {
	t.Helper()
	useEpollWait = false
	defer func() { useEpollWait = true }()
	p := newUring(t)
	require.False(t, p.epollWait)
	return p
}

// eachBackend runs fn as a subtest per backend.
func eachBackend(t *testing.T, fn func(t *testing.T, p Poller)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { fn(t, b.open(t)) })
	}
}

// newUring creates a Uring on the calling goroutine's thread, locked to it
// for the test, as an I/O thread does.
func newUring(t testing.TB) *Uring {
	t.Helper()
	runtime.LockOSThread()
	t.Cleanup(runtime.UnlockOSThread)
	p, err := NewUring()
	require.NoError(t, err)
	t.Cleanup(func() { _ = p.Close() })
	return p
}

func newEpoll(t testing.TB) *Epoll {
	t.Helper()
	p, err := NewEpoll()
	require.NoError(t, err)
	t.Cleanup(func() { _ = p.Close() })
	return p
}

// poll0 does a non-blocking Wait and returns the reports.
func poll0(t testing.TB, p Poller) []Event {
	t.Helper()
	evs := make([]Event, 8)
	n, err := p.Wait(evs, 0)
	require.NoError(t, err)
	return evs[:n]
}

func write(t testing.TB, fd int, s string) {
	t.Helper()
	n, err := unix.Write(fd, []byte(s))
	require.NoError(t, err)
	require.Equal(t, len(s), n)
}

func TestReadable(t *testing.T) {
	eachBackend(t, func(t *testing.T, p Poller) {
		a, b := socketpair(t)
		tok := MakeToken(3, 1)
		require.NoError(t, p.Add(a, tok, Readable))

		assert.Empty(t, poll0(t, p), "nothing to read yet")
		write(t, b, "x")
		assert.Equal(t, []Event{{Token: tok, Events: Readable}}, poll0(t, p))
	})
}

func TestWritable(t *testing.T) {
	eachBackend(t, func(t *testing.T, p Poller) {
		a, _ := socketpair(t)
		tok := MakeToken(4, 9)
		require.NoError(t, p.Add(a, tok, Writable))
		assert.Equal(t, []Event{{Token: tok, Events: Writable}}, poll0(t, p))
	})
}

func TestEdgeTriggered(t *testing.T) {
	eachBackend(t, func(t *testing.T, p Poller) {
		a, b := socketpair(t)
		require.NoError(t, p.Add(a, MakeToken(1, 1), Readable|Writable))

		require.Len(t, poll0(t, p), 1, "initial writable edge")
		write(t, b, "hello")
		require.Len(t, poll0(t, p), 1, "readable edge")
		assert.Empty(t, poll0(t, p), "no new edge without draining or new data")

		write(t, b, "more")
		assert.Len(t, poll0(t, p), 1, "new data is a new edge")
	})
}

func TestTokenSurvivesKernel(t *testing.T) {
	eachBackend(t, func(t *testing.T, p Poller) {
		a, _ := socketpair(t)
		tok := MakeToken(0xdeadbeef, 0xfffffffe)
		require.NoError(t, p.Add(a, tok, Writable))
		evs := poll0(t, p)
		require.Len(t, evs, 1)
		assert.Equal(t, uint32(0xdeadbeef), evs[0].Token.Slot())
		assert.Equal(t, uint32(0xfffffffe), evs[0].Token.Gen())
	})
}

func TestHangupOnPeerClose(t *testing.T) {
	eachBackend(t, func(t *testing.T, p Poller) {
		a, b := socketpair(t)
		require.NoError(t, p.Add(a, MakeToken(2, 2), Readable))
		require.NoError(t, unix.Close(b))

		evs := poll0(t, p)
		require.Len(t, evs, 1)
		assert.Equal(t, Readable|Hangup, evs[0].Events, "EOF is readable and a hangup")
	})
}

func TestHangupWithoutInterest(t *testing.T) {
	eachBackend(t, func(t *testing.T, p Poller) {
		a, b := socketpair(t)
		require.NoError(t, p.Add(a, MakeToken(2, 2), 0))
		require.NoError(t, unix.Shutdown(b, unix.SHUT_WR))

		evs := poll0(t, p)
		require.Len(t, evs, 1)
		assert.Equal(t, Hangup, evs[0].Events)
	})
}

func TestModify(t *testing.T) {
	eachBackend(t, func(t *testing.T, p Poller) {
		a, _ := socketpair(t)
		require.NoError(t, p.Add(a, MakeToken(5, 1), Readable))
		assert.Empty(t, poll0(t, p), "writable but not asked for")

		tok := MakeToken(5, 2)
		require.NoError(t, p.Modify(a, tok, Readable|Writable))
		assert.Equal(t, []Event{{Token: tok, Events: Writable}}, poll0(t, p), "modify re-arms with new token")
	})
}

func TestRemove(t *testing.T) {
	eachBackend(t, func(t *testing.T, p Poller) {
		a, b := socketpair(t)
		require.NoError(t, p.Add(a, MakeToken(6, 1), Readable))
		require.NoError(t, p.Remove(a))
		write(t, b, "x")
		assert.Empty(t, poll0(t, p))
	})
}

func TestWaitTimeout(t *testing.T) {
	eachBackend(t, func(t *testing.T, p Poller) {
		evs := make([]Event, 4)
		const timeout = 30 * time.Millisecond
		start := time.Now()
		calls := 0
		// A signal may end a Wait early with 0 (EINTR), so wait out the rest.
		for remaining := timeout; remaining > 0; remaining = timeout - time.Since(start) {
			n, err := p.Wait(evs, remaining)
			require.NoError(t, err)
			require.Zero(t, n)
			calls++
		}
		assert.LessOrEqual(t, calls, 10, "each Wait should last about its timeout")
		assert.Less(t, time.Since(start), 2*time.Second)
	})
}

func TestWaitWakesOnEvent(t *testing.T) {
	eachBackend(t, func(t *testing.T, p Poller) {
		a, b := socketpair(t)
		require.NoError(t, p.Add(a, MakeToken(8, 8), Readable))
		go func() {
			time.Sleep(10 * time.Millisecond)
			_, _ = unix.Write(b, []byte("x"))
		}()
		evs := make([]Event, 4)
		n := 0
		for n == 0 { // a signal (EINTR) legitimately ends a blocking Wait with 0
			var err error
			n, err = p.Wait(evs, -1)
			require.NoError(t, err)
		}
		require.Equal(t, 1, n)
		assert.Equal(t, MakeToken(8, 8), evs[0].Token)
	})
}

func TestWaitFillsAtMostLen(t *testing.T) {
	eachBackend(t, func(t *testing.T, p Poller) {
		for i := range 3 {
			a, _ := socketpair(t)
			require.NoError(t, p.Add(a, MakeToken(uint32(i), 0), Writable))
		}
		evs := make([]Event, 2)
		n, err := p.Wait(evs, 0)
		require.NoError(t, err)
		assert.Equal(t, 2, n)
		n, err = p.Wait(make([]Event, 8), 0)
		require.NoError(t, err)
		assert.Equal(t, 1, n, "the remaining report is kept by the kernel")
	})
}

func TestErrorsAreSyscallErrors(t *testing.T) {
	eachBackend(t, func(t *testing.T, p Poller) {
		a, _ := socketpair(t)
		err := p.Remove(a)
		var se *os.SyscallError
		require.True(t, errors.As(err, &se))
		assert.ErrorIs(t, err, unix.ENOENT, "removing what was never added")

		require.NoError(t, p.Add(a, 0, Readable))
		assert.ErrorIs(t, p.Add(a, 0, Readable), unix.EEXIST)
		assert.ErrorIs(t, p.Add(-1, 0, Readable), unix.EBADF)
	})
}

func TestClosed(t *testing.T) {
	eachBackend(t, func(t *testing.T, p Poller) {
		require.NoError(t, p.Close())
		assert.ErrorIs(t, p.Close(), ErrClosed)
		assert.ErrorIs(t, p.Add(0, 0, Readable), ErrClosed)
		assert.ErrorIs(t, p.Modify(0, 0, Readable), ErrClosed)
		assert.ErrorIs(t, p.Remove(0), ErrClosed)
		_, err := p.Wait(make([]Event, 1), 0)
		assert.ErrorIs(t, err, ErrClosed)
	})
}

// A short positive timeout really sleeps: never a busy poll, whatever the
// backend's granularity (epoll rounds up to 1 ms, io_uring keeps 100 µs).
func TestWaitShortTimeoutDoesNotSpin(t *testing.T) {
	eachBackend(t, func(t *testing.T, p Poller) {
		evs := make([]Event, 4)
		calls := 0
		start := time.Now()
		for time.Since(start) < 20*time.Millisecond {
			_, err := p.Wait(evs, 100*time.Microsecond)
			require.NoError(t, err)
			calls++
		}
		// A signal may cut a wait short now and then; a truncated timeout
		// would manage tens of thousands of calls.
		assert.LessOrEqual(t, calls, 300)
	})
}

func TestWaitEmptySlice(t *testing.T) {
	eachBackend(t, func(t *testing.T, p Poller) {
		_, err := p.Wait(nil, 0)
		assert.ErrorIs(t, err, unix.EINVAL)
	})
}

// A registration survives many reports: a multishot request that the
// kernel ends is re-armed, so the fd keeps reporting.
func TestManyEdges(t *testing.T) {
	eachBackend(t, func(t *testing.T, p Poller) {
		a, b := socketpair(t)
		require.NoError(t, p.Add(a, MakeToken(9, 1), Readable))
		buf := make([]byte, 8)
		for i := range 2000 {
			write(t, b, "x")
			require.Len(t, poll0(t, p), 1, "edge %d", i)
			_, err := unix.Read(a, buf)
			require.NoError(t, err)
		}
	})
}

// Removing an fd and closing it closes the socket at once: the peer sees
// EOF, so no request keeps the file open. That holds whether the
// registration was submitted and reported first, or removed in the same
// loop pass as it was added, while its first report (writable) is being
// posted.
func TestRemoveThenCloseReleasesTheFile(t *testing.T) {
	for _, reported := range []bool{true, false} {
		eachBackend(t, func(t *testing.T, p Poller) {
			fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
			require.NoError(t, err)
			a, b := fds[0], fds[1]
			defer unix.Close(b)
			require.NoError(t, p.Add(a, MakeToken(1, 1), Readable|Writable))
			if reported {
				poll0(t, p)
			}
			require.NoError(t, p.Remove(a))
			require.NoError(t, unix.Close(a))
			n, err := unix.Read(b, make([]byte, 1))
			assert.NoError(t, err)
			assert.Zero(t, n, "EOF: the socket is closed")
		})
	}
}
