//go:build !linux

package ring

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewEventFDUnsupported(t *testing.T) {
	e, err := NewEventFD()
	assert.Nil(t, e)
	assert.ErrorIs(t, err, errors.ErrUnsupported)
	assert.ErrorIs(t, (*EventFD)(nil).Close(), errors.ErrUnsupported)
}

// Without pollWake a Waiter parks on its channel, even for a context that is
// never done.
func TestWaiterWithoutPollWake(t *testing.T) {
	w := NewWaiter()
	defer w.Close()
	require.Nil(t, w.poll)
	ctx := context.Background()
	w.PrepareFor(ctx)
	go w.Wake()
	require.NoError(t, w.Wait(ctx, time.Time{}))
	w.PrepareFor(ctx)
	assert.ErrorIs(t, w.Wait(ctx, time.Now().Add(time.Millisecond)), ErrTimeout)
}
