package zmtp

import "strings"

// PropPeerAddress is the property a connection's Metadata gives the peer's
// IP address under (TCP only), as libzmq's zmq_msg_gets does.
const PropPeerAddress = "Peer-Address"

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
	props []Property
}

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

// NewMetadata returns the Metadata of a connection; it keeps props, which
// the caller must not modify afterwards.
func NewMetadata(props []Property) *Metadata { return &Metadata{props: props} }
