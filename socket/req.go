package socket

import "github.com/zring/zring/mempool"

// req sends requests round-robin and accepts only the matching reply
// (ZMQ_REQ). Each request goes out behind an empty delimiter frame; a second
// send before the reply, or a receive before a send, is ErrState.
type req struct {
	lb       lb
	fq       fq
	sentTo   *pipe // the peer holding our outstanding request
	awaiting bool  // a request is outstanding
}

func (s *req) attach(p *pipe) bool {
	s.lb.attach(p)
	s.fq.attach(p)
	return true
}

func (s *req) detach(p *pipe) {
	s.lb.remove(p)
	s.fq.activate(p)
}

func (s *req) activateRead(p *pipe)  { s.fq.activate(p) }
func (s *req) activateWrite(p *pipe) { s.lb.activate(p) }

func (s *req) checkSend() (bool, error) {
	if s.awaiting {
		return false, ErrState
	}
	return s.lb.next() != nil, nil
}

func (s *req) send(msg *mempool.Frame) error {
	d := delimiter()
	d.SetNext(msg)
	p, ok := s.lb.send(d)
	if !ok {
		mempool.ReleaseChain(d)
		return nil
	}
	s.sentTo, s.awaiting = p, true
	return nil
}

func (s *req) recv() (*mempool.Frame, error) {
	if !s.awaiting {
		return nil, ErrState
	}
	for {
		msg, p := s.fq.recv()
		if msg == nil {
			return nil, nil
		}
		// Only a reply from the peer we asked, starting with the empty
		// delimiter, is accepted; anything else is silently dropped.
		if p != s.sentTo || msg.Len() != 0 || msg.Next() == nil {
			mempool.ReleaseChain(msg)
			continue
		}
		body := msg.Next()
		msg.SetNext(nil)
		msg.Release()
		s.awaiting, s.sentTo = false, nil
		return body, nil
	}
}
