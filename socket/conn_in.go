package socket

import (
	"github.com/zring/zring/mempool"
	"github.com/zring/zring/zmtp"
	"golang.org/x/sys/unix"
)

// inbound is a connection's receive state.
type inbound struct {
	buf        *mempool.Frame // read buffer, held only while it has undecoded bytes
	off, end   int            // undecoded bytes are buf[off:end]
	body       *mempool.Frame // frame whose body the decoder is filling
	head, tail *mempool.Frame // message being assembled
	stalled    *mempool.Frame // complete message waiting for room in the pipe
	unflushed  bool           // messages written to the pipe but not yet flushed
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
	*in = inbound{}
}

// onReadable reads and decodes until the socket would block, the pipe is
// full, or the per-event budget is spent (then the rest is deferred: with
// edge-triggered polling no new event would come for bytes already there).
func (c *conn) onReadable() {
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

// readSome reads into the buffer; false means no data (EAGAIN) or closed.
func (c *conn) readSome() bool {
	if c.in.buf == nil {
		c.in.buf = mempool.Get(readBufBytes)
	}
	for {
		n, err := unix.Read(c.fd, c.in.buf.Bytes())
		switch {
		case err == unix.EINTR:
			continue
		case err == unix.EAGAIN:
			c.in.buf.Release() // idle connections hold no buffer
			c.in.buf = nil
			return false
		case err != nil || n == 0:
			c.close(ioError("read", err))
			return false
		}
		c.in.off, c.in.end = 0, n
		return true
	}
}

// decode consumes buffered bytes until they run out, the pipe fills, or the
// connection closes.
func (c *conn) decode() {
	for c.in.off < c.in.end || c.in.body != nil {
		var p []byte
		if c.in.buf != nil {
			p = c.in.buf.Bytes()[c.in.off:c.in.end]
		}
		if c.state == stGreeting {
			n, err := c.onGreeting(p)
			c.in.off += n
			if err != nil {
				c.close(err)
				return
			}
			continue
		}
		n, h, ev, err := c.dec.Decode(p)
		c.in.off += n
		switch {
		case err != nil:
			c.close(protocolError(err))
			return
		case ev == zmtp.EventNone:
			return
		case ev == zmtp.EventHeader:
			c.in.body = mempool.Get(int(h.Size))
			c.dec.SetBody(c.in.body.Bytes())
		case !c.onFrame(h):
			return
		}
	}
}

// onFrame takes a completed frame; false stops decoding (closed or stalled).
func (c *conn) onFrame(h zmtp.Header) bool {
	f := c.in.body
	c.in.body = nil
	if h.Command() {
		err := c.onCommand(f.Bytes())
		f.Release()
		if err != nil {
			c.close(err)
			return false
		}
		return c.state != stClosed
	}
	if c.state != stActive {
		f.Release()
		c.close(protocolError(zmtp.ErrUnexpectedCommand))
		return false
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
	return c.deliver(msg)
}

// deliver writes a whole message to the pipe. When the pipe is full the
// message waits in stalled and reading stops until the socket makes room.
func (c *conn) deliver(msg *mempool.Frame) bool {
	if c.sess.terminating {
		mempool.ReleaseChain(msg) // nobody will read it
		return true
	}
	in := c.sess.pipe.in
	for !in.Write(msg) {
		if in.TryParkWriter() {
			c.in.stalled = msg
			c.flushIn()
			return false
		}
	}
	c.in.unflushed = true
	return true
}

// flushIn publishes delivered messages, waking the socket if it slept.
func (c *conn) flushIn() {
	if !c.in.unflushed {
		return
	}
	c.in.unflushed = false
	if p := c.sess.pipe; p.in.Flush() {
		c.sess.sock.post(command{kind: cmdActivateRead, p: p})
	}
}

// resumeInput runs when the socket freed room after the pipe filled.
func (c *conn) resumeInput() {
	msg := c.in.stalled
	if msg == nil || c.state == stClosed {
		return
	}
	c.in.stalled = nil
	if !c.deliver(msg) {
		return
	}
	c.decode()
	c.onReadable()
}
