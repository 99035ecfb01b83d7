package socket

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/internal/zerr"
	"github.com/zring/zring/mempool"
)

// client talks to SERVER peers with single-part messages (ZMQ_CLIENT,
// RFC 41): sends go round-robin to peers with room, blocking when all are
// full, and receives are fair-queued, as a DEALER's. A message with MORE is
// zerr.ErrInvalid to send, and one that arrives with more parts (which no
// SERVER sends) is dropped whole.
type client struct {
	lb lb
	fq fq
}

func (s *client) Attach(p *pipe.Pipe) bool {
	s.lb.attach(p)
	s.fq.attach(p)
	return true
}

func (s *client) Detach(p *pipe.Pipe) {
	s.lb.remove(p)
	s.fq.activate(p) // drained, then removed by fq
}

func (s *client) ActivateRead(p *pipe.Pipe)  { s.fq.activate(p) }
func (s *client) ActivateWrite(p *pipe.Pipe) { s.lb.activate(p) }

func (s *client) CanSend() bool { return s.lb.next() != nil }

func (s *client) CheckSend(first *mempool.Frame) (bool, error) {
	if first.More() {
		return false, zerr.ErrInvalid
	}
	return s.lb.next() != nil, nil
}

func (s *client) Send(msg *mempool.Frame) error {
	if _, ok := s.lb.send(msg); !ok {
		mempool.ReleaseChain(msg) // the only pipe left between CheckSend and now
	}
	return nil
}

func (s *client) Recv() (*mempool.Frame, *pipe.Pipe, error) {
	msg, p := recvSingle(&s.fq)
	return msg, p, nil
}

// recvSingle takes the next single-part message from fq, dropping any with
// more parts (the thread-safe types exchange single parts only, and libzmq
// drops the others the same way).
func recvSingle(q *fq) (*mempool.Frame, *pipe.Pipe) {
	for {
		msg, p := q.recv()
		if msg == nil || msg.Next() == nil {
			return msg, p
		}
		mempool.ReleaseChain(msg)
	}
}
