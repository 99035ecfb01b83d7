//go:build linux

package engine

import (
	"github.com/zring/zring/mempool"
	"github.com/zring/zring/zmtp"
)

// CURVE on the data path. Once the handshake is done, every frame travels
// as one MESSAGE: c.seal encrypts what the holder of the output token
// encodes, c.open decrypts what the holder of the input token decodes.
// Both are set by handshakeDone on the I/O thread, before the connection
// becomes active and either token can pass to a goroutine.

// encodeSealed encodes frame f as a MESSAGE; false when the buffer is full
// or the MESSAGE, too large for the buffer, must be written straight.
func (c *Conn) encodeSealed(f *mempool.Frame) bool {
	o := &c.out
	var flags byte
	if f.More() {
		flags = zmtp.CurveFlagMore
	}
	size := zmtp.CurveMessageLen(f.Len())
	if size > writeBufBytes {
		c.sealStraight(size, flags, f.Bytes())
		o.next = f.Next()
		return false
	}
	room := o.room()
	if len(room) < size {
		return false
	}
	c.sealInto(room, flags, "", f.Bytes())
	o.next = f.Next()
	return true
}

// sealInto appends flags, head and body as one MESSAGE to the buffer's free
// tail room, which has room for it. The plaintext is assembled in a pooled
// frame: the box cannot be sealed in place.
func (c *Conn) sealInto(room []byte, flags byte, head string, body []byte) {
	p := plaintext(flags, head, body)
	c.out.end += len(c.seal.AppendMessage(room[:0], p.Bytes()))
	p.Release()
}

// sealStraight seals a MESSAGE larger than the buffer into a frame of its
// own (out.sealed), which writeSome writes straight (out.body) after the
// buffer and then releases.
func (c *Conn) sealStraight(size int, flags byte, body []byte) {
	o := &c.out
	p := plaintext(flags, "", body)
	o.sealed = mempool.Get(size)
	o.body = c.seal.AppendMessage(o.sealed.Bytes()[:0], p.Bytes())
	p.Release()
}

// plaintext returns a frame holding a MESSAGE's plaintext: the flags byte,
// then head and body.
func plaintext(flags byte, head string, body []byte) *mempool.Frame {
	p := mempool.Get(1 + len(head) + len(body))
	b := p.Bytes()
	b[0] = flags
	copy(b[1+copy(b[1:], head):], body)
	return p
}

// unseal decrypts the MESSAGE in f (released) into a new frame and returns
// it with the header of the frame it carries: inner MORE and COMMAND
// flags become the frame's. false means the connection is failing.
func (c *Conn) unseal(f *mempool.Frame) (*mempool.Frame, zmtp.Header, bool) {
	n := zmtp.CurvePlaintextLen(f.Len())
	p := mempool.Get(n)
	plain, err := c.open.Open(p.Bytes()[:0], f.Bytes())
	f.Release()
	if err != nil {
		p.Release()
		c.fail(protocolError(err))
		return nil, zmtp.Header{}, false
	}
	var h zmtp.Header
	if plain[0]&zmtp.CurveFlagMore != 0 {
		h.Flags |= zmtp.FlagMore
	}
	if plain[0]&zmtp.CurveFlagCommand != 0 {
		h.Flags = zmtp.FlagCommand // a command never continues a message
	}
	// The body follows the flags byte: move it to the frame's start.
	b := p.Bytes()
	copy(b, b[1:])
	_ = p.SetLen(n - 1) // shrinks
	h.Size = uint64(n - 1)
	return p, h, true
}

// startCurve takes the MESSAGE codec from a finished CURVE handshake.
func (c *Conn) startCurve() {
	if e, ok := c.hs.(zmtp.Encrypted); ok {
		c.seal, c.open = e.Codec()
	}
}

// eraseCurve clears the session keys; both tokens must be held.
func (c *Conn) eraseCurve() {
	if c.seal != nil {
		c.seal.Erase()
		c.open.Erase()
	}
}
