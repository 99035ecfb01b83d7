package engine

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestContextReservesProcs(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	c, err := New(Options{IOThreads: 2})
	require.NoError(t, err)
	assert.Equal(t, before+2, runtime.GOMAXPROCS(0), "one P per I/O thread")
	kept, err := New(Options{KeepGOMAXPROCS: true})
	require.NoError(t, err)
	assert.Equal(t, before+2, runtime.GOMAXPROCS(0), "KeepGOMAXPROCS")
	require.NoError(t, c.Close())
	require.NoError(t, c.Close())
	require.NoError(t, kept.Close())
	assert.Equal(t, before, runtime.GOMAXPROCS(0), "given back once")
}

func TestChooseAmong(t *testing.T) {
	c, err := New(Options{IOThreads: 3, KeepGOMAXPROCS: true})
	require.NoError(t, err)
	defer c.Close()
	th := c.Threads()
	assert.Same(t, th[1], c.ChooseAmong(1<<1))
	assert.Same(t, th[2], c.ChooseAmong(1<<2|1<<40))
	assert.Contains(t, th, c.ChooseAmong(0))
	assert.Contains(t, th, c.ChooseAmong(1<<10), "a mask naming no thread means any")
}
