package socket

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/internal/zerr"
	"github.com/zring/zring/mempool"
)

// rep receives requests fair-queued and sends each reply back to the peer
// that asked, behind the request's envelope (ZMQ_REP). Sending never blocks:
// a reply whose peer is gone or full is dropped.
type rep struct {
	fq       fq
	replying bool           // a request was received and awaits its reply
	envelope *mempool.Frame // routing frames up to and including the delimiter
	replyTo  *pipe.Pipe
}

func (s *rep) Attach(p *pipe.Pipe) bool  { s.fq.attach(p); return true }
func (s *rep) Detach(p *pipe.Pipe)       { s.fq.activate(p) }
func (s *rep) ActivateRead(p *pipe.Pipe) { s.fq.activate(p) }
func (s *rep) ActivateWrite(*pipe.Pipe)  {}

func (s *rep) CanSend() bool { return s.replying }

func (s *rep) CheckSend(*mempool.Frame) (bool, error) {
	if !s.replying {
		return false, zerr.ErrState
	}
	return true, nil
}

func (s *rep) Send(msg *mempool.Frame) error {
	tail := s.envelope
	for tail.Next() != nil {
		tail = tail.Next()
	}
	tail.SetNext(msg)
	sendTo(s.replyTo, s.envelope)
	s.replying, s.envelope, s.replyTo = false, nil, nil
	return nil
}

func (s *rep) Recv() (*mempool.Frame, *pipe.Pipe, error) {
	if s.replying {
		return nil, nil, zerr.ErrState
	}
	for {
		msg, p := s.fq.recv()
		if msg == nil {
			return nil, nil, nil
		}
		body := splitEnvelope(msg)
		if body == nil {
			mempool.ReleaseChain(msg) // no delimiter: not a valid request
			continue
		}
		s.replying, s.envelope, s.replyTo = true, msg, p
		return body, p, nil
	}
}

// splitEnvelope cuts msg after its first empty frame and returns the body,
// or nil (leaving msg intact) when there is no delimiter or no body.
func splitEnvelope(msg *mempool.Frame) *mempool.Frame {
	for f := msg; f != nil; f = f.Next() {
		if f.Len() == 0 {
			body := f.Next()
			if body != nil {
				f.SetNext(nil)
			}
			return body
		}
	}
	return nil
}
