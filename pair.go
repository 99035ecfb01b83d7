package zring

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/mempool"
)

// pair talks to exactly one peer (ZMQ_PAIR); further peers are refused.
// Sending blocks at the high-water mark.
type pair struct {
	p *pipe.Pipe
}

func (s *pair) attach(p *pipe.Pipe) bool {
	if s.p != nil && !s.p.Detached {
		return false
	}
	s.p = p
	return true
}

func (s *pair) detach(p *pipe.Pipe) {
	// Messages already in p.in stay readable until drained.
}

func (s *pair) activateRead(*pipe.Pipe)  {}
func (s *pair) activateWrite(*pipe.Pipe) {}

func (s *pair) canSend() bool { ok, _ := s.checkSend(nil); return ok }

func (s *pair) checkSend(*mempool.Frame) (bool, error) {
	return s.p != nil && !s.p.Detached && s.p.Writable(), nil
}

func (s *pair) send(msg *mempool.Frame) error {
	sendTo(s.p, msg)
	return nil
}

func (s *pair) recv() (*mempool.Frame, *pipe.Pipe, error) {
	if s.p == nil {
		return nil, nil, nil
	}
	return s.p.Read(), s.p, nil
}
