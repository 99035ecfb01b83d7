package engine

import (
	"errors"
	"sync/atomic"

	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/zmtp"
)

// Socket is what the I/O side may ask of the socket its sessions and
// listeners serve: the whole contract from the engine to the root
// package's Socket. The engine reaches the socket through nothing else (and
// the pipes' Far, in the other direction, is all the socket calls of a
// session). No method blocks for long, and none calls back into the engine
// before it returns.
type Socket interface {
	// Command posts a command about pipe p to the socket's mailbox and
	// wakes whoever waits for it. Any thread; never blocks.
	Command(kind Command, p *pipe.Pipe)
	// Event raises a monitor event. Any thread; never blocks (a monitor
	// that falls behind drops events).
	Event(kind Event, value uint32, endpoint string, err error)
	// Options returns a snapshot of the socket's options for a session
	// the engine accepts (no CONNECT_ROUTING_ID: that names connects
	// only). The listener's thread.
	Options() SessionOptions
	// Register admits a session the engine is starting; false when the
	// socket is closed, and the engine drops the session. The listener's
	// thread for an accepted session, the goroutine of Dial for a
	// connecting one.
	Register(ss *Session) bool
	// Unregister says a session ended for good. Its thread.
	Unregister(ss *Session)
	// ListenerClosed says a listener closed for good. Its thread.
	ListenerClosed(l *Listener)
	// ZAP returns the link to the context's ZAP handler. I/O threads.
	ZAP() ZAP
	// Unbound says a listener closed for Unbind: the socket drops the
	// sessions it accepted (Session.Listener). The listener's thread, after
	// its last accept.
	Unbound(l *Listener)
}

// Command is a command from an I/O thread to a socket, about one pipe.
type Command uint8

// Commands.
const (
	CmdAttach        Command = iota // a new peer's pipe is ready
	CmdDetach                       // the pipe's far end is gone
	CmdActivateRead                 // the pipe's inbound ring got data after the socket slept on it
	CmdActivateWrite                // the pipe's outbound ring got room after the socket parked on it
	CmdHiccup                       // the pipe's connection was replaced (reconnect)
)

// Turn is the socket's send/receive rhythm, which decides whether a send
// is worth a speculative write by the sending goroutine (Conn.userWrite).
// The socket owns it and guards it with its mutex; the engine touches it
// only from the pipe's Far.WakeReader, which the socket calls with that
// mutex held.
type Turn struct {
	// ReceivedSinceSend marks a request/reply turn: the next send is
	// isolated. The socket sets it on a receive and clears it on a send.
	ReceivedSinceSend bool
	// lastSpeculative is when a send last offered a connection a speculative
	// write (MonoNow).
	lastSpeculative int64
}

// Counters are a socket's statistics that its connections count. The
// socket owns them; I/O threads and the socket's goroutines add to them
// with atomics, and Stats reads them at any time.
type Counters struct {
	// ProtocolErrors counts connections closed because the peer broke
	// ZMTP.
	ProtocolErrors atomic.Uint64
	// SpeculativeWrites counts sends the sending goroutine wrote to the
	// connection itself instead of waking an I/O thread.
	SpeculativeWrites atomic.Uint64
	// DirectReads counts receives the receiving goroutine read from the
	// connection itself.
	DirectReads atomic.Uint64
	// ResumedReads counts times the receiving goroutine resumed a stalled
	// connection's input itself (conn.userResume).
	ResumedReads atomic.Uint64
}

// ZAP is the link to the context's ZAP handler (RFC 27) that servers'
// handshakes use. The root package provides it.
type ZAP interface {
	// Request sends a ZAP request without blocking and returns its id;
	// ErrNoZAPHandler when no handler is bound. reply is called once, on
	// any goroutine and without blocking, with the id and the handler's
	// answer, unless Cancel comes first. Called on the connection's I/O
	// thread.
	Request(r ZAPRequest, reply func(id string, r zmtp.ZAPReply, err error)) (id string, err error)
	// Cancel forgets a request whose connection closed. Its thread.
	Cancel(id string)
}

// ZAPRequest is what a handshake asks the ZAP handler.
type ZAPRequest struct {
	Domain   string
	Address  string // the peer's IP address
	Identity []byte // the socket's routing id
	Req      zmtp.ZAPRequest
}

// ErrNoZAPHandler ends a handshake that needs a ZAP handler when none is
// bound (libzmq reports it as HANDSHAKE_FAILED_NO_DETAIL). A ZAP returns it
// from Request.
var ErrNoZAPHandler = errors.New("zring: no ZAP handler bound at " + zmtp.ZAPEndpoint)
