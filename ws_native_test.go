//go:build linux

package zring_test

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/zmtp"
)

// A plain ws:// connection is translated inside its connection's engine:
// control frames are answered as RFC 6455 asks, and no goroutine serves
// a connection.

// control writes a masked control frame with payload.
func (r *rawWS) control(opcode byte, payload []byte) {
	r.t.Helper()
	h := zmtp.WSHeader{Fin: true, Opcode: opcode, Masked: true, Key: [4]byte{9, 8, 7, 6}, Len: uint64(len(payload))}
	p := bytes.Clone(payload)
	zmtp.WSMask(p, h.Key, 0)
	_, err := r.conn.Write(append(zmtp.AppendWSHeader(nil, h), p...))
	require.NoError(r.t, err)
}

// next reads the server's next frame, which is unmasked.
func (r *rawWS) next() (zmtp.WSHeader, []byte) {
	r.t.Helper()
	require.NoError(r.t, r.conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	var buf []byte
	one := make([]byte, 1)
	for {
		h, n, err := zmtp.ParseWSHeader(buf)
		require.NoError(r.t, err)
		if n > 0 {
			require.False(r.t, h.Masked, "a server does not mask")
			body := make([]byte, h.Len)
			_, err := io.ReadFull(r.conn, body)
			require.NoError(r.t, err)
			return h, body
		}
		_, err = io.ReadFull(r.conn, one)
		require.NoError(r.t, err)
		buf = append(buf, one[0])
	}
}

// The peer's ping is answered with a pong carrying its whole payload, up
// to the 125 bytes RFC 6455 allows (a ZMTP PONG's context holds 16), and
// the peer's close is echoed with its code before the connection ends.
func TestWSNativeControlFrames(t *testing.T) {
	c := newContext(t)
	pull := newSocket(t, c, zring.Pull)
	require.NoError(t, pull.Bind("ws://127.0.0.1:*/zmq"))
	m := monitor(t, pull)
	raw := dialRawWS(t, pull.Endpoint())
	raw.frame(uint64(len(wsReady(zmtp.Push))), wsReady(zmtp.Push))
	h, body := raw.next()
	require.Equal(t, byte(zmtp.WSBinary), h.Opcode)
	require.Equal(t, byte(zmtp.WSCommand), body[0], "the server's READY")
	nextEventOf(t, pull, m, zring.EventHandshakeSucceeded)

	for _, size := range []int{0, 4, 16, 17, 125} {
		payload := bytes.Repeat([]byte{byte(size)}, size)
		raw.control(zmtp.WSPing, payload)
		h, body := raw.next()
		require.Equal(t, byte(zmtp.WSPong), h.Opcode, "%d bytes", size)
		require.Equal(t, payload, body, "the pong echoes %d bytes", size)
	}
	raw.frame(6, []byte("\x00hello"))
	got, err := pull.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "hello", got, "data still flows between the pings")

	// A burst of pings between data frames, in one write larger than a
	// read: the pings are answered and every message arrives whole,
	// wherever the reads cut the burst.
	var burst []byte
	frame := func(op byte, payload []byte) {
		h := zmtp.WSHeader{Fin: true, Opcode: op, Masked: true, Key: [4]byte{5, 6, 7, 8}, Len: uint64(len(payload))}
		p := bytes.Clone(payload)
		zmtp.WSMask(p, h.Key, 0)
		burst = append(zmtp.AppendWSHeader(burst, h), p...)
	}
	big := bytes.Repeat([]byte("b"), 150_000)
	const pings = 600
	for i := range pings {
		frame(zmtp.WSPing, []byte(fmt.Sprint(i)))
		if i%3 == 0 {
			frame(zmtp.WSBinary, []byte(fmt.Sprint("\x00m", i)))
		}
		if i == pings/2 {
			frame(zmtp.WSBinary, append([]byte{0}, big...))
		}
	}
	go func() { _, _ = raw.conn.Write(burst) }()
	// RFC 6455 lets a pong answer only the latest of the pings not yet
	// answered: pongs come in order, and the last echoes the last ping.
	for last := -1; last < pings-1; {
		h, body := raw.next()
		require.Equal(t, byte(zmtp.WSPong), h.Opcode)
		n, err := strconv.Atoi(string(body))
		require.NoError(t, err, "a pong echoes a ping: %q", body)
		require.Greater(t, n, last, "pongs in order")
		last = n
	}
	for i := 0; i < pings; i++ {
		if i%3 == 0 {
			got, err := pull.RecvString(0)
			require.NoError(t, err)
			require.Equal(t, fmt.Sprint("m", i), got)
		}
		if i == pings/2 {
			got, err := pull.Recv(0)
			require.NoError(t, err)
			require.Equal(t, big, got)
		}
	}

	raw.control(zmtp.WSClose, zmtp.AppendWSClose(nil, 1000, "bye"))
	h, body = raw.next()
	require.Equal(t, byte(zmtp.WSClose), h.Opcode, "the close is echoed")
	require.Equal(t, zmtp.AppendWSClose(nil, 1000, "bye"), body)
	raw.requireClosed()
	nextEventOf(t, pull, m, zring.EventDisconnected)
}

// Connections over ws:// cost no goroutine each (wss:// still runs two
// per connection, the bridge to crypto/tls).
func TestWSNativeNoGoroutinePerConnection(t *testing.T) {
	const conns = 20
	c := newContext(t)
	router := newSocket(t, c, zring.Router)
	require.NoError(t, router.Bind("ws://127.0.0.1:*/zmq"))
	before := runtime.NumGoroutine()
	dealers := make([]*zring.Socket, conns)
	for i := range dealers {
		dealers[i] = newSocket(t, c, zring.Dealer, zring.WithRoutingID([]byte(fmt.Sprint("d", i))))
		require.NoError(t, dealers[i].Connect(router.Endpoint()))
		require.NoError(t, dealers[i].SendString("hi", 0))
	}
	for range conns {
		parts := recvMulti(t, router)
		require.Equal(t, "hi", string(parts[1]))
	}
	// The upgrades' goroutines have ended once every DEALER was heard.
	after := settled(runtime.NumGoroutine, before+conns/4)
	require.LessOrEqual(t, after, before+conns/4, "%d connections took %d goroutines", conns, after-before)
}

// A control frame longer than RFC 6455's 125 bytes closes that connection
// with ErrWSFrame and a 1002 close frame; the socket serves its other peer.
func TestWSNativeOversizedControlFrame(t *testing.T) {
	pull, push := bindConnectAt(t, newContext(t), "ws://127.0.0.1:*/zmq", zring.Pull, zring.Push, nil, nil)
	requireDelivers(t, push, pull, "before")
	m := monitor(t, pull)
	bad := dialRawWS(t, pull.Endpoint())
	bad.frame(uint64(len(wsReady(zmtp.Push))), wsReady(zmtp.Push))
	h, _ := bad.next() // the server's READY
	require.Equal(t, byte(zmtp.WSBinary), h.Opcode)
	bad.control(zmtp.WSPing, make([]byte, 126))
	h, body := bad.next()
	require.Equal(t, byte(zmtp.WSClose), h.Opcode)
	require.Equal(t, []byte{0x03, 0xEA}, body[:2], "1002, protocol error")
	bad.requireClosed()
	ev := nextEventOf(t, pull, m, zring.EventDisconnected)
	require.ErrorIs(t, ev.Err, zmtp.ErrWSFrame)
	requireDelivers(t, push, pull, "after")
}
