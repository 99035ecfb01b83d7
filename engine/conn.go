//go:build linux

package engine

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"syscall"

	"github.com/zring/zring/poll"
	"github.com/zring/zring/zmtp"
	"golang.org/x/sys/unix"
)

// Buffer sizes and work caps of a connection.
const (
	readBufBytes      = 64 << 10 // one read(2) per pass, as libzmq's in_batch_size but larger
	writeBufBytes     = 64 << 10 // frames are encoded here, then one write(2)
	straightBodyBytes = 8 << 10  // bodies this large are written straight from their own frame
	readsPerEvent     = 16       // then the rest is deferred to the next loop pass
)

// errHandshakeTimeout closes a connection whose peer stalls the handshake.
var errHandshakeTimeout = errors.New("zring: handshake timed out")

type connState uint8

const (
	stConnecting connState = iota // non-blocking connect in progress
	stGreeting                    // waiting for the peer's 64-byte greeting
	stHandshake                   // greeting done, waiting for READY
	stActive                      // messages flow
	stClosed
)

// Conn is one TCP or ipc connection speaking ZMTP 3.x (or plain bytes, for
// STREAM), driven by its session's I/O thread. Its fields are owned by that
// thread except the output state (whoever holds outTok; see conn_out.go)
// and the input state (whoever holds inTok; see conn_direct.go).
//
// Names: out* and in* are the two directions' tokens and what acts on them
// (outTok, outWant, outAcquire, outRelease; inTok, inWant, inAcquire,
// inRelease). io* and user* say who does the work: the I/O thread (ioPump,
// ioRead) or a user goroutine (userWrite, the sender's speculative write;
// userRead, the receiver's direct read). "Direct read" names only that
// receiving path (in.onUser while a goroutine holds inTok); a large body
// written from its own frame, not copied into the buffer, is written
// "straight" (out.body, straightBodyBytes).
type Conn struct {
	sess   *Session
	thread *Thread
	fd     int
	reg    Registration
	state  connState

	// connectTimer bounds a connect attempt (CONNECT_TIMEOUT): armed by
	// newConn, cancelled when the connect completes (connected) or the
	// connection closes. hsTimer bounds the handshake (HANDSHAKE_IVL):
	// armed by startHandshake, cancelled when it completes (handshakeDone)
	// or the connection closes. Each is nil when not pending, so no timer
	// outlives its phase or keeps a closed connection reachable.
	connectTimer *Timer
	hsTimer      *Timer

	greet    [zmtp.GreetingSize]byte
	greetN   int
	dec      *zmtp.Decoder
	hs       zmtp.Mechanism
	zapID    string // the ZAP request the handshake waits for, if any
	readFn   func() // pre-bound onReadable, for Defer
	inCallFn func() // pre-bound inCall, posted by a goroutine releasing inTok
	ioPumpFn func() // pre-bound ioPump, posted by a releasing sender
	// zapReplyFn is the pre-bound zapReply, handed to ZAP.Request.
	zapReplyFn func(string, zmtp.ZAPReply, error)
	closeErr   error // why the connection closed; reported once fully closed
	// subCommands: this SUB or XSUB sends subscriptions as 3.1 commands
	// (the peer speaks 3.1). Set with the greeting; read by the holder of
	// the output token once the connection is active.
	subCommands bool
	// dish: this DISH sends its membership messages as JOIN and LEAVE,
	// and checks each RADIO message is a group and a body. radio: this
	// RADIO drops the data frames its DISH peers have no business
	// sending, as libzmq does. Set at creation.
	dish, radio bool
	// CURVE's MESSAGE codec (conn_curve.go): seal is owned by the holder
	// of outTok, open by the holder of inTok. nil for NULL and PLAIN.
	seal *zmtp.CurveSealer
	open *zmtp.CurveOpener
	// raw: a STREAM connection, plain TCP without ZMTP. Set at creation.
	raw bool
	// ws bridges a wss:// connection to fd (ws_bridge.go); wsn translates
	// a ws:// one inside the Conn (ws_native.go). Both nil for tcp and
	// ipc. Set at creation.
	ws  *wsBridge
	wsn *wsNative
	// wasUp: the connection had completed its handshake when it closed.
	wasUp     bool
	outQueued bool // decoding queued a command to send

	// PING replies, owned by the I/O thread and merged into the output by
	// ioPump.
	hb heartbeat
	// lastRecv is when bytes last arrived (MonoNow), for
	// heartbeats; stored by whoever holds inTok.
	lastRecv atomic.Int64
	pong     [zmtp.MaxPingContext]byte
	pongLen  int
	pongDue  bool

	// in, dec and the producer side of the pipe's in ring are owned by
	// whoever holds inTok: the I/O thread or, for a direct read, the
	// goroutine blocked in Recv. inWant holds the work the I/O thread could
	// not do because inTok was held (wantRead, wantCall).
	in       inbound
	inTok    atomic.Int32
	inWant   atomic.Uint32
	inMine   bool // I/O thread only: it holds inTok
	directRd directRead
	// out is owned by whoever holds outTok: the I/O thread or, for a
	// speculative write, the goroutine sending (userWrite). outWant is set
	// by the I/O thread when it found outTok held (see outAcquire).
	out     outbound
	outTok  atomic.Int32
	outWant atomic.Bool
}

