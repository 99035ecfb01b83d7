//go:build linux

package engine

import (
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests change and check the process's GOMAXPROCS, so none of them
// runs in parallel, and each puts back the value it found.

// keepProcs restores GOMAXPROCS when t ends, whatever the test did.
func keepProcs(t *testing.T) int {
	t.Helper()
	before := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(before) })
	return before
}

func newContext(t *testing.T, o Options) *Context {
	t.Helper()
	c, err := New(o)
	require.NoError(t, err)
	return c
}

func TestProcsUntouchedByDefault(t *testing.T) {
	before := keepProcs(t)
	a := newContext(t, Options{IOThreads: 3})
	b := newContext(t, Options{IOThreads: 2})
	assert.Equal(t, before, runtime.GOMAXPROCS(0), "two contexts open")
	require.NoError(t, a.Close())
	assert.Equal(t, before, runtime.GOMAXPROCS(0), "one closed")
	require.NoError(t, b.Close())
	assert.Equal(t, before, runtime.GOMAXPROCS(0), "both closed")
}

func TestRaiseProcs(t *testing.T) {
	for _, order := range []string{"first opened closes first", "last opened closes first"} {
		t.Run(order, func(t *testing.T) {
			before := keepProcs(t)
			a := newContext(t, Options{IOThreads: 2, RaiseGOMAXPROCS: true})
			assert.Equal(t, before+2, runtime.GOMAXPROCS(0), "one P per I/O thread")
			b := newContext(t, Options{IOThreads: 3, RaiseGOMAXPROCS: true})
			assert.Equal(t, before+5, runtime.GOMAXPROCS(0), "the second context's on top")
			plain := newContext(t, Options{IOThreads: 2})
			assert.Equal(t, before+5, runtime.GOMAXPROCS(0), "a context without the option")
			first, second, left := a, b, 3
			if order == "last opened closes first" {
				first, second, left = b, a, 2
			}
			require.NoError(t, first.Close())
			require.NoError(t, first.Close())
			assert.Equal(t, before+left, runtime.GOMAXPROCS(0), "given back once")
			require.NoError(t, plain.Close())
			assert.Equal(t, before+left, runtime.GOMAXPROCS(0), "the plain context gives back nothing")
			require.NoError(t, second.Close())
			assert.Equal(t, before, runtime.GOMAXPROCS(0), "back to the original")
		})
	}
}

func TestRaiseProcsYieldsToApplication(t *testing.T) {
	before := keepProcs(t)
	a := newContext(t, Options{IOThreads: 2, RaiseGOMAXPROCS: true})
	require.Equal(t, before+2, runtime.GOMAXPROCS(0))
	mine := before + 7
	runtime.GOMAXPROCS(mine) // the application's own choice
	b := newContext(t, Options{IOThreads: 1, RaiseGOMAXPROCS: true})
	assert.Equal(t, mine, runtime.GOMAXPROCS(0), "not raised over the application's value")
	require.NoError(t, a.Close())
	require.NoError(t, b.Close())
	assert.Equal(t, mine, runtime.GOMAXPROCS(0), "nor lowered or restored")

	// With no raising context open, the next one starts from the
	// application's value.
	c := newContext(t, Options{IOThreads: 1, RaiseGOMAXPROCS: true})
	assert.Equal(t, mine+1, runtime.GOMAXPROCS(0))
	require.NoError(t, c.Close())
	assert.Equal(t, mine, runtime.GOMAXPROCS(0))
}

func TestRaiseProcsConcurrent(t *testing.T) {
	before := keepProcs(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 5 {
				c, err := New(Options{IOThreads: 1 + i%3, RaiseGOMAXPROCS: true})
				if !assert.NoError(t, err) {
					return
				}
				assert.NoError(t, c.Close())
			}
		})
	}
	wg.Wait()
	assert.Equal(t, before, runtime.GOMAXPROCS(0))
}
