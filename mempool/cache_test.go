//go:build !race

package mempool

import (
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A P added after start-up (by the application, or a Context with
// RaiseGOMAXPROCS) gets its own cache: the table grows, frames still flow,
// and the caches are used there.
func TestCachesGrowWithGOMAXPROCS(t *testing.T) {
	if runtime.GOARCH == "wasm" {
		t.Skip("wasm runs every goroutine on one thread, so no new P ever runs Get")
	}
	before := len(*caches.Load())
	prev := runtime.GOMAXPROCS(before + 3)
	defer runtime.GOMAXPROCS(prev)

	var wg sync.WaitGroup
	for range before + 3 {
		wg.Go(func() {
			for range 10_000 {
				f := Get(64)
				f.Bytes()[0] = 1
				require.NoError(t, f.Release())
			}
		})
	}
	wg.Wait()
	// Only a P that ran Get or Release grows the table, and the scheduler
	// need not use every P: ask from every P until one beyond the old
	// table has run.
	for range 1000 {
		if len(*caches.Load()) > before {
			break
		}
		runtime.Gosched()
		Get(64).Release()
	}
	assert.Greater(t, len(*caches.Load()), before, "the cache table grows for new Ps")
}
