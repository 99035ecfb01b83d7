package pipe

import (
	"sync/atomic"
	"unsafe"

	"github.com/zring/zring/internal/cpuhint"
	"github.com/zring/zring/mempool"
	"github.com/zring/zring/ring"
	"github.com/zring/zring/zmtp"
)

// msgRing carries whole messages: each entry is the head of a frame chain.
type msgRing = ring.Ring[*mempool.Frame]

// Far is the other end of a pipe as the socket's end sees it: a session on
// an I/O thread, or another socket over inproc. Its methods are called by
// the socket's goroutines, with the socket's mutex held, and must not
// block.
type Far interface {
	// WakeReader says the socket wrote a message while the far end slept
	// on the outbound ring.
	WakeReader()
	// WakeWriter says the socket freed room in the inbound ring while the
	// far end was parked on it at the high-water mark.
	WakeWriter()
	// Refuse says the socket declined the pipe when it was offered (a
	// PAIR's second peer, a routing id in use); why is the reason the
	// connection's monitor events carry, nil when the socket is closing.
	Refuse(why error)
	// Drop ends the link while the socket still lives (ROUTER_HANDOVER,
	// Disconnect): the far end goes as if the peer had left, and the
	// socket drains what reached it when the pipe detaches.
	Drop()
}

// Marks is the patterns' bookkeeping on a pipe, owned by the socket under
// its mutex.
type Marks struct {
	LB   int    // index in the load-balancer, -1 when absent
	FQ   int    // index in the fair-queue, -1 when absent
	Dist uint64 // dist's epoch: this pipe is a target of the current message
	ID   uint32 // the peer's routing id on a SERVER (Frame.RoutingID); 0 when none
}

// Pipe is the socket's end of a link to one peer. The socket produces into
// out and consumes from in while holding its mutex; the far end does the
// opposite on its own thread.
type Pipe struct {
	out *msgRing
	in  *msgRing
	// inSlot and outSlot replace in and out under CONFLATE: only the
	// latest message is kept (conflate.go).
	inSlot, outSlot *conflateSlot
	far             Far
	// spin: the far end is a running goroutine (inproc), worth re-checking
	// an empty ring for before sleeping (spinForInput).
	spin bool
	// peer describes the far end's current connection for Metadata. It
	// is stored by the session's I/O thread when a handshake completes
	// (SessionEnd.SetMetadata, from Session.connReady) and loaded by the
	// socket, under its mutex, only when the application asks for the
	// metadata of a message it received from this pipe; inproc pipes
	// never store it. The Metadata is built before the store and never
	// changed after, so the load must see the store of the connection
	// that delivered the message (or a later one), contents included.
	// It does: the store comes before that connection delivers anything
	// (before connReady posts a new pipe's CmdAttach, publishes the
	// connection to direct readers through Session.live, or returns to
	// decode the first data frame), and every message reaches the socket
	// through the in ring, whose Flush is an atomic store that the
	// socket's Read loads. So the ring's own release and acquire order
	// this store before the load, and the pointer's atomic store and load
	// make the Metadata's contents visible with it. "Or a later one":
	// after a reconnect, a message the previous connection delivered and
	// the socket has not read yet is reported with the new connection's
	// Metadata, since a pipe holds one pointer, not one per message.
	peer atomic.Pointer[zmtp.Metadata]

	// RoutingID names the peer in a ROUTER: set before the pipe is
	// attached (the peer's Identity, or CONNECT_ROUTING_ID), then owned by
	// the socket under its mutex.
	RoutingID []byte
	// Datagram: the far end is a udp:// socket, which sends no JOIN or
	// LEAVE, so a RADIO sends it every group, as libzmq does. Set before
	// the pipe is attached, then read-only.
	Datagram bool
	// Detached: the far end is gone; the socket drains in, then drops the
	// pipe. Owned by the socket under its mutex.
	Detached bool
	// Cut: the socket detached the pipe itself (Disconnect, Unbind)
	// before its session ended, so the session may still be consuming;
	// the socket drains out only when the session's own detach arrives.
	// Owned by the socket under its mutex.
	Cut bool
	// Requeue: a Cut pipe whose unsent messages the socket hands to its
	// other peers (PUSH, SCATTER) when the session's detach arrives,
	// instead of dropping them. Owned by the socket under its mutex.
	Requeue bool
	// Marks belong to the socket's pattern, under the socket's mutex.
	Marks Marks
	// Drops counts the messages a pattern dropped because this pipe's
	// queue was full (PUB, XPUB and RADIO fan-out, ROUTER and SERVER
	// replies, REP). The socket's side, under its mutex.
	Drops uint64
	// unreleased counts messages read from in since the last Release;
	// owned by the socket.
	unreleased int
	// outTaken: the session read from out since its last Release; owned
	// by the session's thread (SessionEnd).
	outTaken bool
	// batch, when on, holds back Write's flush (batch.go); held: this
	// pipe is in the batch's list. The socket's, under its mutex.
	batch *Batch
	held  bool
}

