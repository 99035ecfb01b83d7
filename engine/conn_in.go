//go:build linux

package engine

import (
	"fmt"

	"github.com/zring/zring/mempool"
	"github.com/zring/zring/zmtp"
	"golang.org/x/sys/unix"
)

// maxHandshakeFrame bounds the frames a peer may send before its handshake
// completes: far above any handshake command (a CURVE INITIATE with
// metadata is a few hundred bytes), far below what would exhaust memory.
const maxHandshakeFrame = 64 << 10

// inbound is a connection's receive state.
type inbound struct {
	buf        *mempool.Frame // read buffer, held only while it has undecoded bytes
	off, end   int            // undecoded bytes are buf[off:end]
	body       *mempool.Frame // frame whose body the decoder is filling
	head, tail *mempool.Frame // message being assembled
	stalled    *mempool.Frame // complete message waiting for room in the pipe
	unflushed  bool           // messages written to the pipe but not yet flushed

	// Direct read (conn_direct.go): a goroutine decoding here leaves what
	// only the I/O thread may handle in cmd and err, and hands back.
	onUser bool           // inTok is held by a user goroutine (a direct read)
	cmd    *mempool.Frame // command frame decoded by a goroutine
	err    error          // read or protocol error met by a goroutine
}

func (in *inbound) reset() {
	if in.buf != nil {
		in.buf.Release()
	}
	if in.body != nil {
		in.body.Release()
	}
	// A partial message is dropped: delivery is all or nothing.
	mempool.ReleaseChain(in.head)
	mempool.ReleaseChain(in.stalled)
	if in.cmd != nil {
		in.cmd.Release()
	}
	*in = inbound{}
}

// onReadable handles a readable event (or deferred reading) on the I/O
// thread. If a goroutine reads directly, it reads again before it lets go.
func (c *Conn) onReadable() { c.inRun(wantRead) }

// inCall runs input work the I/O thread could not do while a goroutine held
// inTok (posted by that goroutine), or resumes input after the socket made
// room in a full pipe.
func (c *Conn) inCall() { c.inRun(wantCall) }

// inRun takes inTok on the I/O thread and does all pending input work, so
// that clearing inWant on acquisition loses nothing.
func (c *Conn) inRun(want uint32) {
	if !c.inMine && !c.inAcquire(want) {
		return
	}
	if c.state == stClosed {
		c.finishClose() // keeps inTok
		return
	}
	c.ioRead()
	if c.state != stClosed {
		c.inRelease()
	}
}

// ioRead handles what a direct reader left, delivers a stalled message,
// then reads and decodes until the socket would block, the pipe is full, or
// the per-event budget is spent (then the rest is deferred: with
// edge-triggered polling no new event would come for bytes already there).
func (c *Conn) ioRead() {
	if !c.takeLeftovers() {
		return
	}
	if msg := c.in.stalled; msg != nil {
		c.in.stalled = nil
		if c.deliver(msg) {
			c.decode()
		}
	}
	for budget := readsPerEvent; c.state != stClosed && c.in.stalled == nil; budget-- {
		if budget == 0 {
			c.thread.Defer(c.readFn)
			break
		}
		if c.in.off == c.in.end && !c.readSome() {
			break
		}
		c.decode()
		// Publish before the next read(2): in ping-pong that read only
		// finds EAGAIN, and the receiver should not wait for it.
		c.flushIn()
	}
	c.flushIn()
	// Decoding may have queued a READY or a PONG.
	if c.state != stClosed && (c.outQueued || c.pongDue) {
		c.outQueued = false
		c.ioPump()
	}
}

// takeLeftovers handles a command or error a direct reader handed back;
// false means the connection closed.
func (c *Conn) takeLeftovers() bool {
	if f := c.in.cmd; f != nil {
		c.in.cmd = nil
		err := c.onCommand(f.Bytes())
		f.Release()
		if err != nil {
			c.close(err)
			return false
		}
	}
	if err := c.in.err; err != nil {
		c.in.err = nil
		c.close(err)
		return false
	}
	return true
}

