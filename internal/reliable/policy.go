package reliable

import (
	"context"
	"time"
)

// Policy is how a Client waits and retries.
type Policy struct {
	// Timeout bounds the wait for each reply.
	Timeout time.Duration
	// Retries is how many times a request is resent after a timeout; it
	// is tried 1+Retries times in all.
	Retries int
	// Backoff is the pause before the first resend, doubled before each
	// next one up to BackoffMax (0: resend at once).
	Backoff time.Duration
	// BackoffMax caps the pause (0: no cap beyond doubling).
	BackoffMax time.Duration
}

// WithDefaults returns p with a zero Timeout set to timeout and Retries
// set to retries when 0, to 0 when negative (no retry). ok is false when a
// duration is negative.
func (p Policy) WithDefaults(timeout time.Duration, retries int) (_ Policy, ok bool) {
	if p.Timeout < 0 || p.Backoff < 0 || p.BackoffMax < 0 {
		return p, false
	}
	if p.Timeout == 0 {
		p.Timeout = timeout
	}
	switch {
	case p.Retries == 0:
		p.Retries = retries
	case p.Retries < 0:
		p.Retries = 0
	}
	return p, true
}

// pause returns the backoff before resend number n (1, 2, ...).
func (p Policy) pause(n int) time.Duration {
	d := p.Backoff
	for i := 1; i < n && d > 0; i++ {
		d *= 2
		if p.BackoffMax > 0 && d >= p.BackoffMax {
			return p.BackoffMax
		}
	}
	if p.BackoffMax > 0 && d > p.BackoffMax {
		return p.BackoffMax
	}
	return d
}

// Heartbeat is how two peers watch each other: a peer silent for
// Liveness × Interval is taken for dead. Package majordomo's Heartbeat and
// pirate's HeartbeatPolicy convert to it.
type Heartbeat struct {
	Interval time.Duration // between heartbeats
	Liveness int           // heartbeats missed before giving up
}

// WithDefaults returns h with a zero Interval set to interval and a zero
// Liveness set to liveness. ok is false when either is negative.
func (h Heartbeat) WithDefaults(interval time.Duration, liveness int) (_ Heartbeat, ok bool) {
	if h.Interval < 0 || h.Liveness < 0 {
		return h, false
	}
	if h.Interval == 0 {
		h.Interval = interval
	}
	if h.Liveness == 0 {
		h.Liveness = liveness
	}
	return h, true
}

// Expiry is how long a silent peer is trusted.
func (h Heartbeat) Expiry() time.Duration { return h.Interval * time.Duration(h.Liveness) }

// sleep waits d, or until ctx ends (then it returns ctx's error).
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
