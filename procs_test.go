//go:build linux

package zring_test

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zring/zring"
)

// These tests change and check the process's GOMAXPROCS, so none of them
// runs in parallel, and each puts back the value it found.

func procsBefore(t *testing.T) int {
	t.Helper()
	before := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(before) })
	return before
}

func procsContext(t *testing.T, opts ...zring.ContextOption) *zring.Context {
	t.Helper()
	c, err := zring.NewContext(opts...)
	require.NoError(t, err)
	return c
}

func TestContextLeavesGOMAXPROCS(t *testing.T) {
	before := procsBefore(t)
	a := procsContext(t, zring.WithIOThreads(2))
	b := procsContext(t, zring.WithIOThreads(3), zring.WithRaiseGOMAXPROCS(false))
	c := procsContext(t)
	assert.Equal(t, before, runtime.GOMAXPROCS(0), "three contexts open")
	// A socket with a connection on each side, so that the I/O threads
	// have run.
	push, err := a.NewSocket(zring.Push)
	require.NoError(t, err)
	require.NoError(t, push.Bind("tcp://127.0.0.1:*"))
	pull, err := b.NewSocket(zring.Pull)
	require.NoError(t, err)
	require.NoError(t, pull.Connect(push.Endpoint()))
	require.NoError(t, push.Send([]byte("hi"), 0))
	msg, err := pull.Recv(0)
	require.NoError(t, err)
	assert.Equal(t, "hi", string(msg))
	assert.Equal(t, before, runtime.GOMAXPROCS(0), "after traffic")
	require.NoError(t, a.Close())
	require.NoError(t, b.Close())
	require.NoError(t, c.Close())
	assert.Equal(t, before, runtime.GOMAXPROCS(0), "all closed")
}

func TestContextRaisesGOMAXPROCS(t *testing.T) {
	for _, aFirst := range []bool{true, false} {
		name := "last opened closes first"
		if aFirst {
			name = "first opened closes first"
		}
		t.Run(name, func(t *testing.T) {
			before := procsBefore(t)
			a := procsContext(t, zring.WithIOThreads(2), zring.WithRaiseGOMAXPROCS(true))
			assert.Equal(t, before+2, runtime.GOMAXPROCS(0), "raised by the I/O threads")
			b := procsContext(t, zring.WithIOThreads(3), zring.WithRaiseGOMAXPROCS(true))
			assert.Equal(t, before+5, runtime.GOMAXPROCS(0), "the second context's on top")
			first, second, left := a, b, 3
			if !aFirst {
				first, second, left = b, a, 2
			}
			require.NoError(t, first.Close())
			assert.Equal(t, before+left, runtime.GOMAXPROCS(0), "one closed")
			require.NoError(t, first.Close())
			assert.Equal(t, before+left, runtime.GOMAXPROCS(0), "a second Close gives back nothing")
			require.NoError(t, second.Close())
			assert.Equal(t, before, runtime.GOMAXPROCS(0), "back to the original")
		})
	}
}
