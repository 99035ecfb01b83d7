package ring

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// sleeper is what the stress consumer blocks on: a Waiter or an EventFD plus
// epoll.
type sleeper interface {
	prepare()
	cancel()
	wait(ctx context.Context) error
	wake()
}

type waiterSleeper struct{ w *Waiter }

func (s waiterSleeper) prepare() { s.w.Prepare() }
func (s waiterSleeper) cancel()  { s.w.Cancel() }
func (s waiterSleeper) wake()    { s.w.Wake() }

// wait has no deadline: a lost wakeup shows up as the stress context expiring.
func (s waiterSleeper) wait(ctx context.Context) error { return s.w.Wait(ctx, time.Time{}) }

// stressN sizes the stress tests.
func stressN() int {
	if testing.Short() {
		return 5_000
	}
	return 200_000
}

func TestStressWaiter(t *testing.T) {
	for _, capacity := range []int{2, 16, 1024} {
		t.Run(fmt.Sprint(capacity), func(t *testing.T) {
			runStress(t, capacity, waiterSleeper{NewWaiter()}, false)
		})
	}
}

// runStress moves stressN items through a ring from one producer goroutine to
// one consumer goroutine, both sleeping when they cannot progress, and checks
// every item arrives exactly once and in order within a time limit.
func runStress(t *testing.T, capacity int, reader sleeper, lockConsumer bool) {
	n := stressN()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r := New[int](capacity)
	writer := NewWaiter()
	errs := make(chan error, 2)
	go func() { errs <- produce(ctx, r, n, reader, writer) }()
	go func() {
		if lockConsumer {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
		}
		errs <- consume(ctx, r, n, reader, writer)
	}()
	for range 2 {
		if err := <-errs; err != nil {
			cancel()
			require.NoError(t, err)
		}
	}
}

func produce(ctx context.Context, r *Ring[int], n int, reader sleeper, writer *Waiter) error {
	batch := 1
	for i := 0; i < n; {
		if r.Write(i) {
			i++
			if i%batch == 0 {
				flushAndWake(r, reader)
				batch = batch%61 + 1 // Vary batch sizes from 1 to 61.
			}
			continue
		}
		flushAndWake(r, reader)
		if err := parkWriter(ctx, r, writer); err != nil {
			return fmt.Errorf("producer at %d: %w", i, err)
		}
	}
	flushAndWake(r, reader)
	return nil
}

func flushAndWake(r *Ring[int], reader sleeper) {
	if r.Flush() {
		reader.wake()
	}
}

func parkWriter(ctx context.Context, r *Ring[int], writer *Waiter) error {
	writer.Prepare()
	if !r.TryParkWriter() {
		writer.Cancel()
		return nil
	}
	err := writer.Wait(ctx, time.Time{})
	r.CancelParkWriter()
	return err
}

func consume(ctx context.Context, r *Ring[int], n int, reader sleeper, writer *Waiter) error {
	for want := 0; want < n; {
		if v, ok := r.Read(); ok {
			if v != want {
				return fmt.Errorf("got %d, want %d", v, want)
			}
			want++
			if want%7 == 0 && r.Release() {
				writer.Wake()
			}
			continue
		}
		if err := sleepReader(ctx, r, reader, writer); err != nil {
			return fmt.Errorf("consumer at %d: %w", want, err)
		}
	}
	if _, ok := r.Read(); ok {
		return errors.New("extra item after the last one")
	}
	if r.Release() {
		writer.Wake()
	}
	return nil
}

func sleepReader(ctx context.Context, r *Ring[int], reader sleeper, writer *Waiter) error {
	reader.prepare()
	asleep, wakeWriter := r.TrySleep()
	if wakeWriter {
		writer.Wake()
	}
	if !asleep {
		reader.cancel()
		return nil
	}
	err := reader.wait(ctx)
	r.Wake()
	return err
}
