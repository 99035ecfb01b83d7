//go:build !race

package ring

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRingAllocs(t *testing.T) {
	r := New[*int](64)
	x := 1
	allocs := testing.AllocsPerRun(1000, func() {
		for range 8 {
			r.Write(&x)
		}
		r.Flush()
		for {
			if _, ok := r.Read(); !ok {
				break
			}
		}
		r.Release()
		r.TrySleep()
		r.Wake()
	})
	assert.Zero(t, allocs)
}

func TestWaiterAllocs(t *testing.T) {
	w := NewWaiter()
	ctx := context.Background()
	allocs := testing.AllocsPerRun(1000, func() {
		w.Prepare()
		w.Cancel()
		w.Prepare()
		w.Wake()
		_ = w.Wait(ctx, time.Time{})
	})
	assert.Zero(t, allocs)
}

func TestWaiterDeadlineAllocs(t *testing.T) {
	w := NewWaiter()
	ctx := context.Background()
	allocs := testing.AllocsPerRun(100, func() {
		w.Prepare()
		w.Wake()
		_ = w.Wait(ctx, time.Now().Add(time.Hour))
	})
	assert.Zero(t, allocs)
}

func TestWaiterPollModeAllocs(t *testing.T) {
	w := NewWaiter()
	ctx := context.Background()
	allocs := testing.AllocsPerRun(1000, func() {
		w.PrepareFor(ctx)
		w.Cancel()
		w.PrepareFor(ctx)
		w.Wake()
		_ = w.Wait(ctx, time.Time{})
	})
	assert.Zero(t, allocs)
	allocs = testing.AllocsPerRun(100, func() {
		w.PrepareFor(ctx)
		w.Wake()
		_ = w.Wait(ctx, time.Now().Add(time.Hour))
	})
	assert.Zero(t, allocs, "with a deadline")
}
