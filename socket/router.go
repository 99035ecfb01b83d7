package socket

import (
	"encoding/binary"
	"math/rand/v2"

	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/internal/zerr"

	"github.com/zring/zring/mempool"
)

// router addresses peers by routing id (ZMQ_ROUTER). A received message is
// prefixed with a frame holding its peer's routing id; a sent message's
// first frame names the peer it goes to and is removed. A message for an
// unknown or full peer is dropped, unless ROUTER_MANDATORY makes that
// zerr.ErrHostUnreachable, or a wait for room (zerr.ErrAgain with DontWait).
//
// A peer's routing id is the Identity it announced, the CONNECT_ROUTING_ID
// given for its connect, or else generated: a zero byte and a 32-bit
// counter, as libzmq makes them.
type router struct {
	o      *Options
	fq     fq
	peers  map[string]*pipe.Pipe
	nextID uint32
	// out is the peer of the message being sent, resolved by checkSend on
	// its first frame; nil drops the message.
	out *pipe.Pipe
	// alwaysMandatory makes every send behave as under ROUTER_MANDATORY
	// (STREAM).
	alwaysMandatory bool
}

func (s *router) mandatory() bool { return s.alwaysMandatory || s.o.RouterMandatory }

func newRouter(o *Options) *router {
	return &router{o: o, peers: make(map[string]*pipe.Pipe), nextID: rand.Uint32()}
}

// attach names the pipe. A peer announcing a routing id already in use is
// refused, unless ROUTER_HANDOVER lets it take the id over from the old
// connection, which is closed.
func (s *router) Attach(p *pipe.Pipe) bool {
	if len(p.RoutingID) == 0 {
		p.RoutingID = s.generateID()
	} else if old := s.peers[string(p.RoutingID)]; old != nil {
		if !s.o.RouterHandover {
			return false
		}
		delete(s.peers, string(old.RoutingID))
		old.RoutingID = s.generateID()
		s.peers[string(old.RoutingID)] = old
		old.Far().Drop()
	}
	s.peers[string(p.RoutingID)] = p
	s.fq.attach(p)
	probe(s.o, p)
	return true
}

func (s *router) generateID() []byte {
	id := make([]byte, 5)
	for {
		s.nextID++
		binary.BigEndian.PutUint32(id[1:], s.nextID)
		if s.peers[string(id)] == nil {
			return id
		}
	}
}

func (s *router) Detach(p *pipe.Pipe) {
	if s.peers[string(p.RoutingID)] == p {
		delete(s.peers, string(p.RoutingID))
	}
	if s.out == p {
		s.out = nil
	}
	s.fq.activate(p) // drained, then removed by fq
}

func (s *router) ActivateRead(p *pipe.Pipe) { s.fq.activate(p) }
func (s *router) ActivateWrite(*pipe.Pipe)  {} // a waiting send retries checkSend

// canSend is true unless ROUTER_MANDATORY is set and no peer has room, as
// in libzmq.
func (s *router) CanSend() bool {
	if !s.mandatory() {
		return true
	}
	for _, p := range s.peers {
		if !p.Detached && p.HasRoom() {
			return true
		}
	}
	return false
}

// checkSend resolves the peer named by the first frame. A lone frame (no
// MORE) is no message and is dropped without complaint, as in libzmq.
func (s *router) CheckSend(first *mempool.Frame) (bool, error) {
	s.out = nil
	if !first.More() {
		return true, nil
	}
	p := s.peers[string(first.Bytes())]
	switch {
	case p == nil || p.Detached:
		if s.mandatory() {
			return false, zerr.ErrHostUnreachable
		}
	case !p.Writable():
		if s.mandatory() {
			return false, nil // wait for room (zerr.ErrAgain with DontWait)
		}
	default:
		s.out = p
	}
	return true, nil
}

func (s *router) Send(msg *mempool.Frame) error {
	body := msg.Next()
	msg.SetNext(nil)
	msg.Release()
	p := s.out
	s.out = nil
	if p == nil || p.Detached || body == nil || !p.Write(body) {
		countDrop(p, body)
		mempool.ReleaseChain(body)
	}
	return nil
}

func (s *router) Recv() (*mempool.Frame, *pipe.Pipe, error) {
	msg, p := s.fq.recv()
	if msg == nil {
		return nil, nil, nil
	}
	id := mempool.FromBytes(p.RoutingID)
	id.SetMore(true)
	id.SetNext(msg)
	return id, p, nil
}