// fail closes the connection, or on a direct reader records err for the I/O
// thread, which alone may close.
func (c *Conn) fail(err error) {
	if c.in.onUser {
		if c.in.err == nil {
			c.in.err = err
		}
		return
	}
	c.close(err)
}

// readSome reads into the buffer; false means no data (EAGAIN) or closed.
func (c *Conn) readSome() bool {
	// With the buffer drained in the middle of a large body, the bytes go
	// straight into the body's frame: one copy fewer for each, as the
	// sender writes such bodies straight from theirs.
	// Not over ws://, whose translation writes the next frame's header
	// after a body's end.
	if space := c.dec.BodySpace(); len(space) >= straightBodyBytes && c.wsn == nil {
		n, ok := c.read(space)
		if ok {
			c.dec.Filled(n)
		}
		return ok
	}
	if c.in.buf == nil {
		c.in.buf = mempool.Get(readBufBytes)
	}
	n, ok := c.read(c.in.buf.Bytes())
	if ok {
		c.in.off, c.in.end = 0, n
	}
	return ok
}

// read fills b from the connection: one read(2), translated for ws://;
// ok is false on EAGAIN or when the connection failed.
func (c *Conn) read(b []byte) (n int, ok bool) {
	if c.wsn != nil {
		return c.wsRead(b)
	}
	return c.sysRead(b)
}

// sysRead does one read(2) into b; ok is false on EAGAIN or when the
// connection failed.
func (c *Conn) sysRead(b []byte) (n int, ok bool) {
	for {
		n, err := unix.Read(c.fd, b)
		switch {
		case err == unix.EINTR:
			continue
		case err == unix.EAGAIN:
			if c.in.buf != nil {
				c.in.buf.Release() // idle connections hold no buffer
				c.in.buf = nil
			}
			return 0, false
		case err != nil || n == 0:
			c.fail(ioError("read", err))
			return 0, false
		}
		// Any bytes count as life for heartbeats. One store per read(2).
		c.lastRecv.Store(MonoNow())
		return n, true
	}
}

// decode consumes buffered bytes until they run out, the pipe fills, or the
// connection closes (or, on a direct reader, a command or error comes).
func (c *Conn) decode() {
	if c.raw {
		c.decodeRaw()
		return
	}
	for c.in.off < c.in.end || c.in.body != nil {
		var p []byte
		if c.in.buf != nil {
			p = c.in.buf.Bytes()[c.in.off:c.in.end]
		}
		// A direct reader never reads state: the I/O thread may write it
		// concurrently, and the connection was active when inTok was taken.
		if !c.in.onUser && c.state == stGreeting {
			n, err := c.onGreeting(p)
			c.in.off += n
			if err != nil {
				c.close(err)
				return
			}
			continue
		}
		if c.in.onUser || c.state == stActive {
			if taken, goOn := c.wholeFrame(p); taken {
				if !goOn {
					return
				}
				continue
			}
		}
		n, h, ev, err := c.dec.Decode(p)
		c.in.off += n
		switch {
		case err != nil:
			c.fail(protocolError(err))
			return
		case ev == zmtp.EventNone:
			return
		case ev == zmtp.EventHeader:
			if !c.in.onUser && c.state != stActive && h.Size > maxHandshakeFrame {
				// Unauthenticated: never allocate what a peer claims.
				c.close(protocolError(fmt.Errorf("%w: %d bytes before the handshake completed", zmtp.ErrFrameTooLarge, h.Size)))
				return
			}
			if err := c.checkGroupHeader(h); err != nil {
				c.fail(protocolError(err))
				return
			}
			if !c.startBody(h.Size) {
				return
			}
		case ev == zmtp.EventBodyPart:
			if !c.growBody(h.Size) {
				return
			}
		case !c.onFrame(h):
			return
		}
	}
}

