//go:build linux

package engine

import (
	"errors"
	"math/rand/v2"
	"time"

	"golang.org/x/sys/unix"
)

// Reconnection policy of a connecting session (libzmq's stream connecter):
// the interval starts at RECONNECT_IVL, doubles after each failed attempt
// up to RECONNECT_IVL_MAX (when that is larger), and returns to
// RECONNECT_IVL after a handshake succeeds. Each wait adds a random jitter
// of up to RECONNECT_IVL, as libzmq does, so peers restarted together do
// not reconnect in lockstep. RECONNECT_STOP ends the retries on the
// conditions it names.

// errConnectTimeout closes a connect attempt that took CONNECT_TIMEOUT.
var errConnectTimeout = errors.New("zring: connect timed out")

// nextRetry returns how long to wait before the next attempt and advances
// the backoff.
func (ss *Session) nextRetry() time.Duration {
	o := &ss.opts
	if ss.backoff == 0 {
		ss.backoff = o.ReconnectIvl
	}
	wait := ss.backoff + rand.N(o.ReconnectIvl)
	if o.ReconnectIvlMax > o.ReconnectIvl {
		ss.backoff = min(2*ss.backoff, o.ReconnectIvlMax)
	}
	return wait
}

// stopRetrying reports whether RECONNECT_STOP, or a RECONNECT_IVL that is
// not positive, forbids another attempt after a connection (or attempt)
// ended with err.
func (ss *Session) stopRetrying(err error, wasUp bool) bool {
	flags := ss.opts.ReconnectStop
	switch {
	case ss.opts.ReconnectIvl <= 0: // RECONNECT_IVL 0 or -1: never
		return true
	case flags&ReconnectStopConnRefused != 0 && errors.Is(err, unix.ECONNREFUSED):
		return true
	case flags&ReconnectStopAfterDisconnect != 0 && wasUp:
		return true
	}
	return false
}

// armConnectTimeout bounds a connect attempt by CONNECT_TIMEOUT. The timer
// lives only while the connect is in progress: connected and close cancel
// it (stopConnectTimeout), and the handshake that follows has a timer of
// its own (HANDSHAKE_IVL, conn.hsTimer).
func (c *Conn) armConnectTimeout() {
	if d := c.sess.opts.ConnectTimeout; d > 0 {
		c.connectTimer = c.thread.AddTimer(d, func() {
			c.connectTimer = nil // fired
			if c.state == stConnecting {
				c.close(errConnectTimeout)
			}
		})
	}
}

// stopConnectTimeout cancels the CONNECT_TIMEOUT timer, if pending.
func (c *Conn) stopConnectTimeout() {
	c.thread.CancelTimer(c.connectTimer)
	c.connectTimer = nil
}