// releaseBatch is how many inbound messages the socket reads between
// Releases of their ring slots.
const releaseBatch = 32

// prefetchAhead is how many messages ahead of the one being read the
// socket prefetches a frame header: enough for a cross-core miss to finish
// before the frame is reached.
const prefetchAhead = 4

// New makes a pipe between a socket and a session: sndHWM and rcvHWM size
// the outbound and inbound rings, and conflate replaces both with a
// one-message slot. SetFar must be called before the pipe is shared.
func New(sndHWM, rcvHWM int, conflate bool) *Pipe {
	p := &Pipe{
		out:   ring.New[*mempool.Frame](sndHWM),
		in:    ring.New[*mempool.Frame](rcvHWM),
		Marks: Marks{LB: -1, FQ: -1},
	}
	if conflate {
		p.inSlot, p.outSlot = &conflateSlot{}, &conflateSlot{}
	}
	return p
}

// NewPair makes the two socket ends of an inproc link, sharing their
// rings: a's out is b's in. abCap and baCap size the rings from a to b and
// from b to a. Each end's Far must be set before it is shared.
func NewPair(abCap, baCap int) (a, b *Pipe) {
	ab := ring.New[*mempool.Frame](abCap)
	ba := ring.New[*mempool.Frame](baCap)
	a = &Pipe{out: ab, in: ba, spin: true, Marks: Marks{LB: -1, FQ: -1}}
	b = &Pipe{out: ba, in: ab, spin: true, Marks: Marks{LB: -1, FQ: -1}}
	return a, b
}

// SetFar sets the far end; before the pipe is shared.
func (p *Pipe) SetFar(f Far) { p.far = f }

// Far returns the far end.
func (p *Pipe) Far() Far { return p.far }

// Metadata returns the far end's current connection's metadata, or nil.
func (p *Pipe) Metadata() *zmtp.Metadata { return p.peer.Load() }

// DrainIn releases every message left inbound; only the side that owns
// consumption may call it.
func (p *Pipe) DrainIn() {
	if p.inSlot != nil {
		p.inSlot.drain()
	}
	drainRing(p.in)
}

// DrainOut is DrainIn for the outbound direction.
func (p *Pipe) DrainOut() {
	if p.outSlot != nil {
		p.outSlot.drain()
	}
	drainRing(p.out)
}

// TakeOut takes back the oldest message the peer never took, or nil when
// none is left. Only once the far end has stopped consuming (its detach
// arrived), as DrainOut: the socket is then the ring's only user. Under
// CONFLATE nothing is taken back.
func (p *Pipe) TakeOut() *mempool.Frame {
	if p.outSlot != nil {
		return nil
	}
	m, ok := p.out.Read()
	p.out.Release()
	if !ok {
		return nil
	}
	return m
}

// Write queues a whole message for the peer. It reports false when the
// pipe is full; the caller keeps the message.
func (p *Pipe) Write(msg *mempool.Frame) bool {
	var wake bool
	if p.outSlot != nil {
		wake = p.outSlot.put(msg) // never full: the older message goes
	} else {
		if !p.out.Write(msg) {
			return false
		}
		if p.batch.hold(p) {
			return true // Batch.End flushes
		}
		wake = p.out.Flush()
	}
	if wake {
		p.far.WakeReader()
	}
	return true
}

// HasRoom reports whether Write would succeed, without parking.
func (p *Pipe) HasRoom() bool { return p.outSlot != nil || p.out.HasRoom() }

// Writable reports whether Write would succeed; when the ring is full it
// parks the writer so the far end's next Release re-activates the pipe.
func (p *Pipe) Writable() bool {
	if p.HasRoom() {
		return true
	}
	return !p.out.TryParkWriter()
}

// Read takes the next whole message from the peer, or nil. When the ring is
// empty it puts the socket to sleep on it; the far end's next Flush then
// wakes the socket.
func (p *Pipe) Read() *mempool.Frame {
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
					p.far.WakeWriter()
				}
			}
			return m
		}
		if p.spin && p.spinForInput() {
			continue
		}
		p.unreleased = 0 // TrySleep releases
		sleep, wakeWriter := p.in.TrySleep()
		if wakeWriter {
			p.far.WakeWriter()
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
func (p *Pipe) spinForInput() bool {
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

// Queued returns the messages waiting in the pipe: out, sent by the socket
// and not yet taken by the peer; in, arrived and not yet received. A
// message the peer has taken but not yet released still counts as out,
// for up to one release batch. Under CONFLATE the one-message slots are
// not counted. The socket's side, under its mutex.
func (p *Pipe) Queued() (out, in int) {
	return p.out.WriterLen(), p.in.ReaderLen()
}
