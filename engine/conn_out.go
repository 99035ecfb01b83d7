//go:build linux

package engine

import (
	"errors"

	"github.com/zring/zring/mempool"
	"github.com/zring/zring/zmtp"
	"golang.org/x/sys/unix"
)

// outbound is a connection's send state. Frames are encoded into buf and
// written with one write(2); a large body (straightBodyBytes or more) is
// written straight from its frame instead of being copied (body).
//
// Ownership: whoever holds conn.outTok, which is the I/O thread or, for a
// speculative write, the goroutine sending on the socket (see userWrite).
// Before the handshake completes only the I/O thread can take it.
type outbound struct {
	buf      *mempool.Frame // encode buffer, held only while output is pending
	off, end int            // unwritten bytes are buf[off:end]
	msg      *mempool.Frame // message being encoded, released once written
	next     *mempool.Frame // next frame of msg to encode
	body     []byte         // unwritten part of a body written straight from its frame
	sealed   *mempool.Frame // CURVE: the MESSAGE body points into, if any
	ctl      [ctlBytes]byte // PING and PONG waiting for a frame boundary
	ctlLen   int
	staged   []byte // ws:// (ws_native.go): WebSocket bytes translated, not yet written
	active   bool   // handshake done: messages may be taken from the pipe
	blocked  bool   // the last write hit EAGAIN; a writable event follows
	err      error  // a write failed; the I/O thread closes the connection
}

// streamGapNs is the pause after which a send counts as isolated and is
// written speculatively by the sender.
const streamGapNs = 50_000

// Token values, of conn.outTok and conn.inTok.
const (
	tokFree int32 = iota
	tokHeld
)

// ctlBytes holds one PING and one PONG, sealed under CURVE.
const ctlBytes = 128

func (o *outbound) reset() {
	if o.buf != nil {
		o.buf.Release()
	}
	if o.sealed != nil {
		o.sealed.Release()
	}
	// What was half written is lost, as in libzmq's encoder.
	mempool.ReleaseChain(o.msg)
	*o = outbound{}
}

// room returns the encode buffer's free tail.
func (o *outbound) room() []byte {
	if o.buf == nil {
		o.buf = mempool.Get(writeBufBytes)
	}
	if o.off == o.end {
		o.off, o.end = 0, 0
	}
	return o.buf.Bytes()[o.end:]
}

// queue appends bytes produced by fn (the greeting or a handshake
// command) to the buffer, which holds nothing else before the connection
// is active.
func (o *outbound) queue(fn func([]byte) []byte) {
	o.end += len(fn(o.room()[:0]))
}

// queueControl puts a PING or PONG frame made by cmd into ctl, sealed as
// a CURVE MESSAGE if the connection is encrypted; fill moves it into the
// buffer at the next frame boundary, never into a half-written body. It
// reports false when ctl is full (the caller retries later). Holder of
// outTok only: sealing takes the next nonce, and ctl reaches the wire
// before any frame sealed after it.
func (c *Conn) queueControl(cmd func([]byte) []byte) bool {
	o := &c.out
	var tmp [ctlBytes / 2]byte
	frame := cmd(tmp[:0])
	dst := o.ctl[o.ctlLen:o.ctlLen]
	if c.seal == nil {
		if cap(dst) < len(frame) {
			return false
		}
		o.ctlLen += len(append(dst, frame...))
		return true
	}
	// A control command is under 256 bytes: a 2-byte header, whose size
	// byte becomes the flags byte of the MESSAGE's plaintext.
	plain := tmp[1:len(frame)]
	plain[0] = zmtp.CurveFlagCommand
	if cap(dst) < zmtp.CurveMessageLen(len(plain)-1) {
		return false
	}
	o.ctlLen += len(c.seal.AppendMessage(dst, plain))
	return true
}

// flushControl moves queued PING and PONG into the buffer; false when the
// buffer lacks room. Called at a frame boundary only.
func (o *outbound) flushControl() bool {
	room := o.room()
	if len(room) < o.ctlLen {
		return false
	}
	o.end += copy(room, o.ctl[:o.ctlLen])
	o.ctlLen = 0
	return true
}

func (o *outbound) idle() bool {
	return o.off == o.end && o.body == nil && o.msg == nil && o.ctlLen == 0 && len(o.staged) == 0
}

// outAcquire takes outTok on the I/O thread. When a sending goroutine holds
// it, outWant asks that goroutine to post ioPump on release (outRelease).
// The flag store comes before the second CAS and the holder's release store
// before its flag load, so either the CAS succeeds or the holder sees the
// flag (sequentially consistent atomics).
func (c *Conn) outAcquire() bool {
	if c.outTok.CompareAndSwap(tokFree, tokHeld) {
		return true
	}
	c.outWant.Store(true)
	if c.outTok.CompareAndSwap(tokFree, tokHeld) {
		c.outWant.Store(false)
		return true
	}
	return false
}

