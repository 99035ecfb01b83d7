//go:build linux

package zmq4

import (
	"log"
	"time"
)

// Defaults, as upstream's.
const (
	defaultRetry      = 250 * time.Millisecond
	defaultTimeout    = 5 * time.Minute
	defaultMaxRetries = 10
	// closeLinger bounds how long a closed socket keeps delivering what it
	// queued: upstream's Send has written a message to the connection
	// when it returns, zring's queues it, so Close lets the queue drain
	// for a while instead of holding it until the process exits.
	closeLinger = time.Second
)

// config is what the Options set; the socket is made from it.
type config struct {
	id            SocketIdentity
	sec           Security
	retry         time.Duration
	dialTimeout   time.Duration
	maxRetries    int
	timeout       time.Duration
	log           *log.Logger
	autoReconnect bool
}

// Option configures a socket at its construction (its identity, its
// security mechanism, ...). A nil Option is ignored, as upstream would
// panic on it.
type Option func(c *config)

// WithID sets the socket's identity: zring's routing id
// (zring.WithRoutingID), which a ROUTER peer sees. Without it the socket
// announces none and a ROUTER names it with a generated id (upstream sends
// a random UUID instead).
func WithID(id SocketIdentity) Option {
	return func(c *config) { c.id = append(SocketIdentity(nil), id...) }
}

// WithSecurity sets the security mechanism; nil is NULL. NULL (any
// Security whose Type is NullSecurity) and PLAIN from security/plain map
// onto zring's; any other Security makes Listen and Dial fail with
// ErrNotMapped, as zring runs the handshake itself.
func WithSecurity(sec Security) Option {
	return func(c *config) { c.sec = sec }
}

// WithDialerRetry sets the time between two attempts at connecting an
// endpoint: zring's reconnect interval (zring.WithReconnectIvl). Upstream's
// default is 250ms; 0 or less (upstream: no pause) keeps zring's 100ms, as
// zring's 0 would stop reconnecting.
func WithDialerRetry(retry time.Duration) Option {
	return func(c *config) { c.retry = retry }
}

// WithDialerTimeout bounds each connection attempt
// (zring.WithConnectTimeout).
func WithDialerTimeout(timeout time.Duration) Option {
	return func(c *config) { c.dialTimeout = timeout }
}

// WithTimeout bounds Send (zring.WithSndTimeout), 5 minutes by default as
// upstream; 0 or less is no bound (upstream's Send would fail at once).
// Recv waits without a bound, as upstream's does.
func WithTimeout(timeout time.Duration) Option {
	return func(c *config) { c.timeout = timeout }
}

// WithLogger is accepted for upstream's sake, and the logger receives
// nothing: upstream logs failed accepts and handshakes to it, zring
// reports those as monitor events (and through the shared Context's slog
// logger, which the adapter does not set). Dial returns its failures.
func WithLogger(msg *log.Logger) Option {
	return func(c *config) { c.log = msg }
}

// WithDialerMaxRetries sets how many failed connection attempts Dial
// makes before it returns an error (-1: without end). Upstream's default
// is 10.
func WithDialerMaxRetries(maxRetries int) Option {
	return func(c *config) { c.maxRetries = maxRetries }
}

// WithAutomaticReconnect(true) makes the socket reconnect an endpoint it
// dialed after the connection drops. Without it, as upstream, a dropped
// connection stays down (zring.WithReconnectStop with
// zring.ReconnectStopAfterDisconnect).
func WithAutomaticReconnect(automaticReconnect bool) Option {
	return func(c *config) { c.autoReconnect = automaticReconnect }
}

// Option names for SetOption and GetOption, as upstream's.
const (
	// OptionSubscribe subscribes a SUB or XSUB to a topic (a string or
	// []byte prefix; "" is every message).
	OptionSubscribe = "SUBSCRIBE"
	// OptionUnsubscribe removes a subscription.
	OptionUnsubscribe = "UNSUBSCRIBE"
	// OptionHWM sets the high-water mark (an int, messages), both zring's
	// SNDHWM and RCVHWM. As in zring, it applies to connections made
	// afterwards.
	OptionHWM = "HWM"
)
