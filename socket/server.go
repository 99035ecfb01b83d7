package socket

import (
	"math/rand/v2"

	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/internal/zerr"
	"github.com/zring/zring/mempool"
)

// server answers CLIENT peers with single-part messages (ZMQ_SERVER, RFC
// 41). Each peer gets a routing id, a nonzero 32-bit number the server
// makes, as libzmq's does: a received message carries its peer's in
// Frame.RoutingID, and a message to send names its peer there. A message
// with MORE is zerr.ErrInvalid, one for an unknown peer
// zerr.ErrHostUnreachable; a full peer makes the send wait for room
// (zerr.ErrAgain with DontWait), as libzmq's SERVER does.
type server struct {
	fq     fq
	peers  map[uint32]*pipe.Pipe
	nextID uint32
	// out is the peer of the message being sent, resolved by CheckSend.
	out *pipe.Pipe
}

func newServer() *server {
	return &server{peers: make(map[uint32]*pipe.Pipe), nextID: rand.Uint32()}
}

func (s *server) Attach(p *pipe.Pipe) bool {
	for {
		s.nextID++
		if s.nextID != 0 && s.peers[s.nextID] == nil {
			break
		}
	}
	p.Marks.ID = s.nextID
	s.peers[p.Marks.ID] = p
	s.fq.attach(p)
	return true
}

func (s *server) Detach(p *pipe.Pipe) {
	if s.peers[p.Marks.ID] == p {
		delete(s.peers, p.Marks.ID)
	}
	if s.out == p {
		s.out = nil
	}
	s.fq.activate(p) // drained, then removed by fq
}

func (s *server) ActivateRead(p *pipe.Pipe) { s.fq.activate(p) }
func (s *server) ActivateWrite(*pipe.Pipe)  {} // a waiting send retries CheckSend

// CanSend is true, as libzmq's SERVER reports POLLOUT: which peer a
// message goes to is known only from the message.
func (s *server) CanSend() bool { return true }

func (s *server) CheckSend(first *mempool.Frame) (bool, error) {
	s.out = nil
	if err := refuseMore(first); err != nil {
		return false, err
	}
	p := s.peers[first.RoutingID()]
	switch {
	case p == nil || p.Detached:
		return false, zerr.ErrHostUnreachable
	case !p.Writable():
		return false, nil
	}
	s.out = p
	return true, nil
}

func (s *server) Send(msg *mempool.Frame) error {
	p := s.out
	s.out = nil
	if p == nil || p.Detached || !p.Write(msg) {
		countDrop(p, msg)
		mempool.ReleaseChain(msg)
	}
	return nil
}

func (s *server) Recv() (*mempool.Frame, *pipe.Pipe, error) {
	msg, p := recvSingle(&s.fq)
	if msg != nil {
		msg.SetRoutingID(p.Marks.ID)
	}
	return msg, p, nil
}
