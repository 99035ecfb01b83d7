//go:build !linux

package uring

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNewUnavailable(t *testing.T) {
	r, err := New(8)
	assert.Nil(t, r)
	assert.ErrorIs(t, err, ErrUnavailable)
	assert.ErrorIs(t, err, errors.ErrUnsupported)
}