// outRelease gives outTok back, on the I/O thread or a sending goroutine,
// and hands over to the I/O thread if it asked (outWant).
func (c *Conn) outRelease() {
	c.outTok.Store(tokFree)
	if c.outWant.Load() && c.outWant.CompareAndSwap(true, false) {
		c.thread.Post(c.ioPumpFn)
	}
}

// userWrite is the speculative write, the sending twin of the direct read
// (userRead): the goroutine that queued a message into an idle pipe takes
// outTok and writes it to the socket itself instead of waking the I/O
// thread, saving a thread hop per message (libzmq always pays it). It
// reports false when the I/O thread holds the token; the caller then posts
// to the I/O thread as usual. Runs with Socket.mu held.
func (c *Conn) userWrite() bool {
	if !c.outTok.CompareAndSwap(tokFree, tokHeld) {
		return false
	}
	// Only a message after an idle spell is written speculatively: the
	// first send after a receive (request/reply turns), or after a pause
	// of the socket. A sender streaming messages hands them to the I/O
	// thread, which batches many per write(2) while the sender keeps
	// producing. The pause is the socket's, not this connection's: a PUSH
	// spreading a stream over 100 connections leaves each one idle between
	// its turns, and writing every message from the sender then cost a
	// syscall per message (150 k msg/s against libzmq's 2 M). The sender
	// holds socket's mutex, which guards its Turn.
	t := c.sess.opts.Turn
	now := MonoNow()
	isolated := t.ReceivedSinceSend || now-t.lastSpeculative >= streamGapNs
	t.lastSpeculative = now
	if !isolated {
		c.outRelease()
		return false
	}
	c.sess.opts.Counters.SpeculativeWrites.Add(1)
	c.pumpOut()
	failed := c.out.err != nil
	c.outRelease()
	if failed {
		c.thread.Post(c.ioPumpFn) // the I/O thread closes the connection
	}
	return true
}

// ioPump writes pending output on the I/O thread.
func (c *Conn) ioPump() {
	if c.state == stClosed {
		c.finishClose()
		return
	}
	if !c.outAcquire() {
		return
	}
	c.queuePing()
	if c.pongDue && c.queueControl(func(b []byte) []byte { return zmtp.AppendPong(b, c.pong[:c.pongLen]) }) {
		c.pongDue = false
	}
	settled := c.pumpOut()
	err := c.out.err
	c.outRelease()
	switch {
	case err != nil:
		c.close(err)
	case settled && c.out.active && c.sess.terminating:
		c.sess.finish() // lingering, and everything queued is written
	}
}

// pumpOut encodes and writes until the pipe is empty and everything is
// written (settled, sleeping on the pipe) or the socket would block.
func (c *Conn) pumpOut() (settled bool) {
	for c.out.err == nil {
		c.fill()
		c.releaseSlots()
		if c.out.idle() {
			if c.settle() {
				return true
			}
			continue
		}
		if !c.writeSome() {
			return false
		}
	}
	return false
}

// settle runs when all output is written. It releases the output buffer,
// returns consumed pipe slots, and sleeps on the pipe; false means messages
// arrived meanwhile.
func (c *Conn) settle() bool {
	o := &c.out
	if o.buf != nil {
		o.buf.Release()
		o.buf = nil
	}
	if !o.active {
		return true
	}
	return c.sess.sleepOut()
}

// releaseSlots returns the slots of messages taken from the pipe since the
// last call, once per encoded batch, so a sender parked at the high-water
// mark resumes while this batch is being written.
func (c *Conn) releaseSlots() { c.sess.releaseOut() }

// fill encodes queued PING and PONG, then messages from the pipe, into the
// buffer until it is full or the pipe is empty. It stops at a large body,
// which is written straight from its frame before anything else is encoded.
func (c *Conn) fill() {
	o := &c.out
	for o.active && o.body == nil {
		if o.ctlLen > 0 && !o.flushControl() {
			return
		}
		if o.next == nil && !c.takeMsg() {
			return
		}
		if !c.encodeFrame() {
			return
		}
	}
}

// takeMsg starts encoding the pipe's next message.
func (c *Conn) takeMsg() bool {
	o := &c.out
	if o.msg != nil {
		mempool.ReleaseChain(o.msg)
		o.msg = nil
	}
	m := c.sess.pipe.Read()
	if m == nil {
		return false
	}
	o.msg, o.next = m, m
	return true
}

