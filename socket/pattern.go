package socket

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/internal/zerr"
	"github.com/zring/zring/mempool"
	"github.com/zring/zring/zmtp"
)

// Pattern is what a socket type adds on top of the common socket (the root
// package's Socket): how pipes join and leave, where outgoing messages go
// and where incoming ones come from. Every method runs with the socket's
// mutex held, on the goroutine of a Send, Recv or poll, or of the one
// running the socket's commands from its I/O threads.
//
// Messages are frame chains. A message handed to Send belongs to the
// pattern once Send returns, even with an error (it has been released
// then); one returned by Recv belongs to the caller.
type Pattern interface {
	// Attach offers a new peer's pipe; false refuses it (PAIR's second
	// peer, a ROUTER routing id in use) and the socket tells the pipe's
	// far end.
	Attach(p *pipe.Pipe) bool
	// Detach removes a pipe whose far end is gone; the pattern may still
	// drain what reached it.
	Detach(p *pipe.Pipe)
	// ActivateRead says p has messages again after the socket slept on it.
	ActivateRead(p *pipe.Pipe)
	// ActivateWrite says p has room again after the socket parked on it.
	ActivateWrite(p *pipe.Pipe)
	// CheckSend is called with the first part of a message, before the
	// socket takes it: done=true when the message can be taken now, an
	// error when the state forbids sending, done=false to wait for room.
	CheckSend(first *mempool.Frame) (done bool, err error)
	// CanSend reports whether a message could be sent now without waiting
	// (libzmq's xhas_out), for POLLOUT.
	CanSend() bool
	// Send takes a whole message (a frame chain). On nil the pattern owns
	// it (queued or dropped); on error the message has been released.
	Send(msg *mempool.Frame) error
	// Recv returns a whole message and the pipe it came from (nil for a
	// message the socket made itself), nil to wait, or an error when the
	// state forbids receiving.
	Recv() (*mempool.Frame, *pipe.Pipe, error)
}

// Subscriber is a pattern with subscriptions the application can change
// (SUB, XSUB, and XPUB under XPUB_MANUAL).
type Subscriber interface {
	Subscribe(topic []byte, on bool) error
}

// Hiccuper is a pattern that must hear when a pipe's connection was
// replaced (SUB and XSUB resend their subscriptions).
type Hiccuper interface {
	Hiccup(p *pipe.Pipe)
}

// New returns the pattern of socket type t, or nil for a type this package
// does not build; o is the socket's options, which the pattern reads under
// the socket's mutex.
func New(t zmtp.SocketType, o *Options) Pattern {
	switch t {
	case zmtp.Push:
		return &push{}
	case zmtp.Pull:
		return &pull{}
	case zmtp.Pair:
		return &pair{}
	case zmtp.Req:
		return newReq(o)
	case zmtp.Dealer:
		return &dealer{o: o}
	case zmtp.Router:
		return newRouter(o)
	case zmtp.Pub:
		return &xpub{o: o, pub: true}
	case zmtp.XPub:
		return &xpub{o: o}
	case zmtp.Sub:
		return &xsub{o: o, sub: true}
	case zmtp.XSub:
		return &xsub{o: o}
	case zmtp.Stream:
		r := newRouter(o)
		r.alwaysMandatory = true
		return &stream{router: *r}
	case zmtp.Rep:
		return &rep{}
	case zmtp.Client:
		return newClient()
	case zmtp.Server, zmtp.Peer:
		// libzmq's PEER is a SERVER that may also connect to a peer by
		// its routing id (Socket.ConnectPeer).
		return newServer()
	case zmtp.Scatter:
		return &scatter{}
	case zmtp.Gather:
		return &gather{}
	case zmtp.Channel:
		return &channel{}
	case zmtp.Radio:
		return newRadio(o)
	case zmtp.Dish:
		return newDish()
	case zmtp.Dgram:
		return &dgram{}
	}
	return nil
}

// noSend and noRecv are embedded by one-directional types.
type noSend struct{}

func (noSend) CheckSend(*mempool.Frame) (bool, error) { return false, zerr.ErrNotSupported }
func (noSend) Send(msg *mempool.Frame) error          { mempool.ReleaseChain(msg); return zerr.ErrNotSupported }
func (noSend) ActivateWrite(*pipe.Pipe)               {}
func (noSend) CanSend() bool                          { return false }

type noRecv struct{}

func (noRecv) Recv() (*mempool.Frame, *pipe.Pipe, error) { return nil, nil, zerr.ErrNotSupported }
func (noRecv) ActivateRead(*pipe.Pipe)                   {}

// sendTo queues msg on p, or drops it when p is full or gone: used by types
// that route replies and never block (REP).
func sendTo(p *pipe.Pipe, msg *mempool.Frame) {
	if p == nil || p.Detached || !p.Write(msg) {
		countDrop(p, msg)
		mempool.ReleaseChain(msg)
	}
}

// countDrop counts msg, which could not be written to p, as dropped at
// p's HWM when p was there to take it (not for an unknown or gone peer).
func countDrop(p *pipe.Pipe, msg *mempool.Frame) {
	if p != nil && !p.Detached && msg != nil {
		p.Drops++
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
