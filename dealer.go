package zring

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/mempool"
)

// dealer sends round-robin to peers with room, blocking when all are full,
// and receives fair-queued (ZMQ_DEALER). Frames pass unchanged.
type dealer struct {
	o  *options
	lb lb
	fq fq
}

func (s *dealer) attach(p *pipe.Pipe) bool {
	s.lb.attach(p)
	s.fq.attach(p)
	probe(s.o, p)
	return true
}

func (s *dealer) detach(p *pipe.Pipe) {
	s.lb.remove(p)
	s.fq.activate(p) // drained, then removed by fq
}

func (s *dealer) activateRead(p *pipe.Pipe)  { s.fq.activate(p) }
func (s *dealer) activateWrite(p *pipe.Pipe) { s.lb.activate(p) }

func (s *dealer) canSend() bool { return s.lb.next() != nil }

func (s *dealer) checkSend(*mempool.Frame) (bool, error) { return s.lb.next() != nil, nil }

func (s *dealer) send(msg *mempool.Frame) error {
	if _, ok := s.lb.send(msg); !ok {
		mempool.ReleaseChain(msg) // the only pipe left between checkSend and now
	}
	return nil
}

func (s *dealer) recv() (*mempool.Frame, *pipe.Pipe, error) {
	msg, p := s.fq.recv()
	return msg, p, nil
}

// probe queues an empty message to a new peer when PROBE_ROUTER is set, so
// a ROUTER at the other end learns the peer's routing id at once.
func probe(o *options, p *pipe.Pipe) {
	if o.probeRouter {
		sendTo(p, mempool.Get(0))
	}
}
