package socket

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/mempool"
)

// stream talks plain TCP to peers that do not speak ZMTP (ZMQ_STREAM). It
// is a ROUTER without the protocol: every received chunk of bytes arrives
// as [routing id][data], and [routing id][data] writes data to that
// connection. Sending [routing id][empty] closes it. Sends to an unknown
// peer are zerr.ErrHostUnreachable and to a full one wait, as under
// ROUTER_MANDATORY. With STREAM_NOTIFY (the default) the application also
// receives [routing id][empty] when a connection opens and when it closes;
// like the data, these carry the connection's Metadata (Peer-Address), as
// libzmq's raw engine attaches it to both.
type stream struct {
	router
	// pending holds notifications for the application, oldest first.
	pending notices
	// gone are closed pipes whose disconnect notice waits until their last
	// data was received.
	gone []*pipe.Pipe
}

func (s *stream) Attach(p *pipe.Pipe) bool {
	if !s.router.Attach(p) {
		return false
	}
	if s.o.StreamNotify {
		s.pending.push(s.notice(p), p)
	}
	return true
}

func (s *stream) Detach(p *pipe.Pipe) {
	if s.o.StreamNotify {
		s.gone = append(s.gone, p)
	}
	s.router.Detach(p)
}

// notice returns the message [routing id][empty] for p.
func (s *stream) notice(p *pipe.Pipe) *mempool.Frame {
	id := mempool.FromBytes(p.RoutingID)
	id.SetMore(true)
	id.SetNext(mempool.Get(0))
	return id
}

func (s *stream) Recv() (*mempool.Frame, *pipe.Pipe, error) {
	if s.pending.empty() {
		if msg, p, _ := s.router.Recv(); msg != nil {
			return msg, p, nil
		}
		s.noticeGone()
	}
	n, _ := s.pending.pop()
	return n.msg, n.p, nil
}

// noticeGone queues the disconnect notices of closed pipes whose data has
// all been received (fq removed them).
func (s *stream) noticeGone() {
	kept := s.gone[:0]
	for _, p := range s.gone {
		if p.Marks.FQ < 0 {
			s.pending.push(s.notice(p), p)
		} else {
			kept = append(kept, p)
		}
	}
	clear(s.gone[len(kept):])
	s.gone = kept
}
