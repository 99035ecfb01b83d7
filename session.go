package zring

import (
	"bytes"
	"errors"
	"sync/atomic"
	"time"

	"github.com/zring/zring/internal/pipe"

	"github.com/zring/zring/engine"
	"github.com/zring/zring/zmtp"
	"golang.org/x/sys/unix"
)

// session owns one peer's pipe on an I/O thread and the connection that
// currently serves it. A connecting session outlives its connections: it
// reconnects and keeps the messages queued meanwhile, as libzmq does. An
// accepted session ends with its connection.
//
// Every field is owned by the session's thread, except those set before the
// session is first posted there.
type session struct {
	sock     *Socket
	thread   *engine.Thread
	opts     options   // snapshot taken when the session was made
	addr     *netAddr  // non-nil for a connecting session
	endpoint string    // connected, or the listener's, for monitor events
	listener *listener // the listener that accepted it, for Unbind
	src      *netAddr  // the source address of a "tcp://src;dst" connect
	// connectRID is the CONNECT_ROUTING_ID given for this connect: it names
	// pipes made at the handshake (STREAM, IMMEDIATE).
	connectRID []byte

	pipe        *pipe.SessionEnd // nil until an accepted session completes its handshake
	conn        *conn
	retry       *engine.Timer
	lingerTimer *engine.Timer
	terminating bool          // the socket closed; deliver what is queued, then end
	handshaken  bool          // a connection of this session completed its handshake
	backoff     time.Duration // the next reconnect interval before jitter (reconnect.go)
	finished    bool

	// live is the connection while it is up, for speculative writes by
	// the sender (conn.userPump) and direct reads by the receiver: stored
	// by this thread after the handshake, cleared before the connection
	// closes, loaded by the socket's goroutines.
	live atomic.Pointer[conn]

	// Pre-bound method values, so pipes post them without allocating.
	activateOutFn func()
	resumeInFn    func()
}

func newSession(s *Socket, t *engine.Thread, addr *netAddr, endpoint string) *session {
	ss := &session{sock: s, thread: t, addr: addr, endpoint: endpoint}
	ss.activateOutFn = ss.activateOut
	ss.resumeInFn = ss.resumeIn
	return ss
}

// acceptSession starts a session for an accepted connection. Runs on the
// listener's thread; the session itself runs on t.
func acceptSession(s *Socket, t *engine.Thread, fd int, l *listener) {
	ss := newSession(s, t, nil, l.endpoint)
	ss.listener = l
	if !s.register(ss) {
		unix.Close(fd)
		return
	}
	t.Post(func() { ss.startConn(fd, false) })
}

// connectSession makes a connecting session and its pipe, which is attached
// to the socket at once so messages sent before the connection is up are
// queued (libzmq's default). With IMMEDIATE the pipe waits for the
// handshake instead, so nothing is queued for a peer that is not there; a
// ROUTER cannot address a peer before it knows its routing id, so its pipe
// waits too, unless CONNECT_ROUTING_ID names the peer in advance.
func (s *Socket) connectSession(a netAddr, src *netAddr, endpoint string) error {
	ss := newSession(s, s.ctx.eng.ChooseAmong(s.affinity()), &a, endpoint)
	ss.src = src
	if !s.register(ss) {
		return ErrClosed
	}
	s.mu.Lock()
	rid := s.opts.connectRoutingID
	s.opts.connectRoutingID = nil // used once
	ss.connectRID = rid
	if s.typ != Stream && !s.opts.immediate && (s.typ != Router || rid != nil) {
		p := ss.newPipe()
		p.RoutingID = rid
		s.runCommand(command{kind: cmdAttach, p: p})
	}
	s.mu.Unlock()
	ss.thread.Post(ss.connect)
	return nil
}

func (ss *session) connect() {
	ss.retry = nil
	if ss.finished {
		return
	}
	fd, err := connectTo(*ss.addr, ss.src, &ss.opts.tcp)
	if err != nil {
		ss.connClosed(err, false)
		return
	}
	ss.sock.emit(EventConnectDelayed, uint32(unix.EINPROGRESS), ss.endpoint, nil)
	ss.startConn(fd, true)
}

func (ss *session) startConn(fd int, connecting bool) {
	if ss.finished {
		unix.Close(fd)
		return
	}
	c, err := newConn(ss, fd, connecting)
	if err != nil {
		ss.connClosed(err, false)
		return
	}
	ss.conn = c
}

func (ss *session) scheduleRetry() {
	if ss.terminating && ss.outEmpty() {
		ss.finish()
		return
	}
	wait := ss.nextRetry()
	ss.sock.emit(EventConnectRetried, uint32(wait.Milliseconds()), ss.endpoint, nil)
	ss.retry = ss.thread.AddTimer(wait, ss.connect)
}

// connReady runs when a connection completed its handshake.
func (ss *session) connReady(c *conn) {
	attach := ss.pipe == nil
	if attach {
		p := ss.newPipe()
		// CONNECT_ROUTING_ID, if the connect named the peer, else its own.
		p.RoutingID = ss.connectRID
		if p.RoutingID == nil && c.hs != nil {
			p.RoutingID = bytes.Clone(c.hs.Peer().Identity)
		}
	}
	// Before the attach: what the pattern queues on attach (a STREAM's
	// connect notice) carries this Metadata.
	ss.pipe.SetMetadata(c.metadata())
	if attach {
		ss.sock.post(command{kind: cmdAttach, p: ss.pipe.Socket()})
	}
	if ss.handshaken {
		ss.sock.post(command{kind: cmdHiccup, p: ss.pipe.Socket()})
	}
	ss.handshaken = true
	ss.backoff = 0 // a success restarts the backoff
	// No sender can hold the output token before the pipe publishes the
	// connection, so the I/O thread may still touch c.out directly here.
	c.out.active = true
	ss.live.Store(c)
	c.ioPump()
}

