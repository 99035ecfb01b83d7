package socket

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/mempool"
)

// dealer sends round-robin to peers with room, blocking when all are full,
// and receives fair-queued (ZMQ_DEALER). Frames pass unchanged.
type dealer struct {
	o  *Options
	lb lb
	fq fq
}

func (s *dealer) Attach(p *pipe.Pipe) bool {
	s.lb.attach(p)
	s.fq.attach(p)
	probe(s.o, p)
	return true
}

func (s *dealer) Detach(p *pipe.Pipe) {
	s.lb.remove(p)
	s.fq.activate(p) // drained, then removed by fq
}

func (s *dealer) ActivateRead(p *pipe.Pipe)  { s.fq.activate(p) }
func (s *dealer) ActivateWrite(p *pipe.Pipe) { s.lb.activate(p) }

func (s *dealer) CanSend() bool { return s.lb.next() != nil }

func (s *dealer) CheckSend(*mempool.Frame) (bool, error) { return s.lb.next() != nil, nil }

func (s *dealer) Send(msg *mempool.Frame) error {
	if _, ok := s.lb.send(msg); !ok {
		mempool.ReleaseChain(msg) // the only pipe left between checkSend and now
	}
	return nil
}

func (s *dealer) Recv() (*mempool.Frame, *pipe.Pipe, error) {
	msg, p := s.fq.recv()
	return msg, p, nil
}

// probe queues an empty message to a new peer when PROBE_ROUTER is set, so
// a ROUTER at the other end learns the peer's routing id at once.
func probe(o *Options, p *pipe.Pipe) {
	if o.ProbeRouter {
		sendTo(p, mempool.Get(0))
	}
}
