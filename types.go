package zring

import "github.com/zring/zring/zmtp"

// Type is a socket type; the values match libzmq's ZMQ_PAIR, ZMQ_PUB, ...
type Type = zmtp.SocketType

// Socket types available in this release.
const (
	Pair   = zmtp.Pair
	Req    = zmtp.Req
	Rep    = zmtp.Rep
	Pull   = zmtp.Pull
	Push   = zmtp.Push
	Dealer = zmtp.Dealer
	Router = zmtp.Router
	Pub    = zmtp.Pub
	Sub    = zmtp.Sub
	XPub   = zmtp.XPub
	XSub   = zmtp.XSub
	Stream = zmtp.Stream
	// Client and Server exchange single-part messages; a Server names
	// each peer by Frame.RoutingID (RFC 41, libzmq's draft ZMQ_CLIENT and
	// ZMQ_SERVER).
	Client = zmtp.Client
	Server = zmtp.Server
	// Scatter and Gather are PUSH and PULL for single-part messages
	// (libzmq's draft ZMQ_SCATTER and ZMQ_GATHER).
	Scatter = zmtp.Scatter
	Gather  = zmtp.Gather
	// Channel is a PAIR for single-part messages (libzmq's draft
	// ZMQ_CHANNEL).
	Channel = zmtp.Channel
	// Peer is a Server that also connects to peers it then names by
	// routing id (Socket.ConnectPeer; libzmq's draft ZMQ_PEER).
	Peer = zmtp.Peer
	// Radio sends each message to the Dish peers that joined its group,
	// and Dish receives the groups it joined (Socket.Join), matched
	// exactly; over tcp, ipc, inproc and udp (RFC 48, libzmq's draft
	// ZMQ_RADIO and ZMQ_DISH). See SendGroup for the message's shape.
	Radio = zmtp.Radio
	Dish  = zmtp.Dish
	// Dgram sends and receives raw udp datagrams, each message an
	// "ip:port" address and a body (libzmq's draft ZMQ_DGRAM). It binds
	// one udp:// endpoint.
	Dgram = zmtp.Dgram
)

// Flag modifies a send or receive.
type Flag int

const (
	// DontWait makes the call return ErrAgain instead of blocking
	// (ZMQ_DONTWAIT).
	DontWait Flag = 1 << iota
	// SndMore marks a frame as one part of a multipart message with more
	// parts to follow (ZMQ_SNDMORE).
	SndMore
)