func newConn(ss *Session, fd int, connecting bool, ws wsLink) (*Conn, error) {
	t := ss.opts.Type
	c := &Conn{sess: ss, thread: ss.thread, fd: fd, dec: zmtp.NewDecoder(ss.opts.MaxMsgSize), raw: t == zmtp.Stream,
		dish: t == zmtp.Dish, radio: t == zmtp.Radio, ws: ws.bridge, wsn: ws.native}
	c.readFn = c.onReadable
	c.inCallFn = c.inCall
	c.directRd.readFn = c.userRead
	c.ioPumpFn = c.ioPump
	c.zapReplyFn = c.zapReply
	reg, err := c.thread.Register(fd, c, poll.Readable|poll.Writable)
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	c.reg = reg
	if connecting {
		c.state = stConnecting
		c.armConnectTimeout()
		return c, nil
	}
	c.startHandshake()
	return c, nil
}

// OnEvent handles readiness (edge-triggered).
func (c *Conn) OnEvent(ev poll.Events) {
	if c.state == stConnecting {
		c.connected()
		return
	}
	if ev&(poll.Readable|poll.Hangup) != 0 {
		c.onReadable()
	}
	if ev&poll.Writable != 0 && c.state != stClosed {
		c.ioPump()
	}
}

func (c *Conn) connected() {
	c.stopConnectTimeout() // the connect phase is over, whatever its result
	if err := connectResult(c.fd); err != nil {
		c.close(err)
		return
	}
	if err := c.sess.opts.TCP.tune(c.fd, c.sess.addr.fam); err != nil {
		c.close(err)
		return
	}
	c.sess.sock.Event(EventConnected, uint32(c.fd), c.sess.endpoint, nil)
	c.startHandshake()
}

// startHandshake sends our greeting at once (all 64 bytes: libzmq parses any
// fragmentation) and starts reading the peer's.
func (c *Conn) startHandshake() {
	if c.raw {
		c.state = stActive // no greeting, no handshake: plain TCP
		c.sess.connReady(c)
		// Edge-triggered: bytes or an EOF that came with the connect's
		// completion were reported in that event, and no other will come.
		if c.state != stClosed {
			c.onReadable()
		}
		return
	}
	c.state = stGreeting
	c.hs = c.sess.newMechanism()
	c.out.queue(func(b []byte) []byte { return zmtp.AppendGreeting(b, c.hs.Name(), c.sess.opts.Security.Server) })
	if ivl := c.sess.opts.HandshakeIvl; ivl > 0 {
		c.hsTimer = c.thread.AddTimer(ivl, func() {
			c.hsTimer = nil // fired
			c.close(errHandshakeTimeout)
		})
	}
	c.ioPump()
	if c.state != stClosed {
		c.onReadable()
	}
}

// onGreeting consumes greeting bytes from p and returns how many it used.
func (c *Conn) onGreeting(p []byte) (int, error) {
	n := copy(c.greet[c.greetN:], p)
	c.greetN += n
	if err := zmtp.CheckSignature(c.greet[:min(c.greetN, 11)]); err != nil {
		return n, protocolError(err)
	}
	if c.greetN < zmtp.GreetingSize {
		return n, nil
	}
	g, err := zmtp.ParseGreeting(c.greet[:])
	if err != nil {
		return n, protocolError(err)
	}
	if g.Mechanism != c.hs.Name() {
		return n, protocolError(fmt.Errorf("%w: peer speaks %s, we %s", zmtp.ErrBadMechanism, g.Mechanism, c.hs.Name()))
	}
	c.state = stHandshake
	t := c.sess.opts.Type
	c.subCommands = (t == zmtp.Sub || t == zmtp.XSub) && g.EffectiveMinor() >= 1
	return n, c.hsRun(c.hs.Start)
}

// hsRun makes one mechanism call that may append commands to the output,
// and acts on the step it reports.
func (c *Conn) hsRun(call func(dst []byte) ([]byte, zmtp.Step, error)) error {
	var step zmtp.Step
	var err error
	c.out.queue(func(b []byte) []byte {
		b, step, err = call(b)
		return b
	})
	c.outQueued = true
	if err != nil {
		return protocolError(err)
	}
	switch step {
	case zmtp.StepZAP:
		return c.askZAP()
	case zmtp.StepDone:
		c.handshakeDone()
	}
	return nil
}

// onCommand handles a command frame's body.
func (c *Conn) onCommand(body []byte) error {
	if c.state == stHandshake {
		return c.hsRun(func(dst []byte) ([]byte, zmtp.Step, error) { return c.hs.Command(dst, body) })
	}
	name, data, err := zmtp.ParseCommand(body)
	if err != nil {
		return protocolError(err)
	}
	switch string(name) {
	case "PING":
		ttl, ctx, err := zmtp.ParsePing(data)
		if err != nil {
			return protocolError(err)
		}
		c.onPing(ttl)
		c.pongLen = copy(c.pong[:], ctx)
		c.pongDue = true
	case "ERROR":
		reason, _ := zmtp.ParseError(data)
		return protocolError(&zmtp.PeerError{Reason: reason})
	}
	// Anything else (PONG, unknown commands) is ignored, as libzmq does.
	return nil
}

