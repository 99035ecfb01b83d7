package zring

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/mempool"
)

// pull receives fair-queued from its peers (ZMQ_PULL). It never sends.
type pull struct {
	noSend
	fq fq
}

func (s *pull) attach(p *pipe.Pipe) bool  { s.fq.attach(p); return true }
func (s *pull) detach(p *pipe.Pipe)       { s.fq.activate(p) } // drained, then removed by fq
func (s *pull) activateRead(p *pipe.Pipe) { s.fq.activate(p) }

func (s *pull) recv() (*mempool.Frame, *pipe.Pipe, error) {
	msg, p := s.fq.recv()
	return msg, p, nil
}
