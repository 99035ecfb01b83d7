//go:build !race

package ring

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEventFDAllocs(t *testing.T) {
	e, err := NewEventFD()
	require.NoError(t, err)
	defer e.Close()
	allocs := testing.AllocsPerRun(1000, func() {
		e.PrepareSleep()
		e.Wake()
		e.Drain()
	})
	assert.Zero(t, allocs)
}
