//go:build linux

package engine

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// Direct read: the receiving twin of the speculative write (userWrite).
//
// A goroutine blocked in Recv on a socket whose only pipe is served by an
// active connection takes the connection's input token (inTok) and parks in
// Go's netpoller on a dup of the connection's fd. When bytes arrive the
// runtime wakes it directly; it reads, decodes and delivers into pipe.in
// itself, so no I/O thread and no second wakeup sit between the wire and the
// receiver.
//
// inTok owns conn.in, conn.dec and the producer side of pipe.in. The I/O
// thread takes it for every input action (inAcquire); a goroutine takes it
// only by CAS and gives up when it is busy (AcquireRead). Handing the token
// over is a release store followed by the other side's CAS, which orders
// every access to the state it guards.
//
// When the I/O thread finds the token held it records why in inWant:
//
//   - wantRead: an edge-triggered readable event. The holder reads again
//     before letting go, since epoll will not report those bytes again.
//   - wantCall: work only the I/O thread may do (close, resume after a full
//     pipe, a command or error the goroutine left in in.cmd / in.err). The
//     I/O thread also interrupts the netpoller wait; the holder posts inCall
//     once it has let go.
//
// Anything that must wake a blocked receiver (a pipe attached or detached,
// the socket closing, this connection closing, RCVTIMEO) ends the netpoller
// wait by a read deadline on the dup: the goroutine then lets go of the
// token and returns to Socket.wait.

// Bits of conn.inWant.
const (
	wantRead uint32 = 1 << iota // bytes may have arrived while inTok was held
	wantCall                    // post inCall once inTok is free
)

// maxRechecks bounds how often a releasing goroutine reads again for
// wantRead before it leaves the rest to the I/O thread.
const maxRechecks = 2

// longAgo is a read deadline in the past: it interrupts a netpoller wait.
var longAgo = time.Unix(1, 0)

// inAcquire takes inTok on the I/O thread. When a goroutine holds it, want
// is recorded for that goroutine. The bit is set before the second CAS and
// the holder's release store comes before its load of inWant; with
// sequentially consistent atomics either the CAS succeeds or the holder sees
// the bit (Dekker). The goroutine's AcquireRead resets the read deadline
// before loading inWant, so the interrupt after a failed wantCall lands
// after that reset or is seen as the bit.
func (c *Conn) inAcquire(want uint32) bool {
	if !c.inTok.CompareAndSwap(tokFree, tokHeld) {
		c.inWant.Or(want)
		if !c.inTok.CompareAndSwap(tokFree, tokHeld) {
			if want&wantCall != 0 {
				c.directRd.interrupt()
			}
			return false
		}
	}
	// Only this thread sets bits, and inRun does all pending work, so
	// whatever was asked is about to be done.
	if c.inWant.Load() != 0 {
		c.inWant.Store(0)
	}
	c.inMine = true
	return true
}

// inRelease gives inTok back on the I/O thread. Nothing waits for it: a
// goroutine that finds the token held simply does not read directly.
func (c *Conn) inRelease() {
	c.inMine = false
	c.inTok.Store(tokFree)
}

// AcquireRead takes inTok for a direct read by the goroutine blocked in
// Recv, resetting the netpoller read deadline to dl. It reports false when
// the I/O thread holds the token or has work pending; the goroutine then
// waits for the pipe as usual. Runs with Socket.mu held.
func (c *Conn) AcquireRead(dl time.Time) bool {
	if !c.inTok.CompareAndSwap(tokFree, tokHeld) {
		return false
	}
	d := &c.directRd
	if d.broken || (d.raw == nil && !c.makeDup()) {
		c.ReleaseRead(false)
		return false
	}
	if d.dlSet || !dl.IsZero() {
		d.file.Load().SetReadDeadline(dl)
		d.dlSet = !dl.IsZero()
	}
	// After the deadline reset: see inAcquire.
	if c.ioPending() || c.in.stalled != nil {
		c.ReleaseRead(false)
		return false
	}
	c.in.onUser = true
	return true
}

