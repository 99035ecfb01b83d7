package socket

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/internal/zerr"
	"github.com/zring/zring/mempool"
)

// xpub publishes to the peers whose subscriptions match a message's first
// frame (ZMQ_XPUB; with pub set, ZMQ_PUB). It never blocks: a subscriber
// whose queue is full misses the message, unless XPUB_NODROP makes the send
// wait (or return zerr.ErrAgain with DontWait).
//
// Subscriptions arrive in either wire form and reach the pattern as
// messages [0x01|topic] or [0x00|topic] (conn.go converts the 3.1
// commands). XPUB hands them to the application: a topic's first subscribe
// and last cancel, or every one with XPUB_VERBOSE / XPUB_VERBOSER. With
// XPUB_MANUAL the application decides, through Subscribe and Unsubscribe,
// which subscriptions the peer of the last subscription message received
// gets. Other messages from subscribers (an XSUB's upstream data) reach an
// XPUB's application too; a PUB drops them.
//
// Each message for the application keeps the pipe it came from, so that
// Metadata reports its peer (User-Id ...) as for any received message, as
// libzmq attaches the pipe's metadata to each. The cancels the socket makes
// for a peer that left carry none, as in libzmq.
type xpub struct {
	o    *Options
	pub  bool
	subs mtrie
	dist dist
	// manual records what each peer asked for under XPUB_MANUAL, to report
	// the cancels when it leaves.
	manual mtrie
	// lastPipe is the peer of the last subscription message the
	// application received (XPUB_MANUAL); nil after a cancel the socket
	// made, or when that peer left.
	lastPipe *pipe.Pipe
	// pending holds messages for the application, oldest first.
	pending notices
}

func (s *xpub) Attach(p *pipe.Pipe) bool {
	s.dist.attach(p)
	if w := s.o.XPubWelcome; w != nil {
		sendTo(p, mempool.FromBytes(w))
	}
	s.readSubs(p)
	return true
}

func (s *xpub) ActivateRead(p *pipe.Pipe) { s.readSubs(p) }
func (s *xpub) ActivateWrite(*pipe.Pipe)  {} // a NODROP send waiting for room retries

// readSubs takes every message p has sent until its queue is empty.
func (s *xpub) readSubs(p *pipe.Pipe) {
	for msg := p.Read(); msg != nil; msg = p.Read() {
		s.fromPeer(msg, p)
	}
}

// fromPeer handles one message from a subscriber.
func (s *xpub) fromPeer(msg *mempool.Frame, p *pipe.Pipe) {
	b := msg.Bytes()
	if len(b) == 0 || b[0] > 1 {
		s.notify(msg, p, true) // upstream data
		return
	}
	subscribe, topic := b[0] == 1, b[1:]
	if s.o.XPubManual {
		if subscribe {
			s.manual.add(topic, p)
		} else {
			s.manual.rm(topic, p)
		}
		s.notify(msg, p, true)
		return
	}
	var report bool
	if subscribe {
		first := s.subs.add(topic, p)
		report = first || s.o.XPubVerbose
	} else {
		last, found := s.subs.rm(topic, p)
		report = last || !found || s.o.XPubVerboser
	}
	s.notify(msg, p, report)
}

// notify queues msg from p (nil: made by the socket) for the application
// when keep is set and the socket is an XPUB, else drops it (a PUB's
// application receives nothing).
func (s *xpub) notify(msg *mempool.Frame, p *pipe.Pipe, keep bool) {
	if keep && !s.pub {
		s.pending.push(msg, p)
		return
	}
	mempool.ReleaseChain(msg)
}

// detach forgets a subscriber after reading what it sent last. Topics no
// one subscribes to any more are reported as cancels (every topic of the
// peer with XPUB_VERBOSER, and under XPUB_MANUAL what the peer asked for).
func (s *xpub) Detach(p *pipe.Pipe) {
	s.readSubs(p)
	s.dist.remove(p)
	cancel := func(topic []byte, last bool) {
		if last || s.o.XPubVerboser || s.o.XPubManual {
			s.notify(subscription(false, topic), nil, true)
		}
	}
	if s.o.XPubManual {
		s.manual.rmPipe(p, cancel)
		s.subs.rmPipe(p, func([]byte, bool) {})
	} else {
		s.subs.rmPipe(p, cancel)
	}
	if s.lastPipe == p {
		s.lastPipe = nil
	}
}

// subscribe applies the application's Subscribe or Unsubscribe: under
// XPUB_MANUAL, to the peer of the last subscription message received.
func (s *xpub) Subscribe(topic []byte, on bool) error {
	if !s.o.XPubManual || s.pub {
		return zerr.ErrNotSupported
	}
	if p := s.lastPipe; p != nil {
		if on {
			s.subs.add(topic, p)
		} else {
			s.subs.rm(topic, p)
		}
	}
	return nil
}

// match collects the targets of a message whose first frame is first.
func (s *xpub) match(first *mempool.Frame) {
	s.dist.begin()
	s.subs.match(first.Bytes(), s.dist.mark)
	if s.o.InvertMatching {
		s.dist.invert()
	}
}

func (s *xpub) CanSend() bool { return true } // as libzmq: a full peer is found on send

func (s *xpub) CheckSend(first *mempool.Frame) (bool, error) {
	if !s.o.XPubNoDrop {
		return true, nil
	}
	s.match(first)
	return s.dist.writable(), nil
}

func (s *xpub) Send(msg *mempool.Frame) error {
	s.match(msg)
	s.dist.send(msg)
	return nil
}

func (s *xpub) Recv() (*mempool.Frame, *pipe.Pipe, error) {
	if s.pub {
		return nil, nil, zerr.ErrNotSupported
	}
	n, ok := s.pending.pop()
	if !ok {
		return nil, nil, nil
	}
	if b := n.msg.Bytes(); s.o.XPubManual && len(b) > 0 && b[0] <= 1 {
		// As libzmq: the peer Subscribe grants to is the one whose
		// subscription the application read last, not the last to send
		// one; a peer that left since, or a cancel the socket made, leaves
		// none.
		s.lastPipe = n.p
		if n.p != nil && n.p.Detached {
			s.lastPipe = nil
		}
	}
	return n.msg, n.p, nil
}

// subscription returns the message [0x01|topic] or [0x00|topic].
func subscription(subscribe bool, topic []byte) *mempool.Frame {
	f := mempool.Get(1 + len(topic))
	b := f.Bytes()
	b[0] = 0
	if subscribe {
		b[0] = 1
	}
	copy(b[1:], topic)
	return f
}