// newPipe makes the session's pipe, with the high-water marks and CONFLATE
// of its options snapshot, and returns the socket's end.
func (ss *session) newPipe() *pipe.Pipe {
	p := pipe.New(ss.opts.sndHWM, ss.opts.rcvHWM, ss.opts.conflate)
	p.SetFar(ss)
	ss.pipe = p.Session()
	return p
}

// connClosed runs when the current connection ended with err; wasUp tells
// whether it had completed its handshake.
func (ss *session) connClosed(err error, wasUp bool) {
	ss.conn = nil
	if (ss.opts.immediate || ss.sock.typ == Stream) && ss.pipe != nil && !ss.finished {
		// IMMEDIATE or STREAM: the peer is gone, so is its pipe. The socket delivers
		// what was received and drops what was queued for it; the next
		// connection brings a new pipe.
		ss.sock.post(command{kind: cmdDetach, p: ss.pipe.Socket()})
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

// isProtocolError tells a peer that broke ZMTP from a transport failure.
func isProtocolError(err error) bool {
	var pe *zmtpError
	return errors.As(err, &pe)
}

// activateOut runs when the socket queued a message into a pipe whose
// session slept on it.
func (ss *session) activateOut() {
	if ss.conn != nil {
		ss.conn.ioPump()
	}
}

// resumeIn runs when the socket freed room in a pipe the connection had
// filled.
func (ss *session) resumeIn() {
	if ss.conn != nil {
		ss.conn.inCall()
	}
}

// The session is its pipe's Far: the socket's goroutines call these with
// the socket's mutex held, and each hands the work to the session's thread
// by a post (pre-bound for the per-message ones), except the speculative
// write.

// WakeReader runs when the socket queued a message into a pipe the session
// slept on: the sender writes it itself if the connection is up and idle
// (conn.userPump), else the I/O thread is woken.
func (ss *session) WakeReader() {
	if c := ss.live.Load(); c == nil || !c.userPump() {
		ss.thread.Post(ss.activateOutFn)
	}
}

// WakeWriter runs when the socket freed room in a pipe the connection had
// filled.
func (ss *session) WakeWriter() { ss.thread.Post(ss.resumeInFn) }

// Refuse runs when the socket declined the pipe; see refuse.
func (ss *session) Refuse(why error) { ss.thread.Post(func() { ss.refuse(why) }) }

// Drop runs when the socket no longer wants the peer; see drop.
func (ss *session) Drop() { ss.thread.Post(ss.drop) }

// refuse runs when the socket declined the pipe (PAIR's second peer, a
// routing id in use), why (nil when the socket is closing) becoming the
// reason the connection's monitor events carry. A connecting session
// whose pipe, made at connect time, was refused before any handshake (a
// PAIR whose previous peer is still going away, as after Disconnect then
// Connect) keeps connecting, as libzmq's does: the handshake brings a new
// pipe, refused in turn only if the other peer is still there.
func (ss *session) refuse(why error) {
	if why == ErrPeerRefused && ss.addr != nil && !ss.handshaken && !ss.terminating && !ss.finished {
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
func (ss *session) drop() {
	ss.finish()
}

// terminate runs when the socket closed. The socket no longer reads, so
// inbound messages are dropped; queued outbound ones are delivered until the
// linger period ends.
func (ss *session) terminate(linger time.Duration) {
	if ss.finished {
		return
	}
	ss.terminating = true
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

// outEmpty reports whether nothing is left to send: the pipe is empty and the
// connection, if any, has written everything.
func (ss *session) outEmpty() bool {
	if ss.conn != nil && !ss.conn.out.idle() {
		return false
	}
	if ss.pipe == nil {
		return true
	}
	return ss.pipe.OutEmpty()
}

// finish ends the session for good.
func (ss *session) finish() {
	if ss.finished {
		return
	}
	ss.finished = true
	ss.thread.CancelTimer(ss.retry)
	ss.thread.CancelTimer(ss.lingerTimer)
	if ss.conn != nil {
		ss.conn.close(nil)
	}
	if ss.pipe != nil {
		if ss.terminating {
			// The socket has stopped using the pipe: drain both rings.
			ss.pipe.DrainOut()
			ss.pipe.DrainIn()
		} else {
			ss.sock.post(command{kind: cmdDetach, p: ss.pipe.Socket()})
		}
	}
	ss.sock.unregister(ss)
	ss.sock.ctx.lingering.Done()
}

// zmtpError marks a connection closed for breaking the protocol.
type zmtpError struct{ err error }

// Error is the underlying protocol error's text.
func (e *zmtpError) Error() string { return e.err.Error() }

// Unwrap exposes the zmtp sentinel for errors.Is.
func (e *zmtpError) Unwrap() error { return e.err }

func protocolError(err error) error {
	if err == nil {
		err = zmtp.ErrUnexpectedCommand
	}
	return &zmtpError{err: err}
}
