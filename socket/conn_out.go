package socket

import (
	"github.com/zring/zring/mempool"
	"github.com/zring/zring/zmtp"
	"golang.org/x/sys/unix"
)

// outbound is a connection's send state. Frames are encoded into buf and
// written with one write(2); a large body is written straight from its
// frame instead of being copied.
type outbound struct {
	buf      *mempool.Frame // encode buffer, held only while output is pending
	off, end int            // unwritten bytes are buf[off:end]
	msg      *mempool.Frame // message being encoded, released once written
	next     *mempool.Frame // next frame of msg to encode
	direct   []byte         // unwritten part of a large body
	pong     [16]byte       // context of a PING awaiting its PONG
	pongLen  int
	pongDue  bool
	blocked  bool // the last write hit EAGAIN; wait for a writable event
	readMsgs bool // consumed from the pipe since the last Release
}

func (o *outbound) reset() {
	if o.buf != nil {
		o.buf.Release()
	}
	// What was half written is lost, as in libzmq's encoder.
	mempool.ReleaseChain(o.msg)
	*o = outbound{}
}

// room returns the encode buffer's free tail, compacting it first.
func (o *outbound) room() []byte {
	if o.buf == nil {
		o.buf = mempool.Get(writeBufBytes)
	}
	b := o.buf.Bytes()
	if o.off == o.end {
		o.off, o.end = 0, 0
	}
	return b[o.end:]
}

// queue appends bytes produced by fn (a greeting or command) to the buffer.
func (o *outbound) queue(fn func([]byte) []byte) {
	room := o.room()
	o.end += len(fn(room[:0]))
}

func (o *outbound) queuePong(ctx []byte) {
	o.pongLen = copy(o.pong[:], ctx)
	o.pongDue = true
}

// controlPending reports whether a greeting or command waits to be written.
func (o *outbound) controlPending() bool { return o.off < o.end || o.pongDue }

// outIdle reports whether everything taken from the pipe has been written.
func (c *conn) outIdle() bool {
	return c.out.off == c.out.end && c.out.direct == nil && c.out.msg == nil
}

// outputReady runs when the socket queued messages after the connection
// went idle.
func (c *conn) outputReady() {
	if c.state == stActive && !c.out.blocked {
		c.pumpOut()
	}
}

// pumpOut encodes and writes until the pipe is empty (then sleeps on it) or
// the socket would block (then waits for a writable event).
func (c *conn) pumpOut() {
	for c.state != stClosed {
		c.fill()
		if c.outIdle() {
			if c.settle() {
				return
			}
			continue
		}
		if !c.writeSome() {
			return
		}
	}
}

// settle runs when all output is written. It releases the output buffer,
// returns consumed pipe slots, and sleeps on the pipe; false means messages
// arrived meanwhile.
func (c *conn) settle() bool {
	o := &c.out
	if o.buf != nil {
		o.buf.Release()
		o.buf = nil
	}
	if c.state != stActive {
		return true
	}
	p := c.sess.pipe
	asleep, wakeWriter := p.out.TrySleep()
	if wakeWriter || (o.readMsgs && p.out.Release()) {
		c.sess.sock.post(command{kind: cmdActivateWrite, p: p})
	}
	o.readMsgs = false
	if !asleep {
		return false
	}
	if c.sess.terminating {
		c.sess.finish()
	}
	return true
}

// fill encodes pending control frames and messages from the pipe into the
// buffer until it is full or the pipe is empty.
func (c *conn) fill() {
	o := &c.out
	if o.direct != nil {
		return
	}
	if o.pongDue {
		o.pongDue = false
		o.queue(func(b []byte) []byte { return zmtp.AppendPong(b, o.pong[:o.pongLen]) })
	}
	for c.state == stActive {
		if o.next == nil && !c.takeMsg() {
			return
		}
		if !c.encodeFrame() {
			return
		}
	}
}

// takeMsg starts encoding the pipe's next message.
func (c *conn) takeMsg() bool {
	o := &c.out
	if o.msg != nil {
		mempool.ReleaseChain(o.msg)
		o.msg = nil
	}
	m, ok := c.sess.pipe.out.Read()
	if !ok {
		return false
	}
	o.msg, o.next, o.readMsgs = m, m, true
	return true
}

// encodeFrame encodes o.next; false when the buffer is full or a large body
// must be written directly first.
func (c *conn) encodeFrame() bool {
	o := &c.out
	f := o.next
	n := f.Len()
	hdr := zmtp.FrameHeaderLen(n)
	room := o.room()
	var flags byte
	if f.More() {
		flags = zmtp.FlagMore
	}
	if n >= directBodyBytes {
		if len(room) < hdr {
			return false
		}
		o.end += len(zmtp.AppendFrameHeader(room[:0], flags, n))
		o.direct = f.Bytes()
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

// writeSome writes buffered bytes, then any direct body. It returns false
// when the socket would block or the connection closed.
func (c *conn) writeSome() bool {
	o := &c.out
	if o.off < o.end {
		n, ok := c.write(o.buf.Bytes()[o.off:o.end])
		o.off += n
		return ok
	}
	n, ok := c.write(o.direct)
	o.direct = o.direct[n:]
	if len(o.direct) == 0 {
		o.direct = nil
	}
	return ok
}

// write does one write(2); ok is false on EAGAIN or error.
func (c *conn) write(b []byte) (int, bool) {
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
			c.close(ioError("write", err))
			return 0, false
		}
	}
}
