package socket

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/internal/zerr"
	"github.com/zring/zring/mempool"
)

// xsub receives fair-queued from publishers, keeping messages whose first
// frame matches a subscription, and sends subscriptions and data upstream
// to all of them (ZMQ_XSUB; with sub set, ZMQ_SUB, whose application sends
// nothing and subscribes through Subscribe).
//
// Subscriptions are counted: every subscribe goes upstream, a cancel only
// when the topic's count reaches zero, as libzmq's SUB does. A new or
// reconnected publisher is sent each distinct topic once.
type xsub struct {
	o    *Options
	sub  bool
	subs trie
	dist dist
	fq   fq
}

func (s *xsub) Attach(p *pipe.Pipe) bool {
	s.fq.attach(p)
	s.dist.attach(p)
	s.Hiccup(p)
	return true
}

// hiccup resends every topic to p, whose connection is new.
func (s *xsub) Hiccup(p *pipe.Pipe) {
	s.subs.topics(func(topic []byte) { sendTo(p, subscription(true, topic)) })
}

func (s *xsub) Detach(p *pipe.Pipe) {
	s.dist.remove(p)
	s.fq.activate(p) // drained, then removed by fq
}

func (s *xsub) ActivateRead(p *pipe.Pipe) { s.fq.activate(p) }
func (s *xsub) ActivateWrite(*pipe.Pipe)  {} // upstream never blocks

func (s *xsub) CanSend() bool { return !s.sub }

func (s *xsub) CheckSend(*mempool.Frame) (bool, error) {
	if s.sub {
		return false, zerr.ErrNotSupported
	}
	return true, nil
}

// send takes the application's message (XSUB): [0x01|topic] and
// [0x00|topic] update the subscriptions, anything else is data; both go to
// every publisher.
func (s *xsub) Send(msg *mempool.Frame) error {
	if b := msg.Bytes(); len(b) > 0 && b[0] <= 1 {
		s.apply(msg, b[0] == 1, b[1:])
		return nil
	}
	s.upstream(msg)
	return nil
}

// subscribe is the application's Subscribe or Unsubscribe.
func (s *xsub) Subscribe(topic []byte, on bool) error {
	s.apply(subscription(on, topic), on, topic)
	return nil
}

// apply counts a subscription or cancel and sends msg upstream unless it
// is a cancel of a topic still subscribed.
func (s *xsub) apply(msg *mempool.Frame, on bool, topic []byte) {
	if on {
		s.subs.add(topic)
	} else if !s.subs.rm(topic) {
		mempool.ReleaseChain(msg)
		return
	}
	s.upstream(msg)
}

func (s *xsub) upstream(msg *mempool.Frame) {
	s.dist.markAll()
	s.dist.send(msg)
}

func (s *xsub) Recv() (*mempool.Frame, *pipe.Pipe, error) {
	for {
		msg, p := s.fq.recv()
		if msg == nil {
			return nil, nil, nil
		}
		if s.subs.match(msg.Bytes()) != s.o.InvertMatching {
			return msg, p, nil
		}
		mempool.ReleaseChain(msg)
	}
}
