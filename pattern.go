package zring

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/mempool"
)

// pattern is what a socket type adds on top of the common socket: how pipes
// join and leave, where outgoing messages go and where incoming ones come
// from. Every method runs with Socket.mu held.
type pattern interface {
	// attach offers a new peer's pipe; false refuses it (PAIR's second
	// peer) and the session is closed.
	attach(p *pipe.Pipe) bool
	// detach removes a pipe whose session ended.
	detach(p *pipe.Pipe)
	activateRead(p *pipe.Pipe)
	activateWrite(p *pipe.Pipe)
	// checkSend is called with the first part of a message, before the
	// socket takes it: done=true when the message can be taken now, an
	// error when the state forbids sending, done=false to wait for room.
	checkSend(first *mempool.Frame) (done bool, err error)
	// canSend reports whether a message could be sent now without waiting
	// (libzmq's xhas_out), for POLLOUT.
	canSend() bool
	// send takes a whole message (a frame chain). On nil the pattern owns
	// it (queued or dropped); on error the message has been released.
	send(msg *mempool.Frame) error
	// recv returns a whole message and the pipe it came from (nil for a
	// message the socket made itself), nil to wait, or an error when the
	// state forbids receiving.
	recv() (*mempool.Frame, *pipe.Pipe, error)
}

// newPattern returns the pattern of type t; o is the socket's options,
// which patterns read under Socket.mu.
// subscriber is a pattern with subscriptions the application can change
// (SUB, XSUB, and XPUB under XPUB_MANUAL).
type subscriber interface {
	subscribe(topic []byte, on bool) error
}

// hiccuper is a pattern that must hear when a pipe's connection was
// replaced (SUB and XSUB resend their subscriptions).
type hiccuper interface {
	hiccup(p *pipe.Pipe)
}

func newPattern(t Type, o *options) pattern {
	switch t {
	case Push:
		return &push{}
	case Pull:
		return &pull{}
	case Pair:
		return &pair{}
	case Req:
		return newReq(o)
	case Dealer:
		return &dealer{o: o}
	case Router:
		return newRouter(o)
	case Pub:
		return &xpub{o: o, pub: true}
	case XPub:
		return &xpub{o: o}
	case Sub:
		return &xsub{o: o, sub: true}
	case XSub:
		return &xsub{o: o}
	case Stream:
		r := newRouter(o)
		r.alwaysMandatory = true
		return &stream{router: *r}
	case Rep:
		return &rep{}
	}
	return nil
}

// noSend and noRecv are embedded by one-directional types.
type noSend struct{}

func (noSend) checkSend(*mempool.Frame) (bool, error) { return false, ErrNotSupported }
func (noSend) send(msg *mempool.Frame) error          { mempool.ReleaseChain(msg); return ErrNotSupported }
func (noSend) activateWrite(*pipe.Pipe)               {}
func (noSend) canSend() bool                          { return false }

type noRecv struct{}

func (noRecv) recv() (*mempool.Frame, *pipe.Pipe, error) { return nil, nil, ErrNotSupported }
func (noRecv) activateRead(*pipe.Pipe)                   {}

// sendTo queues msg on p, or drops it when p is full or gone: used by types
// that route replies and never block (REP).
func sendTo(p *pipe.Pipe, msg *mempool.Frame) {
	if p == nil || p.Detached || !p.Write(msg) {
		mempool.ReleaseChain(msg)
	}
}

// notice is a message a pattern queued for the application (XPUB's
// subscriptions, STREAM's notifications) and the pipe it came from or is
// about, whose connection's Metadata it carries; nil for one the socket
// made itself.
type notice struct {
	msg *mempool.Frame
	p   *pipe.Pipe
}

// notices is a first-in first-out queue of notices. Its array is reused
// once it empties, so a steady flow allocates nothing.
type notices struct {
	q    []notice
	head int
}

func (n *notices) push(msg *mempool.Frame, p *pipe.Pipe) {
	n.q = append(n.q, notice{msg, p})
}

// pop takes the oldest notice; ok is false when there is none.
func (n *notices) pop() (notice, bool) {
	if n.head == len(n.q) {
		return notice{}, false
	}
	x := n.q[n.head]
	n.q[n.head] = notice{}
	if n.head++; n.head == len(n.q) {
		n.q, n.head = n.q[:0], 0
	}
	return x, true
}

func (n *notices) empty() bool { return n.head == len(n.q) }

// delimiter returns a zero-length frame with MORE set, the REQ/REP
// envelope delimiter.
func delimiter() *mempool.Frame {
	f := mempool.Get(0)
	f.SetMore(true)
	return f
}
