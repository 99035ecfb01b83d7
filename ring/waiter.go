package ring

import (
	"context"
	"errors"
	"sync/atomic"
	"time"
)

// ErrTimeout is returned by Waiter.Wait when its deadline passes.
var ErrTimeout = errors.New("ring: wait timed out")

// Waiter parks a user goroutine until another goroutine wakes it, its context
// is done, or a deadline passes. It must not be used to block an
// OS-thread-locked I/O thread (use EventFD there), but any goroutine,
// including a locked one, may call Wake.
//
// One goroutine at a time waits: it calls Prepare, re-checks its condition,
// and then calls Cancel (condition true) or Wait. Wakeups are coalesced: only
// the Wake that flips the sleeping flag sends a token.
//
// A token can outlive the sleep it was meant for, for example when Wake wins
// the flag just before Cancel or a timeout. The next Wait then returns at
// once: a spurious wakeup, which callers absorb by looping. A wakeup cannot be
// lost, because a successful CAS always leaves a token in the channel (the
// send is skipped only when a token is already there) and Wait blocks only on
// that channel.
//
// Two wake channels exist. A Wait whose context can never be cancelled parks
// in Go's netpoller on an eventfd (see pollWake: much cheaper to wake from
// an OS-thread-locked I/O thread); any other Wait selects on a channel. The
// sleeping flag records which one the sleeper uses, so Wake signals only
// that one. A token left in the other is harmless: one spurious return.
type Waiter struct {
	sleeping atomic.Uint32 // sleepChan or sleepPoll between Prepare and Wake/Cancel/Wait's return
	wake     chan struct{} // capacity 1: at most one pending token
	timer    *time.Timer   // waiting goroutine only: reused for deadlines
	poll     *pollWake     // nil when the platform has none
	mode     uint32        // waiting goroutine only: what its last Prepare stored
	closed   atomic.Bool   // Close ran: the netpoller path is gone
}

// Values of Waiter.sleeping.
const (
	awake     uint32 = iota
	sleepChan        // the sleeper selects on wake
	sleepPoll        // the sleeper parks in the netpoller on poll
)

// NewWaiter returns an idle Waiter.
func NewWaiter() *Waiter {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &Waiter{wake: make(chan struct{}, 1), timer: t, poll: newPollWake()}
}

// Prepare declares the goroutine about to sleep. Call it before re-checking
// the condition that Wait waits for. It is PrepareFor with a context that
// may be cancelled.
func (w *Waiter) Prepare() { w.prepare(sleepChan) }

// PrepareFor is Prepare for a Wait with ctx, which must be the context then
// passed to Wait. A context that is never done (Done() == nil) lets the Wait
// park in the netpoller.
func (w *Waiter) PrepareFor(ctx context.Context) {
	if w.poll != nil && ctx.Done() == nil && !w.closed.Load() {
		w.prepare(sleepPoll)
		return
	}
	w.prepare(sleepChan)
}

func (w *Waiter) prepare(mode uint32) {
	w.mode = mode // read back by Wait in the same goroutine
	// Store then the caller's condition loads (Dekker with the waker's
	// publish-then-Wake): either the re-check sees the new state or Wake
	// sees the sleeper's mode.
	w.sleeping.Store(mode)
}

// Cancel withdraws Prepare after the condition became true.
func (w *Waiter) Cancel() {
	// If a Wake already flipped the flag its token stays queued and makes
	// the next Wait return spuriously; nothing is lost.
	w.sleeping.Store(awake)
}

// Wake wakes the waiting goroutine if it called Prepare. It never blocks.
func (w *Waiter) Wake() {
	// Load first so wakes aimed at an awake goroutine cost no locked
	// instruction; the CAS elects the single caller that sends.
	mode := w.sleeping.Load()
	if mode == awake || !w.sleeping.CompareAndSwap(mode, awake) {
		return
	}
	if mode == sleepPoll {
		w.poll.signal()
		return
	}
	select {
	case w.wake <- struct{}{}:
	default: // A token is already pending; it wakes the waiter just as well.
	}
}

// Close releases the Waiter's descriptor, so a closed socket holds none
// until the garbage collector runs. Wake stays safe to call from any
// goroutine afterwards, and a Wait parked in the netpoller returns (nil, a
// spurious wakeup); later Waits use the channel. Close is idempotent.
func (w *Waiter) Close() {
	if w.poll != nil && !w.closed.Swap(true) {
		w.poll.close()
	}
}

// Wait blocks until Wake, until ctx is done (returning ctx.Err()), or until
// deadline passes (returning ErrTimeout); a zero deadline means none. It may
// return nil spuriously, so callers loop and re-check their condition. It
// always returns with the sleeping flag cleared.
func (w *Waiter) Wait(ctx context.Context, deadline time.Time) error {
	// Clearing after any return keeps a late Wake from sending a token for a
	// sleep that is over (it may still have won the CAS; that is the
	// spurious case).
	defer w.sleeping.Store(awake)
	if w.mode == sleepPoll {
		// PrepareFor chose the netpoller only for a context that is never
		// done, so there is nothing else to select on.
		err := w.poll.wait(deadline)
		if err != nil && w.closed.Load() {
			return nil // Close ended the wait: spurious; the caller re-checks
		}
		return err
	}
	var timeout <-chan time.Time
	if !deadline.IsZero() {
		d := time.Until(deadline)
		if d <= 0 {
			return ErrTimeout
		}
		// Since Go 1.23 Reset and Stop discard any stale expiry, so the
		// channel only ever reports this deadline.
		w.timer.Reset(d)
		defer w.timer.Stop()
		timeout = w.timer.C
	}
	select {
	case <-w.wake:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-timeout:
		return ErrTimeout
	}
}
