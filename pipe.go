package zring

import (
	"sync/atomic"
	"unsafe"

	"github.com/zring/zring/internal/cpuhint"
	"github.com/zring/zring/mempool"
	"github.com/zring/zring/ring"
)

// msgRing carries whole messages: each entry is the head of a frame chain.
type msgRing = ring.Ring[*mempool.Frame]

// pipe joins a socket to one peer's session. Each direction is a lock-free
// SPSC ring of whole messages, so a multipart message is always delivered
// whole or not at all, and its capacity is the high-water mark.
//
// Ownership: the socket produces into out and consumes from in while holding
// its mutex; the session produces into in and consumes from out on its I/O
// thread. When either side sleeps on a ring, the other side's Flush or
// Release reports it and posts the matching activation (see ring's doc).
type pipe struct {
	out  *msgRing
	in   *msgRing
	sess *session
	// inproc is the far end of an inproc link; nil for a session's pipe.
	inproc *inprocPeer
	// inSlot and outSlot replace in and out under CONFLATE: only the
	// latest message is kept (conflate.go).
	inSlot, outSlot *conflateSlot
	// routingID names the peer in a ROUTER: set before the pipe is
	// attached (the peer's Identity, or CONNECT_ROUTING_ID), then owned by
	// the socket under Socket.mu.
	routingID []byte
	// direct is the session's connection while it is up, for speculative
	// writes by the sender (conn.userPump). Stored by the I/O thread after
	// the handshake, cleared before the connection closes.
	direct atomic.Pointer[conn]
	// peer describes the session's current connection for Metadata:
	// stored by the I/O thread when a handshake completes, loaded by the
	// socket only when the application asks.
	peer atomic.Pointer[Metadata]

	// Socket-owned, guarded by Socket.mu.
	lbIdx      int    // index in the load-balancer, -1 when absent
	fqIdx      int    // index in the fair-queue, -1 when absent
	detached   bool   // the session is gone; drain in, then drop
	unreleased int    // messages read from in since the last Release
	distEpoch  uint64 // dist's mark: this pipe is a target of the current message
}

// releaseBatch is how many inbound messages the socket reads between
// Releases of their ring slots.
const releaseBatch = 32

// prefetchAhead is how many messages ahead of the one being read the
// socket prefetches a frame header: enough for a cross-core miss to finish
// before the frame is reached.
const prefetchAhead = 4

func newPipe(sess *session, o *options) *pipe {
	p := &pipe{
		out:   ring.New[*mempool.Frame](o.sndHWM),
		sess:  sess,
		lbIdx: -1,
		fqIdx: -1,
	}
	p.in = ring.New[*mempool.Frame](o.rcvHWM)
	if o.conflate {
		p.inSlot, p.outSlot = &conflateSlot{}, &conflateSlot{}
	}
	return p
}

// drainIn releases every message left inbound; only the side that owns
// consumption may call it.
func (p *pipe) drainIn() {
	if p.inSlot != nil {
		p.inSlot.drain()
	}
	drainRing(p.in)
}

// drainOut is drainIn for the outbound direction.
func (p *pipe) drainOut() {
	if p.outSlot != nil {
		p.outSlot.drain()
	}
	drainRing(p.out)
}

// outEmpty reports whether nothing waits outbound; the consumer only.
func (p *pipe) outEmpty() bool {
	if p.outSlot != nil {
		return p.outSlot.msg.Load() == nil
	}
	_, ok := p.out.Peek()
	return !ok
}

// write queues a whole message for the peer. It reports false when the
// pipe is full; the caller keeps the message.
func (p *pipe) write(msg *mempool.Frame) bool {
	var wake bool
	if p.outSlot != nil {
		wake = p.outSlot.put(msg) // never full: the older message goes
	} else {
		if !p.out.Write(msg) {
			return false
		}
		wake = p.out.Flush()
	}
	if wake {
		p.wakeReader()
	}
	return true
}

// wakeReader tells the consumer of out that a message came while it slept.
// For a session: write now from this goroutine if the connection is up and
// idle (conn.userPump), else wake the I/O thread.
func (p *pipe) wakeReader() {
	if p.inproc != nil {
		p.inproc.post(cmdActivateRead)
		return
	}
	if c := p.direct.Load(); c == nil || !c.userPump() {
		p.sess.thread.Post(p.sess.activateOutFn)
	}
}

// wakeWriter tells the producer of in, parked at the high-water mark, that
// there is room again.
func (p *pipe) wakeWriter() {
	if p.inproc != nil {
		p.inproc.post(cmdActivateWrite)
		return
	}
	p.sess.thread.Post(p.sess.resumeInFn)
}

// hasRoom reports whether write would succeed, without parking.
func (p *pipe) hasRoom() bool { return p.outSlot != nil || p.out.HasRoom() }

// writable reports whether write would succeed; when the ring is full it
// parks the writer so the session's next Release re-activates the pipe.
func (p *pipe) writable() bool {
	if p.hasRoom() {
		return true
	}
	return !p.out.TryParkWriter()
}

// read takes the next whole message from the peer, or nil. When the ring is
// empty it puts the socket to sleep on it; the session's next Flush then
// posts a read activation.
func (p *pipe) read() *mempool.Frame {
	if p.inSlot != nil {
		return p.inSlot.next()
	}
	for {
		if m, ok := p.in.Read(); ok {
			if n, ok := p.in.Ahead(prefetchAhead); ok {
				// The frame was last written on the producer's core; this
				// one will be read and released here soon.
				cpuhint.PrefetchWrite(unsafe.Pointer(n))
			}
			// Slots go back in batches: one atomic store per batch, and a
			// session stalled on a full pipe resumes with room for a batch
			// rather than thrashing one message at a time.
			if p.unreleased++; p.unreleased == releaseBatch {
				p.unreleased = 0
				if p.in.Release() {
					p.wakeWriter()
				}
			}
			return m
		}
		if p.inproc != nil && p.spinForInput() {
			continue
		}
		p.unreleased = 0 // TrySleep releases
		sleep, wakeWriter := p.in.TrySleep()
		if wakeWriter {
			p.wakeWriter()
		}
		if sleep {
			return nil
		}
	}
}

// inprocSpins bounds how often an inproc reader looks at an empty ring
// again before it declares itself asleep: its peer is a running goroutine,
// and a message seen this way costs the peer no wakeup.
const inprocSpins = 64

// inprocSlipPauses is how many PAUSEs (about 25 ns each on the reference
// machine) the reader waits before each look. A reader that polls the
// ring's tail back to back pulls that line away from a writer that is
// storing to it, and the writer's next Flush stalls on getting it back;
// letting the writer slip a few messages ahead moves the line once per few
// messages instead (ring throughput with a flush per item: 57 ns/op polling
// back to back, 13.6 ns/op with 4 PAUSEs).
const inprocSlipPauses = 4

// spinForInput re-checks an empty inproc ring for a short while, pausing
// before each look; true when a message became visible.
func (p *pipe) spinForInput() bool {
	for range inprocSpins {
		cpuhint.Pause(inprocSlipPauses)
		if _, ok := p.in.Peek(); ok {
			return true
		}
	}
	return false
}

// drainRing releases every message left in a ring. Only the side
// that currently owns consumption may call it.
func drainRing(r *msgRing) {
	for {
		m, ok := r.Read()
		if !ok {
			break
		}
		mempool.ReleaseChain(m)
	}
	r.Release()
}
