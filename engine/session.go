//go:build linux

package engine

import (
	"bytes"
	"sync/atomic"
	"time"

	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/internal/zerr"

	"github.com/zring/zring/zmtp"
	"golang.org/x/sys/unix"
)

// Session owns one peer's pipe on an I/O thread and the connection that
// currently serves it (libzmq's session_base_t). A connecting session
// outlives its connections: it reconnects and keeps the messages queued
// meanwhile, as libzmq does. An accepted session ends with its connection.
// It is its pipe's Far.
//
// Every field is owned by the session's thread, except those set before the
// session is first posted there and live.
type Session struct {
	sock     Socket
	thread   *Thread
	opts     SessionOptions // snapshot taken when the session was made
	addr     *Addr          // non-nil for a connecting session
	endpoint string         // connected, or the listener's, for monitor events
	listener *Listener      // the listener that accepted it, for Unbind
	src      *Addr          // the source address of a "tcp://src;dst" connect

	pipe        *pipe.SessionEnd // nil until an accepted session completes its handshake
	conn        *Conn
	udp         *udpLink // serves the pipe instead of connections on udp:// (OpenUDP)
	retry       *Timer
	dialCancel  func() // ends a ws:// dial or a name lookup in progress
	lingerTimer *Timer
	terminating bool          // the socket closed; deliver what is queued, then end
	lingerEnd   time.Time     // when a terminating session's linger ends; zero: never
	handshaken  bool          // a connection of this session completed its handshake
	backoff     time.Duration // the next reconnect interval before jitter (reconnect.go)
	finished    bool

	// live is the connection while it is up, for speculative writes by
	// the sender (Conn.userWrite) and direct reads by the receiver: stored
	// by this thread after the handshake, cleared before the connection
	// closes, loaded by the socket's goroutines.
	live atomic.Pointer[Conn]
	// dropped: the socket asked the session to end (Drop), so Disconnect
	// and Unbind no longer find it while it ends. Any goroutine.
	dropped atomic.Bool

	// Pre-bound method values, so pipes post them without allocating.
	activateOutFn func()
	resumeInFn    func()
}

func newSession(s Socket, t *Thread, opts SessionOptions, addr *Addr, endpoint string) *Session {
	ss := &Session{sock: s, thread: t, opts: opts, addr: addr, endpoint: endpoint}
	ss.activateOutFn = ss.activateOut
	ss.resumeInFn = ss.resumeIn
	return ss
}

// acceptSession starts a session for an accepted connection, with ws
// for ws:// and wss:// (else the zero wsLink). Runs on the listener's
// thread; the session itself runs on t.
func acceptSession(s Socket, t *Thread, fd int, l *Listener, ws wsLink) {
	ss := newSession(s, t, s.Options(), nil, l.endpoint)
	ss.listener = l
	if !s.Register(ss) {
		unix.Close(fd)
		return
	}
	t.Post(func() { ss.startConn(fd, false, ws) })
}

// Dial makes a session of sock that will connect to addr from thread t,
// and keep reconnecting (src, if not nil, is the source address of a
// "tcp://src;dst" endpoint); opts is the socket's snapshot for it. The
// socket attaches the pipe Dial returns at once, so messages sent before
// the connection is up are queued (libzmq's default), then calls Start.
// p is nil with IMMEDIATE, where the pipe waits for the handshake so that
// nothing is queued for a peer that is not there, and for a ROUTER, which
// cannot address a peer before it knows its routing id, unless
// CONNECT_ROUTING_ID names the peer in advance. ErrClosed when the socket
// closed meanwhile.
func Dial(sock Socket, t *Thread, opts SessionOptions, addr Addr, src *Addr, endpoint string) (ss *Session, p *pipe.Pipe, err error) {
	ss = newSession(sock, t, opts, &addr, endpoint)
	ss.src = src
	if opts.Type != zmtp.Stream && !opts.Immediate && (opts.Type != zmtp.Router || opts.ConnectRoutingID != nil) {
		p = ss.newPipe()
		p.RoutingID = opts.ConnectRoutingID
	}
	// The pipe is made before the session is registered: the socket's
	// Close finds the session under its mutex, after these writes.
	if !sock.Register(ss) {
		return nil, nil, zerr.ErrClosed
	}
	return ss, p, nil
}

