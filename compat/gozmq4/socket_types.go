//go:build linux

package zmq4

import "github.com/zring/zring"

// SocketType is a ZeroMQ socket type, named as in ZMTP ("PUB", "SUB", ...).
type SocketType string

// The socket types, as upstream declares them.
const (
	Pair   SocketType = "PAIR"   // a ZMQ_PAIR socket
	Pub    SocketType = "PUB"    // a ZMQ_PUB socket
	Sub    SocketType = "SUB"    // a ZMQ_SUB socket
	Req    SocketType = "REQ"    // a ZMQ_REQ socket
	Rep    SocketType = "REP"    // a ZMQ_REP socket
	Dealer SocketType = "DEALER" // a ZMQ_DEALER socket
	Router SocketType = "ROUTER" // a ZMQ_ROUTER socket
	Pull   SocketType = "PULL"   // a ZMQ_PULL socket
	Push   SocketType = "PUSH"   // a ZMQ_PUSH socket
	XPub   SocketType = "XPUB"   // a ZMQ_XPUB socket
	XSub   SocketType = "XSUB"   // a ZMQ_XSUB socket
)

// zringTypes maps each SocketType to zring's.
var zringTypes = map[SocketType]zring.Type{
	Pair:   zring.Pair,
	Pub:    zring.Pub,
	Sub:    zring.Sub,
	Req:    zring.Req,
	Rep:    zring.Rep,
	Dealer: zring.Dealer,
	Router: zring.Router,
	Pull:   zring.Pull,
	Push:   zring.Push,
	XPub:   zring.XPub,
	XSub:   zring.XSub,
}

// compatible lists the peers each type may talk to (ZMTP, RFC 23).
var compatible = map[SocketType][]SocketType{
	Pair:   {Pair},
	Pub:    {Sub, XSub},
	Sub:    {Pub, XPub},
	Req:    {Rep, Router},
	Rep:    {Req, Dealer},
	Dealer: {Rep, Dealer, Router},
	Router: {Req, Dealer, Router},
	Pull:   {Push},
	Push:   {Pull},
	XPub:   {Sub, XSub},
	XSub:   {Pub, XPub},
}

// IsCompatible reports whether sockets of types sck and peer can be
// connected together (RFC 23). Upstream panics on an unknown type; here an
// unknown type is compatible with nothing.
func (sck SocketType) IsCompatible(peer SocketType) bool {
	for _, p := range compatible[sck] {
		if p == peer {
			return true
		}
	}
	return false
}

// SocketIdentity is a socket's identity, the ZMTP routing id (at most 255
// bytes on the wire).
type SocketIdentity []byte

// String returns the identity as a string, cut at 255 bytes.
func (id SocketIdentity) String() string {
	n := min(len(id), 255)
	return string(id[:n])
}
