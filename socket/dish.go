package socket

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/internal/zerr"
	"github.com/zring/zring/mempool"
	"github.com/zring/zring/zmtp"
)

// dish receives, fair-queued, the RADIO messages of the groups it joined,
// matched exactly (ZMQ_DISH, RFC 48), and tells every RADIO peer what it
// joins and leaves; a new or reconnected peer is told every group joined.
// Messages of other groups are dropped, as are incoming messages beyond the
// high-water mark. A DISH sends nothing else.
type dish struct {
	noSend
	fq     fq
	dist   dist
	joined map[string]struct{}
}

func newDish() *dish { return &dish{joined: make(map[string]struct{})} }

func (s *dish) Attach(p *pipe.Pipe) bool {
	s.fq.attach(p)
	s.dist.attach(p)
	s.Hiccup(p)
	return true
}

// Hiccup tells p, whose connection is new, every group joined.
func (s *dish) Hiccup(p *pipe.Pipe) {
	for group := range s.joined {
		sendTo(p, subscription(true, []byte(group)))
	}
}

func (s *dish) Detach(p *pipe.Pipe) {
	s.dist.remove(p)
	s.fq.activate(p) // drained, then removed by fq
}

func (s *dish) ActivateRead(p *pipe.Pipe) { s.fq.activate(p) }

func (s *dish) Join(group []byte, on bool) error {
	if len(group) > zmtp.MaxGroupLen {
		return zerr.ErrInvalid
	}
	if _, in := s.joined[string(group)]; in == on {
		return zerr.ErrInvalid
	}
	if on {
		s.joined[string(group)] = struct{}{}
	} else {
		delete(s.joined, string(group))
	}
	s.dist.markAll()
	s.dist.send(subscription(on, group))
	return nil
}

func (s *dish) Recv() (*mempool.Frame, *pipe.Pipe, error) {
	for {
		msg, p := s.fq.recv()
		if msg == nil {
			return nil, nil, nil
		}
		if _, in := s.joined[string(msg.Bytes())]; in && twoParts(msg) {
			return msg, p, nil
		}
		mempool.ReleaseChain(msg)
	}
}
