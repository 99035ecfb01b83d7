//go:build linux

package engine

// Resume on the receiver: the streaming twin of the direct read.
//
// A streaming receiver that is slower than its peer keeps its pipe full:
// the connection stalls with a message it could not deliver, and each time
// the socket frees a batch of slots it used to post resumeIn to the I/O
// thread, which delivered the stalled message, decoded the next batch from
// its read buffer and woke nobody (the socket was awake). Every message then
// crossed cores twice (decoded on the I/O thread, consumed on the
// goroutine), and the two threads traded a post and a wakeup per batch.
//
// Instead, the goroutine that freed the room takes the input token and does
// that work itself, under the socket's mutex, before it reads on: the
// messages it decodes are consumed on the core that decoded them. It never
// parks holding the token, so the I/O thread loses nothing: an edge that
// comes meanwhile sets wantRead and the release reads again (ReleaseRead),
// and work only the I/O thread may do (a command, an error, closing) is
// handed back as for a direct read.

// resumeReads bounds the read(2) calls one userResume makes once the read
// buffer is consumed, so that a goroutine whose peer outpaces it returns to
// its caller; the I/O thread's next edge, or the next resume, goes on.
const resumeReads = 4

// userResume does, on the goroutine that freed room in the full pipe, what
// resumeIn would do on the I/O thread. It reports false, doing nothing,
// when the token is held or the I/O thread has work pending; the caller
// then posts resumeIn. Runs with the socket's mutex held.
func (c *Conn) userResume() bool {
	if !c.inTok.CompareAndSwap(tokFree, tokHeld) {
		return false
	}
	if c.ioPending() {
		c.ReleaseRead(false)
		return false
	}
	c.in.onUser = true
	c.sess.opts.Counters.ResumedReads.Add(1)
	// An edge reported while the token was free has been handled by the
	// I/O thread; one reported from here on sets wantRead.
	if msg := c.in.stalled; msg != nil {
		c.in.stalled = nil
		if c.deliver(msg) {
			c.decode()
		}
	}
	more := false // bytes may be left in the socket that no edge will report
	for reads := 0; c.in.stalled == nil && !c.Handback(); {
		if c.in.off == c.in.end {
			if more = reads == resumeReads; more || !c.readSome() {
				break
			}
			reads++
		}
		c.decode()
	}
	c.flushIn()
	// With the budget spent the I/O thread reads on (inCall), as ioRead
	// defers itself.
	c.ReleaseRead(more || c.Handback())
	return true
}