// Start begins connecting a session Dial made, or serving one OpenUDP
// made.
func (ss *Session) Start() {
	if ss.udp != nil {
		ss.thread.Post(ss.udp.start)
		return
	}
	ss.thread.Post(ss.connect)
}

func (ss *Session) connect() {
	ss.retry = nil
	if ss.finished {
		return
	}
	if ss.addr.ws != nil {
		ss.sock.Event(EventConnectDelayed, uint32(unix.EINPROGRESS), ss.endpoint, nil)
		ss.dialWS()
		return
	}
	fd, err := connectTo(*ss.addr, ss.src, &ss.opts.TCP)
	if err != nil {
		ss.connClosed(err, false)
		return
	}
	ss.sock.Event(EventConnectDelayed, uint32(unix.EINPROGRESS), ss.endpoint, nil)
	ss.startConn(fd, true, wsLink{})
}

// startConn starts a connection on fd, with ws for ws:// and wss://
// (else the zero wsLink).
func (ss *Session) startConn(fd int, connecting bool, ws wsLink) {
	if ss.finished {
		unix.Close(fd)
		return
	}
	c, err := newConn(ss, fd, connecting, ws)
	if err != nil {
		ss.connClosed(err, false)
		return
	}
	ss.conn = c
}

func (ss *Session) scheduleRetry() {
	if ss.terminating && ss.outEmpty() {
		ss.finish()
		return
	}
	wait := ss.nextRetry()
	ss.sock.Event(EventConnectRetried, uint32(wait.Milliseconds()), ss.endpoint, nil)
	ss.retry = ss.thread.AddTimer(wait, ss.reconnect)
}

// connReady runs when a connection completed its handshake.
func (ss *Session) connReady(c *Conn) {
	attach := ss.pipe == nil
	if attach {
		p := ss.newPipe()
		// CONNECT_ROUTING_ID, if the connect named the peer, else its own.
		p.RoutingID = ss.opts.ConnectRoutingID
		if p.RoutingID == nil && c.hs != nil {
			p.RoutingID = bytes.Clone(c.hs.Peer().Identity)
		}
	}
	// Before the attach: what the pattern queues on attach (a STREAM's
	// connect notice) carries this Metadata.
	ss.pipe.SetMetadata(c.metadata())
	if attach {
		ss.sock.Command(CmdAttach, ss.pipe.Socket())
	}
	if ss.handshaken {
		ss.sock.Command(CmdHiccup, ss.pipe.Socket())
	}
	ss.handshaken = true
	ss.backoff = 0 // a success restarts the backoff
	// No sender can hold the output token before the pipe publishes the
	// connection, so the I/O thread may still touch c.out directly here.
	ss.queueHello(c)
	c.out.active = true
	ss.live.Store(c)
	c.ioPump()
}

// newPipe makes the session's pipe, with the high-water marks and CONFLATE
// of its options snapshot, and returns the socket's end.
func (ss *Session) newPipe() *pipe.Pipe {
	p := pipe.New(ss.opts.SndHWM, ss.opts.RcvHWM, ss.opts.Conflate)
	p.SetFar(ss)
	ss.pipe = p.Session()
	return p
}

// releaseOut returns the pipe slots of the messages taken since the last
// call, waking a sender parked at the high-water mark.
func (ss *Session) releaseOut() {
	if p := ss.pipe; p != nil && p.Release() {
		ss.sock.Command(CmdActivateWrite, p.Socket())
	}
}

