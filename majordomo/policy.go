package majordomo

import (
	"fmt"
	"time"

	"github.com/zring/zring/internal/reliable"
)

// The Guide's defaults.
const (
	DefaultHeartbeat = 2500 * time.Millisecond
	DefaultLiveness  = 3
	DefaultReconnect = 2500 * time.Millisecond
	DefaultTimeout   = 2500 * time.Millisecond
	DefaultRetries   = 2
)

// Heartbeat sets how peers watch each other. A peer is taken for dead
// when nothing came from it for Liveness × Interval.
type Heartbeat struct {
	Interval time.Duration // between heartbeats (0: DefaultHeartbeat)
	Liveness int           // heartbeats missed before giving up (0: DefaultLiveness)
}

func (h Heartbeat) withDefaults() (Heartbeat, error) {
	d, ok := reliable.Heartbeat(h).WithDefaults(DefaultHeartbeat, DefaultLiveness)
	if !ok {
		return h, fmt.Errorf("%w: heartbeat %v × %d", ErrInvalid, h.Interval, h.Liveness)
	}
	return Heartbeat(d), nil
}

// expiry is how long a silent peer is trusted.
func (h Heartbeat) expiry() time.Duration { return reliable.Heartbeat(h).Expiry() }

// BrokerPolicy configures a Broker. A broker needs no Version: it speaks
// MDP/0.1 and MDP/0.2 on the same socket, telling them apart by each
// message's header.
type BrokerPolicy struct {
	Heartbeat Heartbeat
	// MaxQueued bounds each service's request queue; a request beyond it
	// is dropped and counted (0: 100000). The client retries or fails.
	MaxQueued int
	// MaxServices bounds the services a broker keeps; a request or a
	// READY naming one more is dropped (0: 10000).
	MaxServices int
}

// WorkerPolicy configures a Worker.
type WorkerPolicy struct {
	// Version is the protocol the worker speaks (0: V01).
	Version   Version
	Heartbeat Heartbeat
	// Reconnect is the pause before reconnecting to a broker that fell
	// silent (0: DefaultReconnect).
	Reconnect time.Duration
}

// ClientPolicy configures a Client or an AsyncClient.
type ClientPolicy struct {
	// Version is the protocol the client speaks (0: V01). Under V02 a
	// Client uses a DEALER, as spec 18 requires, and may receive PARTIAL
	// replies (Client.RequestStream, AsyncClient.RecvPart).
	Version Version
	// Timeout bounds the wait for each reply (0: DefaultTimeout).
	Timeout time.Duration
	// Retries is how many times a Client resends a request that got no
	// reply, each time on a new socket: it tries 1+Retries times in all.
	// Negative means no retry; 0 is DefaultRetries. AsyncClient does not
	// retry.
	Retries int
}

func (p ClientPolicy) withDefaults() (ClientPolicy, error) {
	if !p.Version.valid() {
		return p, fmt.Errorf("%w: version %d", ErrInvalid, p.Version)
	}
	d, ok := reliable.Policy{Timeout: p.Timeout, Retries: p.Retries}.WithDefaults(DefaultTimeout, DefaultRetries)
	if !ok {
		return p, fmt.Errorf("%w: timeout %v", ErrInvalid, p.Timeout)
	}
	return ClientPolicy{Version: p.Version, Timeout: d.Timeout, Retries: d.Retries}, nil
}
