//go:build !linux

package poll

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBackendsUnsupported(t *testing.T) {
	ep, err := NewEpoll()
	assert.Nil(t, ep)
	assert.ErrorIs(t, err, ErrUnsupported)
	assert.ErrorIs(t, err, errors.ErrUnsupported)
	ur, err := NewUring()
	assert.Nil(t, ur)
	assert.ErrorIs(t, err, errors.ErrUnsupported)
	for _, k := range []Kind{KindAuto, KindEpoll, KindUring} {
		p, _, err := Open(k)
		assert.Nil(t, p, "Open(%q)", k)
		assert.ErrorIs(t, err, errors.ErrUnsupported, "Open(%q)", k)
	}
	p, err := New()
	assert.Nil(t, p)
	assert.ErrorIs(t, err, errors.ErrUnsupported)
	assert.Equal(t, "uring", (*Uring)(nil).Name())
}
