package socket

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/mempool"
)

// push sends round-robin to peers with room and blocks when all are full
// (ZMQ_PUSH). It never receives.
type push struct {
	noRecv
	lb lb
}

func (s *push) Attach(p *pipe.Pipe) bool   { s.lb.attach(p); return true }
func (s *push) Detach(p *pipe.Pipe)        { s.lb.remove(p) }
func (s *push) ActivateWrite(p *pipe.Pipe) { s.lb.activate(p) }
func (s *push) CanSend() bool              { return s.lb.next() != nil }

func (s *push) CheckSend(*mempool.Frame) (bool, error) { return s.lb.next() != nil, nil }

func (s *push) Send(msg *mempool.Frame) error {
	if _, ok := s.lb.send(msg); !ok {
		mempool.ReleaseChain(msg) // the only pipe left between checkSend and now
	}
	return nil
}
