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
