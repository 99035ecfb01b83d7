//go:build !linux

package engine

import (
	"errors"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Off Linux New fails at once, before starting any thread or touching
// GOMAXPROCS.
func TestNewUnsupported(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	c, err := New(Options{IOThreads: 2})
	assert.Nil(t, c)
	assert.ErrorIs(t, err, errors.ErrUnsupported)
	assert.Equal(t, before, runtime.GOMAXPROCS(0))
}
