package zring

import (
	"fmt"
	"sync/atomic"

	"github.com/zring/zring/mempool"
	"github.com/zring/zring/ring"
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

// inprocPeer is the far end of an inproc pipe.
type inprocPeer struct {
	// sock is the peer socket, nil until a pending connect is bound.
	// Stored once by the binder; loaded by the wakers.
	sock     atomic.Pointer[Socket]
	pipe     *pipe  // the peer's end of the pair
	endpoint string // the inproc endpoint, for Disconnect and Unbind
	// gone is set when the peer socket closed: it will never consume
	// again, so this end may drain what it queued (cmdDetach).
	gone atomic.Bool
}

// post delivers a command about the peer's end to the peer socket, if it
// is there yet: before the bind nobody sleeps on that end.
func (ip *inprocPeer) post(kind cmdKind) {
	if s := ip.sock.Load(); s != nil {
		s.post(command{kind: kind, p: ip.pipe})
	}
}

// inprocRegistry holds a context's bound inproc names and the connects that
// wait for them; guarded by Context.mu.
type inprocRegistry struct {
	bound   map[string]*Socket
	pending map[string][]*pipe // the binder's ends of connects made first
}

// newInprocPair makes the ends of a link between a (the binder; nil while
// not bound) and b (the connector), with the options each had.
func newInprocPair(a, b *Socket, ao, bo *options, endpoint string) (pa, pb *pipe) {
	ab := ring.New[*mempool.Frame](ao.sndHWM + bo.rcvHWM)
	ba := ring.New[*mempool.Frame](bo.sndHWM + ao.rcvHWM)
	pa = &pipe{out: ab, in: ba, lbIdx: -1, fqIdx: -1, routingID: bo.routingID}
	pb = &pipe{out: ba, in: ab, lbIdx: -1, fqIdx: -1, routingID: ao.routingID}
	pa.inproc = &inprocPeer{pipe: pb, endpoint: endpoint}
	pb.inproc = &inprocPeer{pipe: pa, endpoint: endpoint}
	pa.inproc.sock.Store(b)
	if a != nil {
		pb.inproc.sock.Store(a)
	}
	return pa, pb
}

// bindInproc registers name for s and attaches the connects waiting for it.
func (s *Socket) bindInproc(name string) error {
	c := s.ctx
	c.mu.Lock()
	if c.inproc.bound[name] != nil {
		c.mu.Unlock()
		return fmt.Errorf("%w: inproc://%s", ErrAddrInUse, name)
	}
	if c.inproc.bound == nil {
		c.inproc.bound = make(map[string]*Socket)
	}
	c.inproc.bound[name] = s
	waiting := c.inproc.pending[name]
	delete(c.inproc.pending, name)
	c.mu.Unlock()
	for _, pa := range waiting {
		if b := pa.inproc.sock.Load(); !zmtp.Compatible(s.typ, b.typ) {
			// Refused, as an invalid pairing over tcp is: the connector's
			// end detaches, and drains what it queued (s never will).
			pb := pa.inproc.pipe
			pb.inproc.gone.Store(true)
			b.post(command{kind: cmdDetach, p: pb})
			continue
		}
		pa.inproc.pipe.inproc.sock.Store(s) // the connector's end now has a peer
		s.attachNow(pa)
	}
	return nil
}

// connectInproc links s to the socket bound at name, or queues the link
// until one is. Pairing types the RFCs forbid is ErrInvalid.
func (s *Socket) connectInproc(name, endpoint string) error {
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
		return fmt.Errorf("%w: %v cannot talk to %v over %s", ErrInvalid, s.typ, a.typ, endpoint)
	}
	pa, pb := newInprocPair(a, s, &ao, &so, endpoint)
	if a == nil {
		if c.inproc.pending == nil {
			c.inproc.pending = make(map[string][]*pipe)
		}
		c.inproc.pending[name] = append(c.inproc.pending[name], pa)
	}
	c.mu.Unlock()
	s.attachNow(pb)
	if a != nil {
		a.post(command{kind: cmdAttach, p: pa})
	}
	return nil
}

// attachNow attaches p on the calling goroutine.
func (s *Socket) attachNow(p *pipe) {
	s.mu.Lock()
	s.runCommand(command{kind: cmdAttach, p: p})
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
		if p.inproc != nil {
			p.drainIn()
			p.inproc.pipe.inproc.gone.Store(true)
			p.inproc.post(cmdDetach)
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
			if pa.inproc.sock.Load() != s {
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
	var found []*pipe
	for _, p := range s.pipes {
		if p.inproc != nil && p.inproc.endpoint == endpoint && !p.detached {
			found = append(found, p)
		}
	}
	s.mu.Unlock()
	for _, p := range found {
		dropInproc(p)
	}
	return len(found) > 0
}

// dropInproc ends an inproc link while both sockets live (a refused
// attach, Disconnect, ROUTER_HANDOVER): both ends detach; each side's
// pattern still drains what reached it.
func dropInproc(p *pipe) {
	p.inproc.post(cmdDetach)
	p.inproc.pipe.inproc.post(cmdDetach)
}
