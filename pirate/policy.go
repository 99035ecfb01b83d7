//go:build linux

package pirate

import (
	"fmt"
	"time"
)

// Policy is how a LazyClient waits and retries.
type Policy struct {
	// Timeout bounds the wait for each reply (0: 2.5 s, as the Guide).
	Timeout time.Duration
	// Retries is how many times a request is resent after a timeout; it
	// is tried 1+Retries times in all (0: 2; negative: no retry).
	Retries int
	// Backoff is the pause before the first resend, doubled before each
	// next one up to BackoffMax (0: resend at once).
	Backoff time.Duration
	// BackoffMax caps the pause (0: no cap beyond doubling).
	BackoffMax time.Duration
}

func (p Policy) withDefaults() (Policy, error) {
	if p.Timeout < 0 || p.Backoff < 0 || p.BackoffMax < 0 {
		return p, fmt.Errorf("%w: policy %+v", ErrInvalid, p)
	}
	if p.Timeout == 0 {
		p.Timeout = 2500 * time.Millisecond
	}
	switch {
	case p.Retries == 0:
		p.Retries = 2
	case p.Retries < 0:
		p.Retries = 0
	}
	return p, nil
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

// HeartbeatPolicy is how a Queue and its Workers watch each other: a peer
// silent for Liveness × Interval is taken for dead.
type HeartbeatPolicy struct {
	Interval time.Duration // between heartbeats (0: 1 s, as the Guide)
	Liveness int           // heartbeats missed before giving up (0: 3)
}

func (h HeartbeatPolicy) withDefaults() (HeartbeatPolicy, error) {
	if h.Interval < 0 || h.Liveness < 0 {
		return h, fmt.Errorf("%w: heartbeat %+v", ErrInvalid, h)
	}
	if h.Interval == 0 {
		h.Interval = time.Second
	}
	if h.Liveness == 0 {
		h.Liveness = 3
	}
	return h, nil
}

func (h HeartbeatPolicy) expiry() time.Duration { return h.Interval * time.Duration(h.Liveness) }

// WorkerPolicy configures a Paranoid Pirate Worker.
type WorkerPolicy struct {
	Heartbeat HeartbeatPolicy
	// ReconnectMin is the first pause before reconnecting to a silent
	// queue, doubled each time up to ReconnectMax (0: 1 s and 32 s, as
	// the Guide's ppworker). It resets when the queue is heard again.
	ReconnectMin, ReconnectMax time.Duration
}
