package zring

import (
	"github.com/zring/zring/zmtp"
)

// Property names libzmq's zmq_msg_gets knows besides the peer's own and
// the ZAP handler's.
const (
	// PropPeerAddress is the peer's IP address (TCP only).
	PropPeerAddress = zmtp.PropPeerAddress
	// PropUserID is the user id the ZAP handler gave the peer.
	PropUserID = zmtp.PropUserID
)

// Metadata describes the connection a message arrived on, as libzmq's
// zmq_msg_gets does: the properties the peer announced in its handshake,
// Peer-Address, and on a server the ZAP handler's User-Id and metadata.
// Get, UserID and Properties read it; a nil *Metadata (inproc, or a message
// the socket made itself) has none. It is immutable and shared by every
// message of the connection, so reading it costs nothing per message. The
// type is zmtp's, which documents it in full.
type Metadata = zmtp.Metadata

// Property is one metadata property received from a peer: its name as the
// peer spelled it and a copy of its value. The type is zmtp's.
type Property = zmtp.Property

// Metadata returns the metadata of the connection the last message
// received (or being received) came from (zmq_msg_gets), nil when there is
// none. Use RecvMultiMetadata to receive both at once when several
// goroutines receive from the socket.
func (s *Socket) Metadata() *Metadata {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inPipe == nil {
		return nil
	}
	return s.inPipe.Metadata()
}
