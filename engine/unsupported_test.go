package engine

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The error New returns off Linux matches errors.ErrUnsupported and names
// the platform; on Linux there is none.
func TestUnsupportedError(t *testing.T) {
	err := unsupportedError("darwin")
	assert.ErrorIs(t, err, errors.ErrUnsupported)
	assert.EqualError(t, err, "engine: unsupported operation: I/O threads need Linux (epoll or io_uring, eventfd), not darwin")
}