func (c *Conn) handshakeDone() {
	c.state = stActive
	c.thread.CancelTimer(c.hsTimer)
	c.hsTimer = nil
	c.startCurve()
	c.sess.sock.Event(EventHandshakeSucceeded, 0, c.sess.endpoint, nil)
	c.startHeartbeat()
	c.sess.connReady(c)
}

// close shuts the connection down; err is nil when the session itself
// asked, otherwise the session is told once the connection is fully closed.
func (c *Conn) close(err error) {
	if c.state == stClosed {
		return
	}
	if c.ws != nil && err != nil {
		err = c.ws.explain(err)
	}
	// First stop new speculative writes: a sender that learns of the close
	// (a DISCONNECTED event) must not hand its next message to this
	// connection.
	if c.sess.live.Load() == c {
		c.sess.live.Store(nil)
	}
	c.report(c.state, err)
	c.wasUp = c.state == stActive
	if c.state == stGreeting || c.state == stHandshake {
		c.flushHandshake()
	}
	c.state = stClosed
	c.closeErr = err
	c.stopConnectTimeout()
	c.thread.CancelTimer(c.hsTimer)
	c.hsTimer = nil
	if c.zapID != "" {
		c.sess.sock.ZAP().Cancel(c.zapID)
	}
	c.stopHeartbeat()
	c.thread.Unregister(c.reg)
	c.finishClose()
}

// flushHandshake makes one non-blocking attempt to write what the
// handshake queued (our READY) before the connection closes, so a peer we
// refuse can see why itself. Only the I/O thread writes before the
// connection is active.
func (c *Conn) flushHandshake() {
	if o := &c.out; o.buf != nil && o.off < o.end {
		if c.wsn != nil {
			_, _ = c.wsWrite(o.buf.Bytes()[o.off:o.end])
			return
		}
		_, _ = unix.Write(c.fd, o.buf.Bytes()[o.off:o.end])
	}
}

// report raises the monitor events for a connection closing in state st
// because of err (nil when the session asked, which libzmq does not
// report): a failed connect attempt is CLOSED, an ended connection
// DISCONNECTED, after a HANDSHAKE_FAILED_* if it never completed.
func (c *Conn) report(st connState, err error) {
	s, fd, ep := c.sess.sock, uint32(c.fd), c.sess.endpoint
	if isProtocolError(err) {
		c.sess.opts.Counters.ProtocolErrors.Add(1)
	}
	switch {
	case err == nil:
	case st == stConnecting:
		s.Event(EventClosed, fd, ep, err)
	default:
		// libzmq reports a CURVE MESSAGE that fails to open as a
		// handshake failure even on an established connection.
		if st != stActive || errors.Is(err, zmtp.ErrCrypto) || errors.Is(err, zmtp.ErrNonce) {
			t, v := handshakeFailure(err)
			s.Event(t, v, ep, err)
		}
		s.Event(EventDisconnected, fd, ep, err)
	}
}

// finishClose closes the fd once no goroutine reads or writes it: it takes
// the input token, then the output token. Neither is released afterwards,
// so a goroutine holding a stale pointer to this connection falls back to
// the I/O thread.
func (c *Conn) finishClose() {
	if c.fd < 0 {
		return
	}
	if !c.inMine {
		if !c.inAcquire(wantCall) {
			return // the reader's release posts inCall, which retries
		}
	}
	c.flushIn() // whole messages already received are still delivered
	c.in.reset()
	if !c.outAcquire() {
		return // the holder's release posts ioPump, which retries
	}
	if c.ws != nil {
		c.ws.drainBy(c.sess.drainDeadline())
	}
	if c.wsn != nil {
		c.wsGoodbye()
	}
	unix.Close(c.fd)
	c.fd = -1
	c.eraseCurve()
	c.directRd.close()
	if c.sess.terminating && c.sess.pipe != nil {
		// A direct reader may have delivered after the session drained
		// the ring; the socket is closed, so this thread consumes.
		c.sess.pipe.DrainIn()
	}
	c.out.reset()
	if c.closeErr != nil {
		if c.wasUp && !c.sess.terminating {
			c.sess.notice() // DISCONNECT_MSG or HICCUP_MSG, under inTok
		}
		c.sess.connClosed(c.closeErr, c.wasUp)
	}
}

// directRead is the state of the direct read (conn_direct.go).
type directRead struct {
	file   atomic.Pointer[os.File] // dup of fd in Go's netpoller, made lazily; closed by finishClose
	raw    syscall.RawConn         // file's; inTok holder only
	readFn func(uintptr) bool      // pre-bound conn.userRead
	dlSet  bool                    // inTok holder only: file may have a read deadline
	broken bool                    // inTok holder only: the dup failed, never read directly
}

// ioError classifies a read/write failure.
func ioError(op string, err error) error {
	if err == nil {
		return io.EOF
	}
	return os.NewSyscallError(op, err)
}
