package socket

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/mempool"
)

// pull receives fair-queued from its peers (ZMQ_PULL). It never sends.
type pull struct {
	noSend
	fq fq
}

func (s *pull) Attach(p *pipe.Pipe) bool  { s.fq.attach(p); return true }
func (s *pull) Detach(p *pipe.Pipe)       { s.fq.activate(p) } // drained, then removed by fq
func (s *pull) ActivateRead(p *pipe.Pipe) { s.fq.activate(p) }

func (s *pull) Recv() (*mempool.Frame, *pipe.Pipe, error) {
	msg, p := s.fq.recv()
	return msg, p, nil
}