// makeDup registers a dup of the connection's fd with Go's netpoller. The
// dup shares the open file description, so it is non-blocking too, which
// makes os.NewFile register it. The holder of inTok only.
func (c *Conn) makeDup() bool {
	fd, err := unix.FcntlInt(uintptr(c.fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		c.directRd.broken = true
		return false
	}
	f := os.NewFile(uintptr(fd), "zring-conn")
	raw, err := f.SyscallConn()
	if err != nil {
		f.Close()
		c.directRd.broken = true
		return false
	}
	c.directRd.raw = raw
	c.directRd.file.Store(f) // published for interrupt
	return true
}

// WaitRead parks in the netpoller until userRead delivered a message or
// left work for the I/O thread (nil), or the read deadline passed or was
// moved into the past by an interrupt (os.ErrDeadlineExceeded). The holder
// of inTok only.
func (c *Conn) WaitRead() error {
	err := c.directRd.raw.Read(c.directRd.readFn)
	if err != nil {
		c.directRd.dlSet = true // an interrupt may have left a deadline
	}
	return err
}

// userRead is the netpoller callback of a direct read: it reads and decodes
// on the receiving goroutine. It reports true once it delivered a message or
// must hand back to the I/O thread (a command, an error, or a full pipe),
// false when there is nothing to read yet (the runtime then parks).
func (c *Conn) userRead(uintptr) bool {
	// This read covers every readable event reported so far.
	if c.inWant.Load()&wantRead != 0 {
		c.inWant.And(^wantRead)
	}
	if c.in.stalled != nil {
		return true // the socket's Release resumes input on the I/O thread
	}
	delivered := false
	for {
		if c.in.off == c.in.end {
			// Read until EAGAIN even after a short read: wantRead was
			// cleared above, and a short read does not prove the socket
			// drained (a FIN behind the data reads as a later EOF), so
			// stopping early could lose that edge for good.
			if !c.readSome() {
				return delivered || c.in.err != nil
			}
		}
		c.decode()
		if c.flushIn() {
			delivered = true
		}
		if c.in.cmd != nil || c.in.err != nil || c.in.stalled != nil {
			return true
		}
	}
}

// Handback reports whether the direct reader left work for the I/O thread.
func (c *Conn) Handback() bool { return c.in.cmd != nil || c.in.err != nil }

// ioPending reports whether input work waits for the I/O thread: asked
// for while the token was held (wantCall), or left by a goroutine. A
// goroutine that just took inTok then lets go at once. The holder of inTok
// only.
func (c *Conn) ioPending() bool { return c.inWant.Load()&wantCall != 0 || c.Handback() }

// ReleaseRead gives inTok back after a direct read, posting inCall when the
// I/O thread must take over. If readable events came while the token was
// held (wantRead), it takes the token again and reads once more, because the
// I/O thread relied on it to; after maxRechecks the I/O thread does it.
func (c *Conn) ReleaseRead(handback bool) {
	for recheck := 0; ; recheck++ {
		c.in.onUser = false
		if c.in.off == c.in.end && c.in.buf != nil {
			c.in.buf.Release() // idle connections hold no buffer
			c.in.buf = nil
		}
		stalled := c.in.stalled != nil // read before letting go
		// Store, then load inWant: the mirror of inAcquire's Dekker pair.
		c.inTok.Store(tokFree)
		w := c.inWant.Load()
		if handback || w&wantCall != 0 || (w != 0 && recheck == maxRechecks) {
			c.inWant.Store(0) // inCall does everything that was asked
			c.thread.Post(c.inCallFn)
			return
		}
		// A stalled message must go first; the socket's Release resumes
		// input on the I/O thread, which reads then.
		if w == 0 || stalled || !c.inTok.CompareAndSwap(tokFree, tokHeld) {
			return // nothing asked, or the I/O thread took the token and reads
		}
		c.in.onUser = true
		c.userRead(0)
		handback = c.Handback()
	}
}

// interrupt ends a netpoller wait on the dup, if there is one. Any
// goroutine; a deadline in the past persists, so an interrupt that lands
// before the wait begins still ends it (AcquireRead resets it first).
func (d *directRead) interrupt() {
	if f := d.file.Load(); f != nil {
		f.SetReadDeadline(longAgo)
	}
}

// close closes the dup. The holder of inTok only (finishClose).
func (d *directRead) close() {
	if f := d.file.Load(); f != nil {
		f.Close()
	}
}

// InterruptRead ends a direct read's netpoller wait (WaitRead), if there is
// one. Any goroutine.
func (c *Conn) InterruptRead() { c.directRd.interrupt() }
