package pipe

import (
	"github.com/zring/zring/mempool"
	"github.com/zring/zring/zmtp"
)

// SessionEnd is the far end of a Pipe as a session on an I/O thread holds
// it: it produces into the socket's inbound direction and consumes the
// outbound one. Every method runs on the session's thread (or, for the
// inbound methods, on whoever holds the connection's input token). A method
// reporting wake=true found the socket asleep on that direction: the caller
// must post the socket the matching activation (read for Write and Flush,
// write for Release and Sleep).
type SessionEnd Pipe

// Session returns p's session end.
func (p *Pipe) Session() *SessionEnd { return (*SessionEnd)(p) }

// Socket returns the socket's end of the pipe.
func (e *SessionEnd) Socket() *Pipe { return (*Pipe)(e) }

// SetMetadata publishes the metadata of the connection now serving the
// pipe.
func (e *SessionEnd) SetMetadata(md *zmtp.Metadata) { e.peer.Store(md) }

// Write delivers a whole message to the socket. ok is false when the pipe
// is full: the writer is parked, the caller keeps msg, and the socket's
// next Release (a WakeWriter) says when to try again. Under CONFLATE the
// message replaces any the socket has not taken, and wake may be true at
// once; otherwise messages become visible at Flush.
func (e *SessionEnd) Write(msg *mempool.Frame) (ok, wake bool) {
	if e.inSlot != nil {
		return true, e.inSlot.put(msg)
	}
	for !e.in.Write(msg) {
		if e.in.TryParkWriter() {
			return false, false
		}
	}
	return true, false
}

// Flush publishes the messages written since the last Flush.
func (e *SessionEnd) Flush() (wake bool) {
	if e.inSlot != nil {
		return false
	}
	return e.in.Flush()
}

// Read takes the next whole message the socket queued, or nil. It does not
// sleep: Sleep does.
func (e *SessionEnd) Read() *mempool.Frame {
	if e.outSlot != nil {
		return e.outSlot.take()
	}
	m, ok := e.out.Read()
	if ok {
		e.outTaken = true
	}
	return m
}

// Release returns the slots of the messages read since the last Release,
// so a socket parked at the high-water mark can go on.
func (e *SessionEnd) Release() (wake bool) {
	if !e.outTaken {
		return false
	}
	e.outTaken = false
	return e.out.Release()
}

// Sleep declares the session asleep on the outbound direction, so the
// socket's next Write wakes it (Far.WakeReader). asleep is false when a
// message came meanwhile: Read it.
func (e *SessionEnd) Sleep() (asleep, wake bool) {
	if e.outSlot != nil {
		return e.outSlot.trySleep(), false
	}
	e.outTaken = false // TrySleep releases
	return e.out.TrySleep()
}

// OutEmpty reports whether nothing waits outbound.
func (e *SessionEnd) OutEmpty() bool {
	if e.outSlot != nil {
		return e.outSlot.empty()
	}
	_, ok := e.out.Peek()
	return !ok
}

// DrainIn releases what the socket never took; only once the socket has
// stopped consuming (it closed).
func (e *SessionEnd) DrainIn() { (*Pipe)(e).DrainIn() }

// DrainOut releases what the session will never send.
func (e *SessionEnd) DrainOut() { (*Pipe)(e).DrainOut() }
