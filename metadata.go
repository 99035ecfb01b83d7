package zring

import (
	"strings"

	"github.com/zring/zring/zmtp"
)

// Property names libzmq's zmq_msg_gets knows besides the peer's own and
// the ZAP handler's.
const (
	// PropPeerAddress is the peer's IP address (TCP only).
	PropPeerAddress = "Peer-Address"
	// PropUserID is the user id the ZAP handler gave the peer.
	PropUserID = zmtp.PropUserID
)

// Metadata describes the connection a message arrived on, as libzmq's
// zmq_msg_gets does: the properties the peer announced in its handshake
// (Socket-Type, Identity and any others), Peer-Address, and on a server
// the ZAP handler's User-Id and metadata. It is immutable and shared by
// every message of the connection. A nil *Metadata (inproc, or a message
// the socket made itself) has no properties.
//
// Reading it costs nothing per message: the socket remembers the pipe of
// the last message received, and the pipe points at its connection's
// Metadata. On a connecting socket one pipe outlives reconnections, so a
// message queued before a reconnection and read after it reports the new
// connection's Metadata.
type Metadata struct {
	props []zmtp.Property
}

// Property is one metadata property received from a peer: its name as the
// peer spelled it and a copy of its value. The type is zmtp's.
type Property = zmtp.Property

// Get returns the value of property name, matched case-insensitively.
func (m *Metadata) Get(name string) (string, bool) {
	if m == nil {
		return "", false
	}
	for _, p := range m.props {
		if strings.EqualFold(p.Name, name) {
			return string(p.Value), true
		}
	}
	return "", false
}

// UserID returns the User-Id the ZAP handler assigned, or "".
func (m *Metadata) UserID() string {
	id, _ := m.Get(PropUserID)
	return id
}

// Properties returns every property: Peer-Address, the ZAP handler's
// User-Id and metadata, then the peer's own in wire order. The
// slice and its values are shared: do not modify them.
func (m *Metadata) Properties() []Property {
	if m == nil {
		return nil
	}
	return m.props
}

// metadata builds the Metadata of a connection whose handshake completed.
func (c *conn) metadata() *Metadata {
	// What the socket knows itself comes first, then the ZAP handler's
	// properties (zmtp puts them first), then the peer's claims: Get finds
	// the first of a name, so a peer announcing its own Peer-Address or
	// User-Id in READY cannot shadow the real ones, as in libzmq.
	var props []zmtp.Property
	if addr := peerAddress(c.fd); addr != "" {
		props = append(props, zmtp.Property{Name: PropPeerAddress, Value: []byte(addr)})
	}
	if c.hs != nil {
		props = append(props, c.hs.Peer().Properties...)
	}
	return &Metadata{props: props}
}

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
	return s.inPipe.peer.Load()
}
