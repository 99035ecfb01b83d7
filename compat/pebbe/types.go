package zmq4

import (
	"strings"

	"github.com/zring/zring"
)

// Type is a socket type, used by NewSocket; the values are libzmq's.
type Type int

// Socket types for NewSocket.
const (
	REQ    = Type(zring.Req)
	REP    = Type(zring.Rep)
	DEALER = Type(zring.Dealer)
	ROUTER = Type(zring.Router)
	PUB    = Type(zring.Pub)
	SUB    = Type(zring.Sub)
	XPUB   = Type(zring.XPub)
	XSUB   = Type(zring.XSub)
	PUSH   = Type(zring.Push)
	PULL   = Type(zring.Pull)
	PAIR   = Type(zring.Pair)
	STREAM = Type(zring.Stream)
)

var typeNames = map[Type]string{
	REQ: "REQ", REP: "REP", DEALER: "DEALER", ROUTER: "ROUTER", PUB: "PUB", SUB: "SUB",
	XPUB: "XPUB", XSUB: "XSUB", PUSH: "PUSH", PULL: "PULL", PAIR: "PAIR", STREAM: "STREAM",
}

// String returns the socket type's name, or "<INVALID>".
func (t Type) String() string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	return "<INVALID>"
}

// Flag modifies a send or a receive: (*Socket).Send, (*Socket).Recv.
type Flag int

// Flags for Send and Recv, with libzmq's values.
const (
	DONTWAIT = Flag(1)
	SNDMORE  = Flag(2)
)

// String returns the flags' names joined by "|", or "<NONE>".
func (f Flag) String() string {
	return names(int(f), []namedBit{{int(DONTWAIT), "DONTWAIT"}, {int(SNDMORE), "SNDMORE"}})
}

// zflags converts flags to zring's.
func (f Flag) zflags() zring.Flag {
	var z zring.Flag
	if f&DONTWAIT != 0 {
		z |= zring.DontWait
	}
	if f&SNDMORE != 0 {
		z |= zring.SndMore
	}
	return z
}

// Event is a socket monitor event or a mask of them: (*Socket).Monitor,
// (*Socket).RecvEvent. The values are libzmq's ZMQ_EVENT_*.
type Event int

// Monitor events.
const (
	EVENT_ALL                        = Event(zring.EventAll)
	EVENT_CONNECTED                  = Event(zring.EventConnected)
	EVENT_CONNECT_DELAYED            = Event(zring.EventConnectDelayed)
	EVENT_CONNECT_RETRIED            = Event(zring.EventConnectRetried)
	EVENT_LISTENING                  = Event(zring.EventListening)
	EVENT_BIND_FAILED                = Event(zring.EventBindFailed)
	EVENT_ACCEPTED                   = Event(zring.EventAccepted)
	EVENT_ACCEPT_FAILED              = Event(zring.EventAcceptFailed)
	EVENT_CLOSED                     = Event(zring.EventClosed)
	EVENT_CLOSE_FAILED               = Event(0x0100) // libzmq's; zring never raises it
	EVENT_DISCONNECTED               = Event(zring.EventDisconnected)
	EVENT_MONITOR_STOPPED            = Event(zring.EventMonitorStopped)
	EVENT_HANDSHAKE_FAILED_NO_DETAIL = Event(zring.EventHandshakeFailedNoDetail)
	EVENT_HANDSHAKE_SUCCEEDED        = Event(zring.EventHandshakeSucceeded)
	EVENT_HANDSHAKE_FAILED_PROTOCOL  = Event(zring.EventHandshakeFailedProtocol)
	EVENT_HANDSHAKE_FAILED_AUTH      = Event(zring.EventHandshakeFailedAuth)
)

var eventNames = []namedBit{
	{int(EVENT_CONNECTED), "EVENT_CONNECTED"},
	{int(EVENT_CONNECT_DELAYED), "EVENT_CONNECT_DELAYED"},
	{int(EVENT_CONNECT_RETRIED), "EVENT_CONNECT_RETRIED"},
	{int(EVENT_LISTENING), "EVENT_LISTENING"},
	{int(EVENT_BIND_FAILED), "EVENT_BIND_FAILED"},
	{int(EVENT_ACCEPTED), "EVENT_ACCEPTED"},
	{int(EVENT_ACCEPT_FAILED), "EVENT_ACCEPT_FAILED"},
	{int(EVENT_CLOSED), "EVENT_CLOSED"},
	{int(EVENT_CLOSE_FAILED), "EVENT_CLOSE_FAILED"},
	{int(EVENT_DISCONNECTED), "EVENT_DISCONNECTED"},
	{int(EVENT_MONITOR_STOPPED), "EVENT_MONITOR_STOPPED"},
	{int(EVENT_HANDSHAKE_FAILED_NO_DETAIL), "EVENT_HANDSHAKE_FAILED_NO_DETAIL"},
	{int(EVENT_HANDSHAKE_SUCCEEDED), "EVENT_HANDSHAKE_SUCCEEDED"},
	{int(EVENT_HANDSHAKE_FAILED_PROTOCOL), "EVENT_HANDSHAKE_FAILED_PROTOCOL"},
	{int(EVENT_HANDSHAKE_FAILED_AUTH), "EVENT_HANDSHAKE_FAILED_AUTH"},
}

// String returns "EVENT_ALL", or the events' names joined by "|", or
// "<NONE>".
func (e Event) String() string {
	if e == EVENT_ALL {
		return "EVENT_ALL"
	}
	return names(int(e), eventNames)
}

// State is what a socket is ready for: (*Socket).GetEvents, the Poller.
type State int

// Readiness flags, with libzmq's values.
const (
	POLLIN  = State(zring.PollIn)
	POLLOUT = State(zring.PollOut)
)

// String returns the states' names joined by "|", or "<NONE>".
func (s State) String() string {
	return names(int(s), []namedBit{{int(POLLIN), "POLLIN"}, {int(POLLOUT), "POLLOUT"}})
}

// Mechanism is a security mechanism: (*Socket).GetMechanism.
type Mechanism int

// Security mechanisms, with libzmq's values. zring has no GSSAPI.
const (
	NULL   = Mechanism(zring.MechanismNull)
	PLAIN  = Mechanism(zring.MechanismPlain)
	CURVE  = Mechanism(zring.MechanismCurve)
	GSSAPI = Mechanism(3)
)

// String returns the mechanism's name, or "<INVALID>".
func (m Mechanism) String() string {
	switch m {
	case NULL:
		return "NULL"
	case PLAIN:
		return "PLAIN"
	case CURVE:
		return "CURVE"
	case GSSAPI:
		return "GSSAPI"
	}
	return "<INVALID>"
}

type namedBit struct {
	bit  int
	name string
}

// names lists the names of the bits set in v, "<NONE>" for none.
func names(v int, bits []namedBit) string {
	var ns []string
	for _, b := range bits {
		if v&b.bit != 0 {
			ns = append(ns, b.name)
		}
	}
	if len(ns) == 0 {
		return "<NONE>"
	}
	return strings.Join(ns, "|")
}
