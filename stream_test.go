//go:build linux

package zring_test

import (
	"bufio"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

func TestStreamServesRawTCP(t *testing.T) {
	c := newContext(t)
	s := newSocket(t, c, zring.Stream)
	require.NoError(t, s.Bind("tcp://127.0.0.1:*"))
	conn, err := net.Dial("tcp", s.Endpoint()[len("tcp://"):])
	require.NoError(t, err)
	defer conn.Close()

	hello := recvMulti(t, s)
	require.Len(t, hello, 2)
	id := hello[0]
	assert.Len(t, id, 5)
	assert.Equal(t, []byte{}, hello[1], "connect notification")

	_, err = conn.Write([]byte("GET / HTTP/1.0\r\n\r\n"))
	require.NoError(t, err)
	var got []byte
	for len(got) < 18 {
		msg := recvMulti(t, s)
		require.Equal(t, id, msg[0])
		got = append(got, msg[1]...)
	}
	assert.Equal(t, "GET / HTTP/1.0\r\n\r\n", string(got), "raw bytes, no ZMTP")

	require.NoError(t, s.SendMulti([][]byte{id, []byte("HTTP/1.0 200 OK\r\n\r\nhi")}, 0))
	require.NoError(t, s.SendMulti([][]byte{id, {}}, 0), "an empty message closes the connection")
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	reply, err := io.ReadAll(bufio.NewReader(conn))
	require.NoError(t, err, "EOF after the reply")
	assert.Equal(t, "HTTP/1.0 200 OK\r\n\r\nhi", string(reply))

	assert.Equal(t, [][]byte{id, {}}, recvMulti(t, s), "disconnect notification")
	require.ErrorIs(t, s.SendMulti([][]byte{id, []byte("gone")}, 0), zring.ErrHostUnreachable)
}

func TestStreamConnectsToRawServer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	go func() {
		conn, err := l.Accept()
		if err != nil {
			return
		}
		buf := make([]byte, 5)
		if _, err := io.ReadFull(conn, buf); err == nil {
			_, _ = conn.Write(append([]byte("echo:"), buf...))
		}
		conn.Close()
	}()
	c := newContext(t)
	s := newSocket(t, c, zring.Stream, zring.WithConnectRoutingID([]byte("srv")), zring.WithReconnectIvl(time.Hour))
	require.NoError(t, s.Connect("tcp://"+l.Addr().String()))
	assert.Equal(t, [][]byte{[]byte("srv"), {}}, recvMulti(t, s), "connected, named by CONNECT_ROUTING_ID")
	require.NoError(t, s.SendMulti(frames("srv", "hello"), 0))
	var got []byte
	for {
		msg := recvMulti(t, s)
		require.Equal(t, []byte("srv"), msg[0])
		if len(msg[1]) == 0 {
			break // the server closed
		}
		got = append(got, msg[1]...)
	}
	assert.Equal(t, "echo:hello", string(got))
}

func TestStreamWithoutNotify(t *testing.T) {
	c := newContext(t)
	s := newSocket(t, c, zring.Stream, zring.WithStreamNotify(false))
	require.NoError(t, s.Bind("tcp://127.0.0.1:*"))
	conn, err := net.Dial("tcp", s.Endpoint()[len("tcp://"):])
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte("x"))
	require.NoError(t, err)
	msg := recvMulti(t, s)
	assert.Equal(t, []byte("x"), msg[1], "the first message is data, not a notification")
}

func TestInteropStreamWithLibzmqStream(t *testing.T) {
	c := newContext(t)
	s := newSocket(t, c, zring.Stream)
	require.NoError(t, s.Bind("tcp://127.0.0.1:*"))
	peer := startPeer(t, "STREAM")
	peer.Connect(s.Endpoint())
	notice := peer.Recv()
	require.Len(t, notice, 2)
	peerID := notice[0] // libzmq's name for us
	hello := recvMulti(t, s)
	require.Len(t, hello, 2)
	ourID := hello[0]

	peer.Send(peerID, []byte("from libzmq"))
	assert.Equal(t, [][]byte{ourID, []byte("from libzmq")}, recvMulti(t, s))
	require.NoError(t, s.SendMulti([][]byte{ourID, []byte("from zring")}, 0))
	assert.Equal(t, [][]byte{peerID, []byte("from zring")}, peer.Recv())
}
