package ring

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWaiterWakeBeforeWait(t *testing.T) {
	w := NewWaiter()
	w.Prepare()
	w.Wake()
	require.NoError(t, w.Wait(context.Background(), time.Time{}))
	assert.Zero(t, w.sleeping.Load())
}

func TestWaiterWakeWithoutPrepareIsNoop(t *testing.T) {
	w := NewWaiter()
	w.Wake()
	w.Prepare()
	err := w.Wait(context.Background(), time.Now().Add(10*time.Millisecond))
	assert.ErrorIs(t, err, ErrTimeout)
	assert.Zero(t, w.sleeping.Load(), "Wait must leave sleeping = 0")
}

func TestWaiterPastDeadline(t *testing.T) {
	w := NewWaiter()
	w.Prepare()
	assert.ErrorIs(t, w.Wait(context.Background(), time.Now().Add(-time.Second)), ErrTimeout)
	assert.Zero(t, w.sleeping.Load())
}

func TestWaiterContextCancel(t *testing.T) {
	w := NewWaiter()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(5 * time.Millisecond)
		cancel()
	}()
	w.Prepare()
	assert.ErrorIs(t, w.Wait(ctx, time.Time{}), context.Canceled)
	assert.Zero(t, w.sleeping.Load())
}

func TestWaiterWakeFromOtherGoroutine(t *testing.T) {
	w := NewWaiter()
	w.Prepare()
	go func() {
		time.Sleep(5 * time.Millisecond)
		w.Wake()
	}()
	assert.NoError(t, w.Wait(context.Background(), time.Now().Add(10*time.Second)))
}

// A Wake that wins the flag just before Cancel leaves a stale token. It may
// cause one spurious return but never a hang or a lost wakeup.
func TestWaiterStaleToken(t *testing.T) {
	w := NewWaiter()
	w.Prepare()
	w.Wake()
	w.Cancel()

	w.Prepare()
	assert.NoError(t, w.Wait(context.Background(), time.Now().Add(time.Second)), "stale token: spurious return")

	w.Prepare()
	err := w.Wait(context.Background(), time.Now().Add(10*time.Millisecond))
	assert.ErrorIs(t, err, ErrTimeout, "token consumed: next Wait blocks")

	w.Prepare()
	w.Wake()
	assert.NoError(t, w.Wait(context.Background(), time.Time{}), "fresh wake still delivered")
}

// A timer expiry from an earlier Wait must not cut a later, longer Wait
// short.
func TestWaiterTimerReuse(t *testing.T) {
	w := NewWaiter()
	for range 3 {
		w.Prepare()
		assert.ErrorIs(t, w.Wait(context.Background(), time.Now().Add(time.Millisecond)), ErrTimeout)
	}
	w.Prepare()
	go func() {
		time.Sleep(20 * time.Millisecond)
		w.Wake()
	}()
	start := time.Now()
	require.NoError(t, w.Wait(context.Background(), time.Now().Add(10*time.Second)))
	assert.GreaterOrEqual(t, time.Since(start), 15*time.Millisecond)
}

// The netpoller mode (PrepareFor with a context that is never done) keeps
// the channel mode's contract: wakes, deadlines, stale tokens.
func TestWaiterPollMode(t *testing.T) {
	w := NewWaiter()
	if w.poll == nil {
		t.Skip("no netpoller wakeup on this platform")
	}
	bg := context.Background()

	w.PrepareFor(bg)
	assert.Equal(t, sleepPoll, w.sleeping.Load())
	w.Wake()
	require.NoError(t, w.Wait(bg, time.Time{}), "wake before wait")

	w.PrepareFor(bg)
	go func() {
		time.Sleep(5 * time.Millisecond)
		w.Wake()
	}()
	require.NoError(t, w.Wait(bg, time.Now().Add(10*time.Second)), "wake from another goroutine")

	w.PrepareFor(bg)
	assert.ErrorIs(t, w.Wait(bg, time.Now().Add(5*time.Millisecond)), ErrTimeout)
	assert.Zero(t, w.sleeping.Load())

	// The deadline is cleared: a later Wait without one blocks until woken.
	w.PrepareFor(bg)
	go func() {
		time.Sleep(20 * time.Millisecond)
		w.Wake()
	}()
	start := time.Now()
	require.NoError(t, w.Wait(bg, time.Time{}))
	assert.GreaterOrEqual(t, time.Since(start), 15*time.Millisecond)

	w.PrepareFor(bg)
	w.Wake()
	w.Cancel()
	w.PrepareFor(bg)
	assert.NoError(t, w.Wait(bg, time.Now().Add(time.Second)), "stale token: spurious return")
	w.PrepareFor(bg)
	assert.ErrorIs(t, w.Wait(bg, time.Now().Add(5*time.Millisecond)), ErrTimeout, "token consumed")
}

// A cancellable context selects the channel mode, so cancellation works.
func TestWaiterPrepareForCancellable(t *testing.T) {
	w := NewWaiter()
	ctx, cancel := context.WithCancel(context.Background())
	w.PrepareFor(ctx)
	assert.Equal(t, sleepChan, w.sleeping.Load())
	go func() {
		time.Sleep(5 * time.Millisecond)
		cancel()
	}()
	assert.ErrorIs(t, w.Wait(ctx, time.Time{}), context.Canceled)
}
