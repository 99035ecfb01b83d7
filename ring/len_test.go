package ring

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRingLens(t *testing.T) {
	r := New[int](8)
	assert.Zero(t, r.ReaderLen())
	assert.Zero(t, r.WriterLen())
	for i := range 5 {
		r.Write(i)
	}
	assert.Equal(t, 5, r.WriterLen(), "written, flushed or not")
	assert.Zero(t, r.ReaderLen(), "nothing flushed yet")
	r.Flush()
	assert.Equal(t, 5, r.ReaderLen())
	for range 3 {
		_, ok := r.Read()
		assert.True(t, ok)
	}
	assert.Equal(t, 2, r.ReaderLen())
	assert.Equal(t, 5, r.WriterLen(), "read but not released")
	r.Release()
	assert.Equal(t, 2, r.WriterLen())
}
