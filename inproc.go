package zring

import (
	"fmt"
	"sync/atomic"

	"github.com/zring/zring/engine"
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/mempool"
	"github.com/zring/zring/zmtp"
)

// inproc:// joins two sockets of one context with a pair of pipes that
// share their rings: one socket's out ring is the other's in ring. A
// message moves from one user goroutine to the other by pointer, with no
// I/O thread, no syscall and no copy; a wakeup (a command posted to the
// other socket) happens only when the reader slept or the writer was
// parked, as on every pipe. Each direction holds the sender's SNDHWM plus
// the receiver's RCVHWM, as in libzmq.
//
// Bind and connect may come in either order. A connect to a name not bound
// yet makes both ends at once, attaches its own (messages queue) and leaves
// the other in the context's registry, sized with the default high-water
// mark for the missing side; the bind attaches it.

// inprocPeer is the far end of an inproc pipe: the Far of one socket's end,
// describing the other socket and its end.
type inprocPeer struct {
	// sock is the peer socket, nil until a pending connect is bound.
	// Stored once by the binder; loaded by the wakers.
	sock     atomic.Pointer[Socket]
	end      *pipe.Pipe  // the peer's end of the pair
	mirror   *inprocPeer // the peer end's Far, which describes this end
	endpoint string      // the inproc endpoint, for Disconnect and Unbind
	// gone is set when the peer socket closed: it will never consume
	// again, so this end may drain what it queued (engine.CmdDetach).
	// Only ever set to true, by the Refuse of the other end (its socket
	// declined the pipe or closed, releaseInproc, or a bind found this
	// pending connect incompatible), on that side's goroutine, just
	// before that Refuse posts this end's socket a CmdDetach. Loaded by
	// this end's socket when it runs a CmdDetach, under its own mutex,
	// which the storer does not hold. The load that must see true is the
	// one for that CmdDetach, and it does: the store is sequenced before
	// the post, and the mailbox orders the post before the command runs
	// (its mutex, or the atomic count that Take loads after Post added
	// to it), so the store happens before the load and needs no fence of
	// its own. The atomic is for a CmdDetach that Drop posted, which may
	// run concurrently with the store and read either value.
	gone atomic.Bool
	// farewell is, on a connector's end, the binder's DISCONNECT_MSG (when
	// its type receives one): the connector sends it to the binder when it
	// disconnects or closes, as libzmq's inproc does. Stored once, by
	// whoever links the pair (the connect, or the bind that finds it
	// pending); loaded by the connector's socket under its mutex.
	farewell atomic.Pointer[[]byte]
}

// hello queues the HELLO_MSG of o, the options of the socket owning p,
// as the first message on p, not yet shared with anyone.
func hello(p *pipe.Pipe, o *options, t Type) {
	if len(o.conn.HelloMsg) > 0 && t.SendsHello() {
		p.Write(mempool.FromBytes(o.conn.HelloMsg))
	}
}

// setFarewell gives the connector's end pb the DISCONNECT_MSG of the
// binder, a socket of type t with options o.
func setFarewell(pb *pipe.Pipe, o *options, t Type) {
	if msg := o.conn.DisconnectMsg; len(msg) > 0 && t.ReceivesDisconnect() {
		inprocOf(pb).farewell.Store(&msg)
	}
}

// sayFarewell sends the binder the message setFarewell gave p, once, as
// the connector leaves; s.mu must be held. A full pipe drops it.
func sayFarewell(p *pipe.Pipe) {
	if msg := inprocOf(p).farewell.Swap(nil); msg != nil && !p.Detached {
		f := mempool.FromBytes(*msg)
		if !p.Write(f) {
			f.Release()
		}
	}
}

// inprocOf returns the inproc peer behind p, or nil for a session's pipe.
func inprocOf(p *pipe.Pipe) *inprocPeer {
	ip, _ := p.Far().(*inprocPeer)
	return ip
}

// post delivers a command about the peer's end to the peer socket, if it
// is there yet: before the bind nobody sleeps on that end.
func (ip *inprocPeer) post(kind engine.Command) {
	if s := ip.sock.Load(); s != nil {
		s.post(command{kind: kind, p: ip.end})
	}
}

// WakeReader tells the peer socket a message came while it slept.
func (ip *inprocPeer) WakeReader() { ip.post(engine.CmdActivateRead) }

// WakeWriter tells the peer socket there is room again.
func (ip *inprocPeer) WakeWriter() { ip.post(engine.CmdActivateWrite) }

// Refuse runs when this end's socket declined the link, or closed: the
// peer's end detaches, marked gone so it drains what it queued, which
// nobody will read.
func (ip *inprocPeer) Refuse(error) {
	ip.mirror.gone.Store(true)
	ip.post(engine.CmdDetach)
}

// Drop ends the link while both sockets live (Disconnect, ROUTER_HANDOVER):
// both ends detach; each side's pattern still drains what reached it.
func (ip *inprocPeer) Drop() {
	ip.post(engine.CmdDetach)
	ip.mirror.post(engine.CmdDetach)
}

// inprocRegistry holds a context's bound inproc names and the connects that
// wait for them; guarded by Context.mu.
type inprocRegistry struct {
	bound   map[string]*Socket
	pending map[string][]*pipe.Pipe // the binder's ends of connects made first
}