// sleepOut sleeps on the pipe's outbound ring, so the socket's next
// message wakes the session; false when one came meanwhile.
func (ss *Session) sleepOut() bool {
	asleep, wakeWriter := ss.pipe.Sleep()
	if wakeWriter {
		ss.sock.Command(CmdActivateWrite, ss.pipe.Socket())
	}
	return asleep
}

// connClosed runs when the current connection ended with err; wasUp tells
// whether it had completed its handshake.
func (ss *Session) connClosed(err error, wasUp bool) {
	ss.conn = nil
	if (ss.opts.Immediate || ss.opts.Type == zmtp.Stream) && ss.pipe != nil && !ss.finished {
		// IMMEDIATE or STREAM: the peer is gone, so is its pipe. The socket delivers
		// what was received and drops what was queued for it; the next
		// connection brings a new pipe.
		ss.sock.Command(CmdDetach, ss.pipe.Socket())
		ss.pipe, ss.handshaken = nil, false
	}
	switch {
	case ss.finished:
	case ss.addr == nil, isProtocolError(err), ss.stopRetrying(err, wasUp):
		// Accepted sessions end with their connection; libzmq also stops
		// reconnecting after a protocol error such as an invalid pairing,
		// and where RECONNECT_STOP says so.
		ss.finish()
	default:
		// Also while lingering: queued messages still wait for a peer.
		ss.scheduleRetry()
	}
}

// activateOut runs when the socket queued a message into a pipe whose
// session slept on it.
func (ss *Session) activateOut() {
	switch {
	case ss.conn != nil:
		ss.conn.ioPump()
	case ss.udp != nil:
		ss.udp.pump()
	}
}

// resumeIn runs when the socket freed room in a pipe the connection had
// filled.
func (ss *Session) resumeIn() {
	switch {
	case ss.conn != nil:
		ss.conn.inCall()
	case ss.udp != nil:
		ss.udp.resume()
	}
}

// Close ends the session because its socket closed: the socket no longer
// reads, so inbound messages are dropped; queued outbound ones are
// delivered until linger ends (negative: no limit). Any goroutine.
func (ss *Session) Close(linger time.Duration) {
	ss.thread.Post(func() { ss.terminate(linger) })
}

// Connecting reports whether the session connects (and reconnects), or
// sends to a udp:// endpoint connected, as opposed to serving an accepted
// connection or a udp:// bind.
func (ss *Session) Connecting() bool { return ss.addr != nil || ss.udp != nil && !ss.udp.bound }

// UDPBound reports whether the session serves a udp:// bind, which Unbind
// ends.
func (ss *Session) UDPBound() bool { return ss.udp != nil && ss.udp.bound }

// Endpoint is the endpoint connected, or the listener's.
func (ss *Session) Endpoint() string { return ss.endpoint }

// Listener is the listener that accepted the session, nil for a connecting
// one.
func (ss *Session) Listener() *Listener { return ss.listener }

// Thread is the I/O thread the session runs on.
func (ss *Session) Thread() *Thread { return ss.thread }

// Live returns the connection while it is up, for a direct read; nil
// otherwise. Any goroutine.
func (ss *Session) Live() *Conn { return ss.live.Load() }

// The session is its pipe's Far: the socket's goroutines call these with
// the socket's mutex held, and each hands the work to the session's thread
// by a post (pre-bound for the per-message ones), except the speculative
// write.

// WakeReader runs when the socket queued a message into a pipe the session
// slept on: the sender writes it itself if the connection is up and idle
// (conn.userWrite), else the I/O thread is woken.
func (ss *Session) WakeReader() {
	if c := ss.live.Load(); c == nil || !c.userWrite() {
		ss.thread.Post(ss.activateOutFn)
	}
}

