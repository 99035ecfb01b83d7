package socket

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/internal/zerr"
	"github.com/zring/zring/mempool"
)

// radio publishes each message to the peers that joined its group, matched
// exactly, not by prefix (ZMQ_RADIO, RFC 48); a udp:// peer (Pipe.Datagram)
// gets every group. Like PUB it never blocks: a peer whose queue is full
// misses the message, unless XPUB_NODROP makes the send wait, as libzmq's
// RADIO does.
type radio struct {
	o    *Options
	dist dist
	// members lists, per group, the peers that joined it. A group's key is
	// made once, when it is first joined; a send looks it up without
	// allocating.
	members map[string][]*pipe.Pipe
	// all are the udp:// peers.
	all []*pipe.Pipe
}

func newRadio(o *Options) *radio {
	return &radio{o: o, members: make(map[string][]*pipe.Pipe)}
}

func (s *radio) Attach(p *pipe.Pipe) bool {
	s.dist.attach(p)
	if p.Datagram {
		s.all = append(s.all, p)
	}
	s.readJoins(p)
	return true
}

func (s *radio) ActivateRead(p *pipe.Pipe) { s.readJoins(p) }
func (s *radio) ActivateWrite(*pipe.Pipe)  {} // a NODROP send waiting for room retries

// readJoins applies every JOIN and LEAVE p has sent. Nothing else reaches
// a RADIO: the engine drops a DISH's data frames, as libzmq does.
func (s *radio) readJoins(p *pipe.Pipe) {
	for msg := p.Read(); msg != nil; msg = p.Read() {
		if b := msg.Bytes(); len(b) > 0 && msg.Next() == nil {
			s.join(b[1:], p, b[0] == 1)
		}
		mempool.ReleaseChain(msg)
	}
}

func (s *radio) join(group []byte, p *pipe.Pipe, on bool) {
	peers := s.members[string(group)]
	for i, q := range peers {
		if q != p {
			continue
		}
		if !on {
			s.unjoin(string(group), peers, i)
		}
		return // left, or joined already
	}
	if on {
		s.members[string(group)] = append(peers, p)
	}
}

// unjoin removes peers[i], the members of group, forgetting the group when
// it has none left.
func (s *radio) unjoin(group string, peers []*pipe.Pipe, i int) {
	last := len(peers) - 1
	peers[i], peers[last] = peers[last], nil
	if last == 0 {
		delete(s.members, group)
	} else {
		s.members[group] = peers[:last]
	}
}

func (s *radio) Detach(p *pipe.Pipe) {
	s.readJoins(p)
	s.dist.remove(p)
	for group, peers := range s.members {
		for i, q := range peers {
			if q == p {
				s.unjoin(group, peers, i)
				break
			}
		}
	}
	for i, q := range s.all {
		if q == p {
			s.all = append(s.all[:i], s.all[i+1:]...)
			break
		}
	}
}

// match collects the targets of a message whose group frame is group.
func (s *radio) match(group *mempool.Frame) {
	s.dist.begin()
	for _, p := range s.members[string(group.Bytes())] {
		s.dist.mark(p)
	}
	for _, p := range s.all {
		s.dist.mark(p)
	}
}

func (s *radio) CanSend() bool { return true } // as libzmq: a full peer is found on send

func (s *radio) CheckSend(first *mempool.Frame) (bool, error) {
	if err := checkGroupFirst(first); err != nil {
		return false, err
	}
	if !s.o.XPubNoDrop {
		return true, nil
	}
	s.match(first)
	return s.dist.writable(), nil
}

func (s *radio) Send(msg *mempool.Frame) error {
	if !twoParts(msg) {
		mempool.ReleaseChain(msg)
		return zerr.ErrInvalid
	}
	s.match(msg)
	s.dist.send(msg)
	return nil
}

func (s *radio) Recv() (*mempool.Frame, *pipe.Pipe, error) { return nil, nil, zerr.ErrNotSupported }