// newInprocPair makes the ends of a link between a (the binder; nil while
// not bound) and b (the connector), with the options each had.
func newInprocPair(a, b *Socket, ao, bo *options, endpoint string) (pa, pb *pipe.Pipe) {
	pa, pb = pipe.NewPair(ao.conn.SndHWM+bo.conn.RcvHWM, bo.conn.SndHWM+ao.conn.RcvHWM)
	pa.RoutingID, pb.RoutingID = bo.conn.RoutingID, ao.conn.RoutingID
	fa := &inprocPeer{end: pb, endpoint: endpoint}
	fb := &inprocPeer{end: pa, endpoint: endpoint, mirror: fa}
	fa.mirror = fb
	pa.SetFar(fa)
	pb.SetFar(fb)
	fa.sock.Store(b)
	if a != nil {
		fb.sock.Store(a)
	}
	return pa, pb
}

// bindInproc registers name for s and attaches the connects waiting for it.
func (s *Socket) bindInproc(name string) error {
	c := s.ctx
	c.mu.Lock()
	if c.inproc.bound[name] != nil {
		c.mu.Unlock()
		return ErrAddrInUse
	}
	if c.inproc.bound == nil {
		c.inproc.bound = make(map[string]*Socket)
	}
	c.inproc.bound[name] = s
	waiting := c.inproc.pending[name]
	delete(c.inproc.pending, name)
	c.mu.Unlock()
	so := s.optsSnapshot()
	for _, pa := range waiting {
		fa := inprocOf(pa)
		if b := fa.sock.Load(); !zmtp.Compatible(s.typ, b.typ) {
			// Refused, as an invalid pairing over tcp is: the connector's
			// end detaches, and drains what it queued (s never will).
			fa.Refuse(nil)
			continue
		}
		setFarewell(fa.end, &so, s.typ)
		hello(pa, &so, s.typ)
		fa.mirror.sock.Store(s) // the connector's end now has a peer
		s.attachNow(pa)
	}
	return nil
}

// connectInproc links s to the socket bound at name, or queues the link
// until one is, and returns s's end of it. Pairing types the RFCs forbid
// is ErrInvalid.
func (s *Socket) connectInproc(name, endpoint string) (*pipe.Pipe, error) {
	c := s.ctx
	so := s.optsSnapshot()
	c.mu.Lock()
	a := c.inproc.bound[name]
	var ao options
	if a != nil {
		ao = a.optsSnapshot()
	} else {
		ao = defaultOptions()
	}
	if a != nil && !zmtp.Compatible(s.typ, a.typ) {
		c.mu.Unlock()
		return nil, fmt.Errorf("%w: %v cannot talk to %v", ErrInvalid, s.typ, a.typ)
	}
	pa, pb := newInprocPair(a, s, &ao, &so, endpoint)
	hello(pb, &so, s.typ)
	if a != nil {
		setFarewell(pb, &ao, a.typ)
		hello(pa, &ao, a.typ)
	}
	if a == nil {
		if c.inproc.pending == nil {
			c.inproc.pending = make(map[string][]*pipe.Pipe)
		}
		c.inproc.pending[name] = append(c.inproc.pending[name], pa)
	}
	c.mu.Unlock()
	s.attachNow(pb)
	if a != nil {
		a.post(command{kind: engine.CmdAttach, p: pa})
	}
	return pb, nil
}

// attachNow attaches p on the calling goroutine.
func (s *Socket) attachNow(p *pipe.Pipe) {
	s.mu.Lock()
	s.runCommand(command{kind: engine.CmdAttach, p: p})
	s.mu.Unlock()
}

// optsSnapshot copies the socket's options.
func (s *Socket) optsSnapshot() options {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opts
}

// releaseInproc runs when s closes, with s.mu held and closeErr set: s
// drains its in rings for the last time, and each peer detaches its end,
// marked gone so it drains what it queued for s.
func (s *Socket) releaseInproc() {
	for _, p := range s.pipes {
		if ip := inprocOf(p); ip != nil {
			p.DrainIn()
			sayFarewell(p)
			ip.Refuse(nil)
		}
	}
}

// forgetInproc removes s's names from the registry; without s.mu (the
// registry's lock comes first).
func (s *Socket) forgetInproc() {
	c := s.ctx
	c.mu.Lock()
	defer c.mu.Unlock()
	for name, b := range c.inproc.bound {
		if b == s {
			delete(c.inproc.bound, name)
		}
	}
	// Connects s made to names nobody bound yet will never be used.
	for name, waiting := range c.inproc.pending {
		kept := waiting[:0]
		for _, pa := range waiting {
			if inprocOf(pa).sock.Load() != s {
				kept = append(kept, pa)
			}
		}
		clear(waiting[len(kept):])
		if len(kept) == 0 {
			delete(c.inproc.pending, name)
		} else {
			c.inproc.pending[name] = kept
		}
	}
}

// unbindInproc removes name from the registry if s bound it. Links already
// made stay up.
func (s *Socket) unbindInproc(name string) bool {
	c := s.ctx
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inproc.bound[name] != s {
		return false
	}
	delete(c.inproc.bound, name)
	return true
}

// disconnectInproc drops s's links made by Connect(endpoint).
func (s *Socket) disconnectInproc(endpoint string) bool {
	s.mu.Lock()
	var found []*pipe.Pipe
	for _, p := range s.pipes {
		if ip := inprocOf(p); ip != nil && ip.endpoint == endpoint && !p.Detached {
			sayFarewell(p)
			found = append(found, p)
		}
	}
	s.mu.Unlock()
	for _, p := range found {
		p.Far().Drop()
	}
	return len(found) > 0
}