// encodeFrame encodes o.next; false when the buffer is full or a large body
// must be written straight first.
func (c *Conn) encodeFrame() bool {
	o := &c.out
	f := o.next
	n := f.Len()
	hdr := zmtp.FrameHeaderLen(n)
	room := o.room()
	var flags byte
	if f.More() {
		flags = zmtp.FlagMore
	}
	if c.raw {
		return c.encodeRaw(f)
	}
	if (c.subCommands || c.dish) && f == o.msg && f.Next() == nil && n > 0 && f.Bytes()[0] <= 1 {
		if size := c.subscriptionFrameLen(f); size <= writeBufBytes {
			return c.encodeSubscription(f, size)
		}
		// A topic too long for the buffer goes as a 3.0 data frame, which
		// every peer accepts.
	}
	if c.seal != nil {
		return c.encodeSealed(f)
	}
	if n >= straightBodyBytes {
		if len(room) < hdr {
			return false
		}
		o.end += len(zmtp.AppendFrameHeader(room[:0], flags, n))
		o.body = f.Bytes()
		o.next = f.Next()
		return false
	}
	if len(room) < hdr+n {
		return false
	}
	b := zmtp.AppendFrameHeader(room[:0], flags, n)
	o.end += len(append(b, f.Bytes()...))
	o.next = f.Next()
	return true
}

// errStreamClose closes a STREAM connection the application asked to close
// by sending it an empty message.
var errStreamClose = errors.New("zring: STREAM connection closed by the application")

// encodeRaw queues a STREAM message's bytes with no framing. An empty
// message closes the connection once everything before it is written.
func (c *Conn) encodeRaw(f *mempool.Frame) bool {
	o := &c.out
	n := f.Len()
	if n == 0 {
		if o.off == o.end {
			o.err = errStreamClose
		}
		return false
	}
	if n >= straightBodyBytes {
		o.body = f.Bytes()
		o.next = f.Next()
		return false
	}
	room := o.room()
	if len(room) < n {
		return false
	}
	o.end += copy(room, f.Bytes())
	o.next = f.Next()
	return true
}

// subscriptionFrameLen is the encoded size of the subscription or
// membership message f ([0x01|topic] or [0x00|topic]) as a 3.1 command,
// sealed under CURVE.
func (c *Conn) subscriptionFrameLen(f *mempool.Frame) int {
	body := len(c.subscriptionName(f)) + f.Len() - 1
	if c.seal != nil {
		return zmtp.CurveMessageLen(body)
	}
	return zmtp.FrameHeaderLen(body) + body
}

// subscriptionName is the name of the command carrying f, with its length
// byte: SUBSCRIBE or CANCEL, or on a DISH JOIN or LEAVE.
func (c *Conn) subscriptionName(f *mempool.Frame) string {
	on := f.Bytes()[0] == 1
	switch {
	case c.dish && on:
		return "\x04" + zmtp.CmdJoin
	case c.dish:
		return "\x05" + zmtp.CmdLeave
	case on:
		return "\x09" + zmtp.CmdSubscribe
	}
	return "\x06" + zmtp.CmdCancel
}

// encodeSubscription encodes a subscription or membership message as its
// 3.1 command (a SUB, XSUB or DISH sends nothing else in that form); false
// when the buffer lacks room.
func (c *Conn) encodeSubscription(f *mempool.Frame, size int) bool {
	o := &c.out
	room := o.room()
	if len(room) < size {
		return false
	}
	name, data := c.subscriptionName(f), f.Bytes()[1:]
	if c.seal != nil {
		c.sealInto(room, zmtp.CurveFlagCommand, name, data)
	} else {
		o.end += len(zmtp.AppendCommand(room[:0], name[1:], data))
	}
	o.next = nil
	return true
}

// writeSome writes buffered bytes, then any body written straight. It
// returns false when the socket would block or the write failed.
func (c *Conn) writeSome() bool {
	o := &c.out
	if o.off < o.end {
		n, ok := c.write(o.buf.Bytes()[o.off:o.end])
		o.off += n
		return ok
	}
	n, ok := c.write(o.body)
	o.body = o.body[n:]
	if len(o.body) == 0 {
		o.body = nil
		if o.sealed != nil {
			o.sealed.Release()
			o.sealed = nil
		}
		if o.next == nil {
			mempool.ReleaseChain(o.msg)
			o.msg = nil
		}
	}
	return ok
}

// write writes b to the connection: one write(2), translated for ws://;
// ok is false on EAGAIN or error.
func (c *Conn) write(b []byte) (int, bool) {
	if c.wsn != nil {
		return c.wsWrite(b)
	}
	return c.sysWrite(b)
}

// sysWrite does one write(2); ok is false on EAGAIN or error.
func (c *Conn) sysWrite(b []byte) (int, bool) {
	for {
		n, err := unix.Write(c.fd, b)
		switch err {
		case nil:
			c.out.blocked = false
			return n, true
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			c.out.blocked = true
			return 0, false
		default:
			c.out.err = ioError("write", err)
			return 0, false
		}
	}
}