// wholeFrame takes a frame that p holds entirely, header and body, in one
// step (the decoder's fast path, zmtp.Decoder.Whole): most small messages
// arrive so, and skip the decoder's two events per frame. taken is false,
// consuming nothing, when Decode must handle what p starts with; goOn is
// onFrame's verdict on the frame taken.
func (c *Conn) wholeFrame(p []byte) (taken, goOn bool) {
	h, hn, ok := c.dec.Whole(p)
	if !ok || h.Size > mempool.MaxPooled {
		return false, false
	}
	end := hn + int(h.Size) // Whole checked that p holds it
	c.in.body = mempool.Get(int(h.Size))
	copy(c.in.body.Bytes(), p[hn:end])
	c.in.off += end
	return true, c.onFrame(h)
}

// checkGroupHeader refuses a DISH's group frame by its header, before its
// body is read: a RADIO that claims a group of megabytes costs nothing. A
// sealed (CURVE) frame is checked once opened, in onFrame, as every frame
// is.
func (c *Conn) checkGroupHeader(h zmtp.Header) error {
	if !c.dish || c.open != nil || h.Command() || c.in.head != nil {
		return nil
	}
	return zmtp.CheckGroupFrame(0, int(min(h.Size, zmtp.MaxGroupLen+1)), h.More())
}

// startBody takes the buffer for a frame body of size bytes, as the peer
// claims. Up to mempool.MaxPooled it is a pooled frame of that size: that
// much read-ahead per connection is the price of zero allocations. Beyond
// it the claim is not trusted: the body starts in a large frame of
// MaxPooled bytes and grows as bytes arrive (growBody), so a peer that
// announces 4 GiB and sends a hundred costs about a megabyte, and a claim
// beyond the machine's memory (mempool.LargeLimit) closes the connection
// at once. False means the connection failed.
func (c *Conn) startBody(size uint64) bool {
	if size <= mempool.MaxPooled {
		c.in.body = mempool.Get(int(size))
		c.dec.SetBody(c.in.body.Bytes())
		return true
	}
	if size > uint64(mempool.LargeLimit()) {
		// More than this machine could ever hold: refuse it now.
		c.fail(bodyError(size, mempool.ErrNoMemory))
		return false
	}
	f, err := mempool.GetLarge(mempool.MaxPooled, int(size))
	if err != nil {
		c.fail(bodyError(size, err))
		return false
	}
	c.in.body = f
	c.dec.SetBodyPart(f.Bytes())
	return true
}

// growBody doubles a large body whose received part is full, up to the
// size the header claims, once the peer has sent all it holds.
func (c *Conn) growBody(size uint64) bool {
	f := c.in.body
	got := f.Len()
	next := int(min(size, 2*uint64(got))) // size fits an int: the decoder checked
	if err := f.Grow(next); err != nil {
		c.fail(bodyError(size, err))
		return false
	}
	if rest := f.Bytes()[got:]; uint64(next) == size {
		c.dec.SetBody(rest)
	} else {
		c.dec.SetBodyPart(rest)
	}
	return true
}

// bodyError is why a connection closed when a body's memory could not be
// had: the peer's claim was more than this process can hold.
func bodyError(size uint64, err error) error {
	return protocolError(fmt.Errorf("%w: %d bytes: %w", zmtp.ErrFrameTooLarge, size, err))
}

// decodeRaw delivers the bytes read from a STREAM connection as one
// message, as libzmq's raw engine does with each read.
func (c *Conn) decodeRaw() {
	if c.in.off == c.in.end {
		return
	}
	f := mempool.FromBytes(c.in.buf.Bytes()[c.in.off:c.in.end])
	c.in.off = c.in.end
	c.deliver(f)
}