// WakeWriter runs when the socket freed room in a pipe the connection had
// filled: the receiver resumes input itself if it can take the
// connection's input token (conn.userResume), else the I/O thread does.
func (ss *Session) WakeWriter() {
	if c := ss.live.Load(); c == nil || !c.userResume() {
		ss.thread.Post(ss.resumeInFn)
	}
}

// Refuse runs when the socket declined the pipe; see refuse.
func (ss *Session) Refuse(why error) { ss.thread.Post(func() { ss.refuse(why) }) }

// Drop runs when the socket no longer wants the peer; see drop.
func (ss *Session) Drop() {
	ss.dropped.Store(true)
	ss.thread.Post(ss.drop)
}

// Dropped reports whether Drop was called. Any goroutine.
func (ss *Session) Dropped() bool { return ss.dropped.Load() }

// refuse runs when the socket declined the pipe (PAIR's second peer, a
// routing id in use), why (nil when the socket is closing) becoming the
// reason the connection's monitor events carry. A connecting session
// whose pipe, made at connect time, was refused before any handshake (a
// PAIR whose previous peer is still going away, as after Disconnect then
// Connect) keeps connecting, as libzmq's does: the handshake brings a new
// pipe, refused in turn only if the other peer is still there.
func (ss *Session) refuse(why error) {
	if why == zerr.ErrPeerRefused && ss.addr != nil && !ss.handshaken && !ss.terminating && !ss.finished {
		ss.pipe = nil
		return
	}
	ss.terminating = true
	if c := ss.conn; c != nil && why != nil && c.state != stClosed {
		c.report(c.state, why)
	}
	ss.finish()
}

// drop runs when the socket no longer wants this peer but still uses its
// pipe (ROUTER_HANDOVER): the session ends as if the peer had left, and the
// socket drains the pipe when it detaches.
func (ss *Session) drop() {
	ss.finish()
}

// terminate runs when the socket closed. The socket no longer reads, so
// inbound messages are dropped; queued outbound ones are delivered until the
// linger period ends.
func (ss *Session) terminate(linger time.Duration) {
	if ss.finished {
		return
	}
	ss.terminating = true
	if linger >= 0 {
		ss.lingerEnd = time.Now().Add(linger)
	}
	if ss.pipe != nil {
		ss.pipe.DrainIn()
	}
	switch {
	case linger == 0, ss.outEmpty():
		ss.finish()
	case linger > 0:
		ss.lingerTimer = ss.thread.AddTimer(linger, ss.finish)
	}
}

// drainDeadline bounds what a closing connection still hands on
// (a ws bridge's buffers): until the linger ends for a socket that
// closed, nothing more otherwise (a failure, Disconnect or Unbind
// discards what is queued, as in libzmq).
func (ss *Session) drainDeadline() time.Time {
	if ss.terminating {
		return ss.lingerEnd
	}
	return time.Now()
}

// outEmpty reports whether nothing is left to send: the pipe is empty and the
// connection, if any, has written everything.
func (ss *Session) outEmpty() bool {
	if ss.conn != nil && !ss.conn.out.idle() || ss.udp != nil && ss.udp.pending != nil {
		return false
	}
	if ss.pipe == nil {
		return true
	}
	return ss.pipe.OutEmpty()
}

// finish ends the session for good.
func (ss *Session) finish() {
	if ss.finished {
		return
	}
	ss.finished = true
	if ss.dialCancel != nil {
		ss.dialCancel()
	}
	ss.thread.CancelTimer(ss.retry)
	ss.thread.CancelTimer(ss.lingerTimer)
	if ss.conn != nil {
		ss.conn.close(nil)
	}
	if ss.udp != nil {
		ss.udp.close()
	}
	if ss.pipe != nil {
		if ss.terminating {
			// The socket has stopped using the pipe: drain both rings.
			ss.pipe.DrainOut()
			ss.pipe.DrainIn()
		} else {
			ss.sock.Command(CmdDetach, ss.pipe.Socket())
		}
	}
	ss.sock.Unregister(ss)
}
