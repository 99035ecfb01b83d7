package socket_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring/socket"
	"github.com/zring/zring/zmtp"
)

// Hostile peers (see docs/reliability.md): every size, count and name a
// peer sends is checked, and a peer breaking the rules loses only its own
// connection, with a reason in the monitor events.

// handshakeWith exchanges greetings, then sends ready as the peer's READY
// data (properties).
func (p *rawPeer) handshakeWith(ready []byte) {
	p.t.Helper()
	p.write(zmtp.AppendGreeting(nil, "NULL", false))
	p.write(zmtp.AppendCommand(nil, zmtp.CmdReady, ready))
}

// A peer cannot pose as someone else: its own User-Id and Peer-Address
// properties do not shadow what the socket and the ZAP handler know.
func TestHostileMetadataCannotSpoof(t *testing.T) {
	pull, push := pullWithGoodPeer(t)
	bad := dialRaw(t, pull.Endpoint())
	bad.handshakeWith(append(append(zmtp.AppendProperty(nil, "Socket-Type", []byte("PUSH")),
		zmtp.AppendProperty(nil, "User-Id", []byte("admin"))...),
		zmtp.AppendProperty(nil, "Peer-Address", []byte("10.6.6.6"))...))
	bad.write([]byte{0x00, 0x01, 'x'})
	_, md, err := pull.RecvMultiMetadata(context.Background(), 0)
	require.NoError(t, err)
	assert.Empty(t, md.UserID(), "no ZAP handler, no User-Id")
	addr, _ := md.Get(socket.PropPeerAddress)
	assert.Equal(t, "127.0.0.1", addr)
	requireDelivers(t, push, pull, "after")
}
