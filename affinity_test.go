//go:build linux

package zring

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// AFFINITY puts a socket's connections and listeners on the chosen I/O
// threads.
func TestAffinityPicksThreads(t *testing.T) {
	c, err := NewContext(WithIOThreads(3))
	require.NoError(t, err)
	defer c.Close()
	threads := c.eng.Threads()
	s, err := c.NewSocket(Pull, WithAffinity(1<<2))
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.Bind("tcp://127.0.0.1:*"))
	require.NoError(t, s.Connect("tcp://127.0.0.1:1")) // nobody there: the session stays
	s.mu.Lock()
	defer s.mu.Unlock()
	require.Len(t, s.listeners, 1)
	assert.Same(t, threads[2], s.listeners[0].Thread())
	for ss := range s.sessions {
		assert.Same(t, threads[2], ss.Thread())
	}
}
