package socket_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring/socket"
	"github.com/zring/zring/zmtp"
)

// The User-Id the ZAP handler assigned, the peer's own properties and its
// address are readable with each message, as zmq_msg_gets gives them.

func TestMetadataCarriesCurveUserID(t *testing.T) {
	c := newContext(t)
	so, co, ck := curveOptions(t)
	newAuthenticator(t, c).SetCurveKeys("*", ck.publicKey(t))
	pull, push := bindConnect(t, c, socket.Pull, socket.Push, so, append(co, socket.WithRoutingID([]byte("me"))))
	require.NoError(t, push.SendMulti([][]byte{[]byte("a"), []byte("b")}))
	parts, md, err := pull.RecvMultiMetadata(context.Background(), 0)
	require.NoError(t, err)
	assert.Len(t, parts, 2)
	assert.Equal(t, ck.public, md.UserID(), "the Authenticator names CURVE users by their key")
	typ, _ := md.Get("socket-type")
	assert.Equal(t, "PUSH", typ)
	addr, _ := md.Get(socket.PropPeerAddress)
	assert.Equal(t, "127.0.0.1", addr)
	assert.Same(t, md, pull.Metadata(), "the last message's metadata")
}

func TestMetadataCarriesPlainUserAndZAPProperties(t *testing.T) {
	c := newContext(t)
	// A hand-written handler adds its own metadata to the reply.
	handler := newSocket(t, c, socket.Rep)
	require.NoError(t, handler.Bind(zmtp.ZAPEndpoint))
	go func() {
		req, err := handler.RecvMulti(0)
		if err != nil || len(req) < 2 {
			return
		}
		_ = handler.SendMulti(zmtp.ZAPReplyFrames(req[1], zmtp.ZAPReply{
			Status: 200, Text: "OK", UserID: []byte("alice"),
			Metadata: zmtp.AppendProperty(nil, "X-Desk", []byte("rates")),
		})[1:])
	}()
	rep, req := bindConnect(t, c, socket.Rep, socket.Req, []socket.Option{socket.WithPlainServer(true)},
		[]socket.Option{socket.WithPlainUsername("alice"), socket.WithPlainPassword("pw")})
	require.NoError(t, req.SendString("order", 0))
	_, md, err := rep.RecvMultiMetadata(context.Background(), 0)
	require.NoError(t, err)
	assert.Equal(t, "alice", md.UserID())
	desk, ok := md.Get("x-desk")
	assert.True(t, ok)
	assert.Equal(t, "rates", desk)
	// The client learns the server's properties, but no User-Id.
	require.NoError(t, rep.SendString("filled", 0))
	_, err = req.Recv(0)
	require.NoError(t, err)
	typ, _ := req.Metadata().Get("Socket-Type")
	assert.Equal(t, "REP", typ)
	assert.Empty(t, req.Metadata().UserID())
}

func TestMetadataIsNilInproc(t *testing.T) {
	c := newContext(t)
	pull, push := bindConnectAt(t, c, "inproc://md", socket.Pull, socket.Push, nil, nil)
	require.NoError(t, push.SendString("x", 0))
	_, md, err := pull.RecvMultiMetadata(context.Background(), 0)
	require.NoError(t, err)
	assert.Nil(t, md)
	_, ok := md.Get("User-Id")
	assert.False(t, ok, "a nil Metadata is safe to read")
}
