package zmtp

import "strconv"

// SocketType is a ZeroMQ socket type, numbered as in libzmq (ZMQ_PAIR = 0,
// ...). Its String form is the exact value of the Socket-Type property.
type SocketType uint8

// Socket types, with libzmq's numbering. Dgram (ZMQ_DGRAM) is udp-only
// and never speaks ZMTP: ParseSocketType does not accept it, and it is
// Compatible with nothing.
const (
	Pair    SocketType = 0
	Pub     SocketType = 1
	Sub     SocketType = 2
	Req     SocketType = 3
	Rep     SocketType = 4
	Dealer  SocketType = 5
	Router  SocketType = 6
	Pull    SocketType = 7
	Push    SocketType = 8
	XPub    SocketType = 9
	XSub    SocketType = 10
	Stream  SocketType = 11
	Server  SocketType = 12
	Client  SocketType = 13
	Radio   SocketType = 14
	Dish    SocketType = 15
	Gather  SocketType = 16
	Scatter SocketType = 17
	Dgram   SocketType = 18
	Peer    SocketType = 19
	Channel SocketType = 20
)

// socketTypeNames holds the wire spelling of each type; "" marks a gap.
var socketTypeNames = [...]string{
	Pair: "PAIR", Pub: "PUB", Sub: "SUB", Req: "REQ", Rep: "REP",
	Dealer: "DEALER", Router: "ROUTER", Pull: "PULL", Push: "PUSH",
	XPub: "XPUB", XSub: "XSUB", Stream: "STREAM", Server: "SERVER",
	Client: "CLIENT", Radio: "RADIO", Dish: "DISH", Gather: "GATHER",
	Scatter: "SCATTER", Dgram: "DGRAM", Peer: "PEER", Channel: "CHANNEL",
}

// String returns the type's exact wire spelling ("PAIR", "XPUB", ...), or
// "SocketType(n)" for a number that names no socket type.
func (t SocketType) String() string {
	if t.valid() {
		return socketTypeNames[t]
	}
	return "SocketType(" + strconv.Itoa(int(t)) + ")"
}

func (t SocketType) valid() bool {
	return int(t) < len(socketTypeNames) && socketTypeNames[t] != ""
}

// ParseSocketType maps a Socket-Type property value to its type. Like libzmq
// it accepts only the exact uppercase spelling, so "dealer" is rejected.
func ParseSocketType(name []byte) (SocketType, bool) {
	// Converting inside the comparison does not allocate.
	for t, s := range socketTypeNames {
		if s != "" && s == string(name) && SocketType(t) != Dgram {
			return SocketType(t), true
		}
	}
	return 0, false
}

// SendsHello reports whether sockets of this type send ZMQ_HELLO_MSG to
// each new peer (libzmq 4.3.5's draft API).
func (t SocketType) SendsHello() bool {
	return t == Router || t == Server || t == Peer || t == Client || t == Dealer
}

// ReceivesDisconnect reports whether sockets of this type receive their
// ZMQ_DISCONNECT_MSG when a peer that connected to them leaves.
func (t SocketType) ReceivesDisconnect() bool { return t == Router || t == Server || t == Peer }

// ReceivesHiccup reports whether sockets of this type receive their
// ZMQ_HICCUP_MSG when a connection they made fails.
func (t SocketType) ReceivesHiccup() bool { return t == Client || t == Dealer || t == Peer }

// SendsIdentity reports whether sockets of this type send the Identity
// property in READY. libzmq's REQ, DEALER and ROUTER always send it, even
// when it is empty; other types never do.
func (t SocketType) SendsIdentity() bool {
	return t == Req || t == Dealer || t == Router
}

// peerMask holds, for each type, the set of peer types it may talk to
// (RFC 37 and libzmq's mechanism_base_t::check_socket_type), as bits
// indexed by SocketType.
var peerMask = [...]uint32{
	Req:     1<<Rep | 1<<Router,
	Rep:     1<<Req | 1<<Dealer,
	Dealer:  1<<Rep | 1<<Dealer | 1<<Router,
	Router:  1<<Req | 1<<Dealer | 1<<Router,
	Pub:     1<<Sub | 1<<XSub,
	XPub:    1<<Sub | 1<<XSub,
	Sub:     1<<Pub | 1<<XPub,
	XSub:    1<<Pub | 1<<XPub,
	Push:    1 << Pull,
	Pull:    1 << Push,
	Pair:    1 << Pair,
	Client:  1 << Server,
	Server:  1 << Client,
	Radio:   1 << Dish,
	Dish:    1 << Radio,
	Scatter: 1 << Gather,
	Gather:  1 << Scatter,
	Peer:    1 << Peer,
	Channel: 1 << Channel,
}

// Compatible reports whether a socket of type self may talk to a peer of
// type peer (zmtp.md item 36). The relation is symmetric; STREAM and unknown
// types are compatible with nothing.
func Compatible(self, peer SocketType) bool {
	if int(self) >= len(peerMask) || peer >= 32 {
		return false
	}
	return peerMask[self]&(1<<peer) != 0
}
