package pirate

import (
	"fmt"
	"time"

	"github.com/zring/zring/internal/reliable"
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
	d, ok := reliable.Policy(p).WithDefaults(2500*time.Millisecond, 2)
	if !ok {
		return p, fmt.Errorf("%w: policy %+v", ErrInvalid, p)
	}
	return Policy(d), nil
}

// HeartbeatPolicy is how a Queue and its Workers watch each other: a peer
// silent for Liveness × Interval is taken for dead.
type HeartbeatPolicy struct {
	Interval time.Duration // between heartbeats (0: 1 s, as the Guide)
	Liveness int           // heartbeats missed before giving up (0: 3)
}

func (h HeartbeatPolicy) withDefaults() (HeartbeatPolicy, error) {
	d, ok := reliable.Heartbeat(h).WithDefaults(time.Second, 3)
	if !ok {
		return h, fmt.Errorf("%w: heartbeat %+v", ErrInvalid, h)
	}
	return HeartbeatPolicy(d), nil
}

func (h HeartbeatPolicy) expiry() time.Duration { return reliable.Heartbeat(h).Expiry() }

// WorkerPolicy configures a Paranoid Pirate Worker.
type WorkerPolicy struct {
	Heartbeat HeartbeatPolicy
	// ReconnectMin is the first pause before reconnecting to a silent
	// queue, doubled each time up to ReconnectMax (0: 1 s and 32 s, as
	// the Guide's ppworker). It resets when the queue is heard again.
	ReconnectMin, ReconnectMax time.Duration
}