// onFrame takes a completed frame; false stops decoding (closed or stalled).
func (c *Conn) onFrame(h zmtp.Header) bool {
	f := c.in.body
	c.in.body = nil
	if c.open != nil {
		var ok bool
		if f, h, ok = c.unseal(f); !ok {
			return false
		}
	}
	if h.Command() {
		if c.in.onUser || c.state == stActive {
			switch ok, err := c.subscriptionMsg(f); {
			case err != nil:
				f.Release()
				c.close(protocolError(err))
				return false
			case ok:
				return c.deliver(f)
			}
		}
		if c.in.onUser {
			c.in.cmd = f // for the I/O thread, which owns the handshake and PONGs
			return false
		}
		err := c.onCommand(f.Bytes())
		f.Release()
		if err != nil {
			c.close(err)
			return false
		}
		return c.state != stClosed
	}
	if !c.in.onUser && c.state != stActive {
		f.Release()
		c.close(protocolError(zmtp.ErrUnexpectedCommand))
		return false
	}
	if c.dish {
		index := 0
		if c.in.head != nil {
			index = 1
		}
		if err := zmtp.CheckGroupFrame(index, f.Len(), h.More()); err != nil {
			f.Release()
			c.close(protocolError(err))
			return false
		}
	}
	f.SetMore(h.More())
	if c.in.head == nil {
		c.in.head = f
	} else {
		c.in.tail.SetNext(f)
	}
	c.in.tail = f
	if h.More() {
		return true
	}
	msg := c.in.head
	c.in.head, c.in.tail = nil, nil
	if c.radio {
		mempool.ReleaseChain(msg)
		return true
	}
	return c.deliver(msg)
}

// subscriptionMsg turns a SUBSCRIBE or CANCEL command received by a PUB or
// XPUB, or a JOIN or LEAVE received by a RADIO, into the message
// [0x01|topic] or [0x00|topic] in place, the form the pattern reads them
// in. It reports false, leaving f alone, for any other command or socket
// type, and an error for a JOIN or LEAVE whose group is too long.
func (c *Conn) subscriptionMsg(f *mempool.Frame) (bool, error) {
	var on bool
	var topic []byte
	switch c.sess.opts.Type {
	case zmtp.Pub, zmtp.XPub:
		var ok bool
		if on, topic, ok = zmtp.ParseSubscription(true, f.Bytes()); !ok {
			return false, nil
		}
	case zmtp.Radio:
		var ok bool
		var err error
		if on, topic, ok, err = zmtp.ParseMembership(f.Bytes()); !ok || err != nil {
			return false, err
		}
	default:
		return false, nil
	}
	b := f.Bytes()
	n := copy(b[1:], topic) // overlapping: copy moves
	b[0] = 0
	if on {
		b[0] = 1
	}
	_ = f.SetLen(1 + n) // shrinks
	return true, nil
}

// deliver writes a whole message to the pipe. When the pipe is full the
// message waits in stalled and reading stops until the socket makes room.
func (c *Conn) deliver(msg *mempool.Frame) bool {
	// terminating belongs to the I/O thread; what a direct reader delivers
	// after the socket closed is drained by finishClose.
	if !c.in.onUser && c.sess.terminating {
		mempool.ReleaseChain(msg) // nobody will read it
		return true
	}
	ok, wake := c.sess.pipe.Write(msg)
	if wake { // CONFLATE
		c.sess.sock.Command(CmdActivateRead, c.sess.pipe.Socket())
	}
	if !ok {
		c.in.stalled = msg
		c.flushIn()
		return false
	}
	// Under CONFLATE nothing is left to flush, but a direct reader learns
	// from flushIn that it delivered.
	c.in.unflushed = true
	return true
}

// flushIn publishes delivered messages, waking the socket if it slept. It
// reports whether there was anything to publish.
func (c *Conn) flushIn() bool {
	if !c.in.unflushed {
		return false
	}
	c.in.unflushed = false
	if p := c.sess.pipe; p.Flush() {
		c.sess.sock.Command(CmdActivateRead, p.Socket())
	}
	return true
}
