//go:build linux && !race

package engine

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Posting a pre-bound func and the loop pass that runs it allocate nothing.
func TestAllocsPost(t *testing.T) {
	c := newTestContext(t, Options{})
	th := c.Threads()[0]
	done := make(chan struct{}, 1)
	fn := func() { done <- struct{}{} }
	for i := 0; i < 100; i++ {
		th.Post(fn)
		<-done
	}
	require.Zero(t, testing.AllocsPerRun(1000, func() {
		th.Post(fn)
		<-done
	}))
}
