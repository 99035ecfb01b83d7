package socket

import (
	"encoding/binary"
	"math/rand/v2"

	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/internal/zerr"

	"github.com/zring/zring/mempool"
)

// req sends requests round-robin and accepts only the matching reply
// (ZMQ_REQ). Each request goes out behind an empty delimiter frame, and
// with REQ_CORRELATE behind a 4-byte request id before that. Without
// REQ_RELAXED a second send before the reply, or a receive before a send,
// is zerr.ErrState; with it a new request abandons the outstanding one.
type req struct {
	dealer
	sentTo   *pipe.Pipe // the peer holding our outstanding request
	awaiting bool       // a request is outstanding
	id       uint32     // the outstanding request's id (REQ_CORRELATE)
}

func newReq(o *Options) *req {
	return &req{dealer: dealer{o: o}, id: rand.Uint32()}
}

func (s *req) CanSend() bool {
	return (!s.awaiting || s.o.ReqRelaxed) && s.dealer.CanSend()
}

func (s *req) CheckSend(first *mempool.Frame) (bool, error) {
	if s.awaiting && !s.o.ReqRelaxed {
		return false, zerr.ErrState
	}
	return s.dealer.CheckSend(first)
}

func (s *req) Send(msg *mempool.Frame) error {
	head := delimiter()
	head.SetNext(msg)
	if s.o.ReqCorrelate {
		s.id++
		idf := mempool.Get(4)
		// libzmq copies the id in host order; only this socket reads it.
		binary.LittleEndian.PutUint32(idf.Bytes(), s.id)
		idf.SetMore(true)
		idf.SetNext(head)
		head = idf
	}
	p, ok := s.lb.send(head)
	if !ok {
		mempool.ReleaseChain(head)
		p = nil
	}
	s.sentTo, s.awaiting = p, true
	return nil
}

func (s *req) Recv() (*mempool.Frame, *pipe.Pipe, error) {
	if !s.awaiting {
		return nil, nil, zerr.ErrState
	}
	for {
		msg, p := s.fq.recv()
		if msg == nil {
			return nil, nil, nil
		}
		// Only a reply from the peer we asked, with the right envelope, is
		// accepted; anything else is silently dropped.
		body := s.matchReply(msg)
		if p != s.sentTo || body == nil {
			mempool.ReleaseChain(msg)
			continue
		}
		s.awaiting, s.sentTo = false, nil
		return body, p, nil
	}
}

// matchReply checks the reply's envelope (request id if correlating, then
// the empty delimiter) and returns the body cut off from it, or nil.
func (s *req) matchReply(msg *mempool.Frame) *mempool.Frame {
	f := msg
	if s.o.ReqCorrelate {
		if f.Len() != 4 || binary.LittleEndian.Uint32(f.Bytes()) != s.id {
			return nil
		}
		f = f.Next()
	}
	if f == nil || f.Len() != 0 || f.Next() == nil {
		return nil
	}
	body := f.Next()
	f.SetNext(nil)
	mempool.ReleaseChain(msg)
	return body
}
