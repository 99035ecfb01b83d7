package socket

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/mempool"
)

// pair talks to exactly one peer (ZMQ_PAIR); further peers are refused.
// Sending blocks at the high-water mark.
type pair struct {
	p *pipe.Pipe
}

func (s *pair) Attach(p *pipe.Pipe) bool {
	if s.p != nil && !s.p.Detached {
		return false
	}
	s.p = p
	return true
}

func (s *pair) Detach(p *pipe.Pipe) {
	// Messages already in p.in stay readable until drained.
}

func (s *pair) ActivateRead(*pipe.Pipe)  {}
func (s *pair) ActivateWrite(*pipe.Pipe) {}

func (s *pair) CanSend() bool { ok, _ := s.CheckSend(nil); return ok }

func (s *pair) CheckSend(*mempool.Frame) (bool, error) {
	return s.p != nil && !s.p.Detached && s.p.Writable(), nil
}

func (s *pair) Send(msg *mempool.Frame) error {
	sendTo(s.p, msg)
	return nil
}

func (s *pair) Recv() (*mempool.Frame, *pipe.Pipe, error) {
	if s.p == nil {
		return nil, nil, nil
	}
	return s.p.Read(), s.p, nil
}
