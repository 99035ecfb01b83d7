//go:build linux

package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zring/zring/poll"
)

func TestChooseAmong(t *testing.T) {
	c, err := New(Options{IOThreads: 3})
	require.NoError(t, err)
	defer c.Close()
	th := c.Threads()
	assert.Same(t, th[1], c.ChooseAmong(1<<1))
	assert.Same(t, th[2], c.ChooseAmong(1<<2|1<<40))
	assert.Contains(t, th, c.ChooseAmong(0))
	assert.Contains(t, th, c.ChooseAmong(1<<10), "a mask naming no thread means any")
}

func TestPollerChoice(t *testing.T) {
	t.Setenv(PollerEnv, "")
	for kind, want := range map[poll.Kind]string{poll.KindEpoll: "epoll", poll.KindUring: "uring", "": "uring"} {
		c, err := New(Options{Poller: kind, IOThreads: 2})
		require.NoError(t, err)
		name, fallback := c.Poller()
		assert.Equal(t, want, name, "option %q", kind)
		assert.NoError(t, fallback, "io_uring works on this machine")
		// The threads run: a posted func comes back.
		done := make(chan struct{})
		c.Threads()[1].Post(func() { close(done) })
		<-done
		require.NoError(t, c.Close())
	}
}

func TestPollerFromEnvironment(t *testing.T) {
	t.Setenv(PollerEnv, "epoll")
	c, err := New(Options{})
	require.NoError(t, err)
	name, _ := c.Poller()
	assert.Equal(t, "epoll", name)
	require.NoError(t, c.Close())

	c, err = New(Options{Poller: poll.KindUring})
	require.NoError(t, err)
	name, _ = c.Poller()
	assert.Equal(t, "uring", name, "the option wins over the environment")
	require.NoError(t, c.Close())

	t.Setenv(PollerEnv, "kqueue")
	_, err = New(Options{})
	assert.ErrorIs(t, err, poll.ErrUnknownKind)
}
