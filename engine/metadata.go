//go:build linux

package engine

import "github.com/zring/zring/zmtp"

// metadata builds the Metadata of a connection whose handshake completed.
func (c *Conn) metadata() *zmtp.Metadata {
	// What the socket knows itself comes first, then the ZAP handler's
	// properties (zmtp puts them first), then the peer's claims: Get finds
	// the first of a name, so a peer announcing its own Peer-Address or
	// User-Id in READY cannot shadow the real ones, as in libzmq.
	var props []zmtp.Property
	if addr := c.peerAddress(); addr != "" {
		props = append(props, zmtp.Property{Name: zmtp.PropPeerAddress, Value: []byte(addr)})
	}
	if c.hs != nil {
		props = append(props, c.hs.Peer().Properties...)
	}
	return zmtp.NewMetadata(props)
}
