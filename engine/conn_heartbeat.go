//go:build linux

package engine

import (
	"errors"
	"time"

	"github.com/zring/zring/zmtp"
)

// ZMTP 3.1 heartbeats (zmtp.md §D), all on the connection's I/O thread.
//
//   - HEARTBEAT_IVL: every interval the connection sends a PING carrying
//     HEARTBEAT_TTL (in deciseconds).
//   - HEARTBEAT_TIMEOUT (default: the interval): if nothing at all arrives
//     within that long after a PING, the peer is dead and the connection
//     closes.
//   - The peer's TTL: a PING with a TTL asks us to drop the connection if
//     nothing arrives for that long; each PING re-arms it.
//
// "Anything arrives" is lastRecv, stored by whoever reads the fd: the I/O
// thread or a goroutine reading directly.

// errHeartbeat closes a connection whose peer stopped answering.
var errHeartbeat = errors.New("zring: heartbeat timed out: the peer sent nothing")

// heartbeat is a connection's heartbeat state; I/O thread only, except
// conn.lastRecv.
type heartbeat struct {
	pingTimer   *Timer
	checkTimer  *Timer
	ttlTimer    *Timer
	pingDue     bool  // a PING waits to be queued by ioPump
	pingSentNs  int64 // when the last PING was queued (MonoNow)
	checkFromNs int64 // the PING the pending check is about
	ttlNs       int64 // the peer's TTL, 0 if none
}

// startHeartbeat arms the first PING once the connection is active.
func (c *Conn) startHeartbeat() {
	if ivl := c.sess.opts.HeartbeatIvl; ivl > 0 && !c.raw {
		c.hb.pingTimer = c.thread.AddTimer(ivl, c.sendPing)
	}
}

// stopHeartbeat cancels every heartbeat timer.
func (c *Conn) stopHeartbeat() {
	c.thread.CancelTimer(c.hb.pingTimer)
	c.thread.CancelTimer(c.hb.checkTimer)
	c.thread.CancelTimer(c.hb.ttlTimer)
	c.hb.pingTimer, c.hb.checkTimer, c.hb.ttlTimer = nil, nil, nil
}

// sendPing queues a PING, arms the check of the answer and the next PING.
func (c *Conn) sendPing() {
	c.hb.pingTimer = nil
	if c.state != stActive {
		return
	}
	o := &c.sess.opts
	c.hb.pingDue = true
	c.hb.pingSentNs = MonoNow()
	if c.hb.checkTimer == nil {
		c.hb.checkFromNs = c.hb.pingSentNs
		c.hb.checkTimer = c.thread.AddTimer(o.heartbeatTimeoutOrIvl(), c.checkPing)
	}
	c.hb.pingTimer = c.thread.AddTimer(o.HeartbeatIvl, c.sendPing)
	c.ioPump()
}

// checkPing closes the connection if nothing arrived since the PING.
func (c *Conn) checkPing() {
	c.hb.checkTimer = nil
	if c.state == stActive && c.lastRecv.Load() < c.hb.checkFromNs {
		c.close(errHeartbeat)
	}
}

// onPing handles the peer's PING: the PONG is queued by the caller; a TTL
// re-arms the deadline the peer asked for.
func (c *Conn) onPing(ttl uint16) {
	if ttl == 0 {
		return
	}
	c.hb.ttlNs = int64(ttl) * int64(100*time.Millisecond)
	c.thread.CancelTimer(c.hb.ttlTimer)
	c.hb.ttlTimer = c.thread.AddTimer(time.Duration(c.hb.ttlNs), c.checkTTL)
}

// checkTTL closes the connection if the peer has been silent for its TTL.
func (c *Conn) checkTTL() {
	c.hb.ttlTimer = nil
	if c.state != stActive {
		return
	}
	silent := MonoNow() - c.lastRecv.Load()
	if silent >= c.hb.ttlNs {
		c.close(errHeartbeat)
		return
	}
	c.hb.ttlTimer = c.thread.AddTimer(time.Duration(c.hb.ttlNs-silent), c.checkTTL)
}

// queuePing appends a due PING to the output; the holder of the output
// token (ioPump) only.
func (c *Conn) queuePing() {
	if !c.hb.pingDue {
		return
	}
	ttl := uint16(min(c.sess.opts.HeartbeatTTL/(100*time.Millisecond), 0xffff))
	if c.queueControl(func(b []byte) []byte { return zmtp.AppendPing(b, ttl, nil) }) {
		c.hb.pingDue = false
	}
}
