package poll

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zring/zring/poll/uring"
)

func TestParseKind(t *testing.T) {
	for in, want := range map[string]Kind{"": KindAuto, "auto": KindAuto, "EPOLL": KindEpoll, " uring ": KindUring} {
		k, err := ParseKind(in)
		require.NoError(t, err)
		assert.Equal(t, want, k)
	}
	_, err := ParseKind("kqueue")
	assert.ErrorIs(t, err, ErrUnknownKind)
}

func TestOpenEachKind(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for k, name := range map[Kind]string{KindEpoll: "epoll", KindUring: "uring", KindAuto: "uring"} {
		p, fallback, err := Open(k)
		require.NoError(t, err, "this machine has io_uring")
		assert.NoError(t, fallback)
		assert.Equal(t, name, p.Name(), "kind %s", k)
		require.NoError(t, p.Close())
	}
	_, _, err := Open("kqueue")
	assert.ErrorIs(t, err, ErrUnknownKind)
}

// simulateRefusal makes ring creation fail as a kernel with io_uring
// disabled would.
func simulateRefusal(t *testing.T) {
	saved := newRing
	newRing = func(uint32) (*uring.Ring, error) {
		return nil, fmt.Errorf("%w: io_uring_setup: disabled by sysctl kernel.io_uring_disabled=2", uring.ErrUnavailable)
	}
	t.Cleanup(func() { newRing = saved })
}

func TestAutoFallsBackToEpoll(t *testing.T) {
	simulateRefusal(t)
	p, fallback, err := Open(KindAuto)
	require.NoError(t, err)
	defer p.Close()
	assert.Equal(t, "epoll", p.Name())
	assert.ErrorIs(t, fallback, uring.ErrUnavailable)
	assert.Contains(t, fallback.Error(), "io_uring_disabled", "the reason is kept")

	// The fallback works: contract basics on the epoll it returned.
	a, b := socketpair(t)
	require.NoError(t, p.Add(a, MakeToken(1, 1), Readable))
	write(t, b, "x")
	assert.Len(t, poll0(t, p), 1)
}

func TestForcedUringNamesTheCause(t *testing.T) {
	simulateRefusal(t)
	p, _, err := Open(KindUring)
	assert.Nil(t, p)
	assert.ErrorIs(t, err, uring.ErrUnavailable)
	assert.Contains(t, err.Error(), "io_uring_disabled")
}
