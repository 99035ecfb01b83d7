//go:build linux

package zring_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/mempool"
	"github.com/zring/zring/zmtp"
)

// ws:// and wss:// between zring sockets, and against an independent
// WebSocket implementation (github.com/coder/websocket) that checks our
// framing and upgrade from the outside.

// wsDial opens a ZWS 2.0 connection to a zring socket the way a browser
// would, with coder/websocket.
func wsDial(t *testing.T, ep string, protocols ...string) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return websocket.Dial(ctx, "http"+strings.TrimPrefix(ep, "ws"), &websocket.DialOptions{Subprotocols: protocols})
}

// wsReady is a NULL READY command as a ZWS 2.0 message.
func wsReady(st zmtp.SocketType) []byte {
	msg := append([]byte{zmtp.WSCommand}, 5, 'R', 'E', 'A', 'D', 'Y')
	return zmtp.AppendMetadata(msg, st, nil)
}

func wsRead(t *testing.T, c *websocket.Conn) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	typ, b, err := c.Read(ctx)
	require.NoError(t, err)
	require.Equal(t, websocket.MessageBinary, typ, "ZWS 2.0 sends binary messages only")
	return b
}

func wsWrite(t *testing.T, c *websocket.Conn, typ websocket.MessageType, b []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, c.Write(ctx, typ, b))
}

// A DEALER written with coder/websocket talks to a zring ROUTER: the
// upgrade picks ZWS2.0/NULL, READY comes as a command message, and each
// frame of a multipart message is one message whose first byte says MORE.
func TestWSCoderClientFraming(t *testing.T) {
	c := newContext(t)
	router := newSocket(t, c, zring.Router)
	require.NoError(t, router.Bind("ws://127.0.0.1:*/zmq"))

	conn, resp, err := wsDial(t, router.Endpoint(), "ZWS2.0/NULL")
	require.NoError(t, err)
	defer conn.CloseNow()
	assert.Equal(t, "ZWS2.0/NULL", conn.Subprotocol())
	assert.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)

	ready := wsRead(t, conn)
	require.Equal(t, byte(zmtp.WSCommand), ready[0], "the first message is a command")
	name, data, err := zmtp.ParseCommand(ready[1:])
	require.NoError(t, err)
	require.Equal(t, "READY", string(name))
	peer, err := zmtp.ParseReady(data)
	require.NoError(t, err)
	typ, _ := peer.Property(zmtp.PropSocketType)
	assert.Equal(t, "ROUTER", string(typ))

	wsWrite(t, conn, websocket.MessageBinary, wsReady(zmtp.Dealer))
	wsWrite(t, conn, websocket.MessageBinary, []byte("\x01part one"))
	big := bytes.Repeat([]byte("z"), 100_000)
	wsWrite(t, conn, websocket.MessageBinary, append([]byte{0}, big...))
	got := recvMulti(t, router)
	require.Len(t, got, 3)
	assert.Equal(t, [][]byte{[]byte("part one"), big}, got[1:])

	require.NoError(t, router.SendMulti([][]byte{got[0], []byte("r1"), []byte("r2")}, 0))
	assert.Equal(t, []byte("\x01r1"), wsRead(t, conn), "MORE on all but the last frame")
	assert.Equal(t, []byte("\x00r2"), wsRead(t, conn))

	// A ping is answered (by the bridge, with the same payload).
	go func() { _, _, _ = conn.Read(context.Background()) }()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, conn.Ping(ctx))
}

// A client offering no subprotocol for the socket's mechanism is refused
// with 400 and its reason, and the monitor says so.
func TestWSSubprotocolRefused(t *testing.T) {
	c := newContext(t)
	rep := newSocket(t, c, zring.Rep)
	mon, err := rep.Monitor(zring.EventHandshakeFailedProtocol)
	require.NoError(t, err)
	defer mon.Stop()
	require.NoError(t, rep.Bind("ws://127.0.0.1:*/zmq"))

	_, resp, err := wsDial(t, rep.Endpoint(), "ZWS2.0/PLAIN", "chat")
	require.Error(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	ev := nextEvent(t, mon, zring.EventHandshakeFailedProtocol)
	assert.ErrorIs(t, ev.Err, zmtp.ErrWSHandshake)
	assert.Contains(t, ev.Err.Error(), "ZWS2.0/NULL")

	// The listener keeps serving well-behaved peers.
	req := newSocket(t, c, zring.Req)
	require.NoError(t, req.Connect(rep.Endpoint()))
	require.NoError(t, req.Send([]byte("still here"), 0))
	assert.Equal(t, frames("still here"), recvMulti(t, rep))
}

// A frame ZWS 2.0 forbids (here a text message) closes that connection
// with the reason in the monitor event, and a close frame to the peer;
// the socket's other peers go on.
func TestWSBadFrameClosesOneConnection(t *testing.T) {
	c := newContext(t)
	pull := newSocket(t, c, zring.Pull)
	mon, err := pull.Monitor(zring.EventDisconnected)
	require.NoError(t, err)
	defer mon.Stop()
	require.NoError(t, pull.Bind("ws://127.0.0.1:*/zmq"))
	push := newSocket(t, c, zring.Push)
	require.NoError(t, push.Connect(pull.Endpoint()))

	conn, _, err := wsDial(t, pull.Endpoint(), "ZWS2.0/NULL")
	require.NoError(t, err)
	defer conn.CloseNow()
	wsRead(t, conn) // READY
	wsWrite(t, conn, websocket.MessageBinary, wsReady(zmtp.Push))
	wsWrite(t, conn, websocket.MessageText, []byte("\x00not binary"))

	ev := nextEvent(t, mon, zring.EventDisconnected)
	assert.ErrorIs(t, ev.Err, zmtp.ErrWSFrame)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _, err = conn.Read(ctx)
	assert.Equal(t, websocket.StatusProtocolError, websocket.CloseStatus(err), "the peer is told why: %v", err)

	require.NoError(t, push.Send([]byte("the other peer"), 0))
	assert.Equal(t, frames("the other peer"), recvMulti(t, pull))
}

// Every standard pair over ws and wss between zring sockets, with
// multipart messages of every WebSocket length form, CURVE over wss, and
// heartbeats (WebSocket pings) keeping a quiet connection up.
func TestWSZringPairs(t *testing.T) {
	fx := newTLSFixture(t)
	server, client, _ := curveOptions(t)
	cases := []struct {
		name       string
		bind, conn zring.Type
	}{
		{"REQ-REP", zring.Rep, zring.Req}, {"DEALER-ROUTER", zring.Router, zring.Dealer},
		{"PUSH-PULL", zring.Pull, zring.Push}, {"PAIR", zring.Pair, zring.Pair},
	}
	for _, scheme := range []string{"ws", "wss"} {
		for _, tc := range cases {
			t.Run(scheme+"/"+tc.name, func(t *testing.T) {
				c := newContext(t)
				var bo, co []zring.Option
				if scheme == "wss" {
					bo = append(server, zring.WithTLSCertificate(fx.cert))
					co = append(client, zring.WithTLSRootCAs(fx.pool), zring.WithTLSServerName("localhost"))
				}
				hb := zring.WithHeartbeatIvl(20 * time.Millisecond)
				b, cn := bindConnectAt(t, c, scheme+"://127.0.0.1:*/a/b", tc.bind, tc.conn, append(bo, hb), append(co, hb))
				assert.True(t, strings.HasSuffix(b.Endpoint(), "/a/b"), b.Endpoint())
				time.Sleep(150 * time.Millisecond) // several heartbeats
				for _, m := range testMessages() {
					require.NoError(t, cn.SendMulti(m, 0))
					got := recvMulti(t, b)
					if tc.bind == zring.Router {
						got = got[1:]
					}
					require.Equal(t, m, got)
					if tc.bind == zring.Rep {
						require.NoError(t, b.SendMulti(m, 0))
						require.Equal(t, m, recvMulti(t, cn))
					}
				}
			})
		}
	}
}

// A wss connect checks the server's certificate: an untrusted CA or a
// wrong name fails the handshake, and the socket retries.
func TestWSSVerifiesServer(t *testing.T) {
	fx := newTLSFixture(t)
	for _, tc := range []struct {
		name string
		opts []zring.Option
	}{
		{"untrusted CA", []zring.Option{zring.WithTLSRootCAs(fx.otherPool)}},
		{"wrong name", []zring.Option{zring.WithTLSRootCAs(fx.pool), zring.WithTLSServerName("elsewhere")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newContext(t)
			rep := newSocket(t, c, zring.Rep, zring.WithTLSCertificate(fx.cert))
			require.NoError(t, rep.Bind("wss://127.0.0.1:*/zmq"))
			req := newSocket(t, c, zring.Req, tc.opts...)
			mon, err := req.Monitor(zring.EventHandshakeFailedProtocol)
			require.NoError(t, err)
			defer mon.Stop()
			require.NoError(t, req.Connect(rep.Endpoint()))
			ev := nextEvent(t, mon, zring.EventHandshakeFailedProtocol)
			assert.Contains(t, ev.Err.Error(), "certificate")
		})
	}
}

func TestWSSBindNeedsCertificate(t *testing.T) {
	c := newContext(t)
	rep := newSocket(t, c, zring.Rep)
	err := rep.Bind("wss://127.0.0.1:*/zmq")
	require.ErrorIs(t, err, zring.ErrInvalid)
	err = rep.SetOption(zring.WithTLSConfig(nil))
	require.ErrorIs(t, err, zring.ErrInvalid)
	assert.False(t, errors.Is(rep.Bind("ws://127.0.0.1:*/zmq"), zring.ErrInvalid), "ws needs none")
}

// libzmq's ZMQ_WSS_* options by number configure the same thing: PEM
// text for the certificate, its key and the trusted CAs, and the name.
func TestWSSOptionsByNumber(t *testing.T) {
	fx := newTLSFixture(t)
	c := newContext(t)
	rep := newSocket(t, c, zring.Rep)
	require.NoError(t, rep.SetSockOpt(zring.OptWSSCertPEM, fx.certPEM))
	require.ErrorIs(t, rep.Bind("wss://127.0.0.1:*/zmq"), zring.ErrInvalid, "the key is still missing")
	require.NoError(t, rep.SetSockOpt(zring.OptWSSKeyPEM, []byte(fx.keyPEM)))
	require.NoError(t, rep.Bind("wss://127.0.0.1:*/zmq"))

	req := newSocket(t, c, zring.Req)
	require.NoError(t, req.SetSockOpt(zring.OptWSSTrustSystem, 0))
	require.NoError(t, req.SetSockOpt(zring.OptWSSTrustPEM, fx.caPEM))
	require.NoError(t, req.SetSockOpt(zring.OptWSSHostname, "localhost"))
	require.NoError(t, req.Connect(rep.Endpoint()))
	require.NoError(t, req.Send([]byte("by number"), 0))
	assert.Equal(t, frames("by number"), recvMulti(t, rep))

	bad := newSocket(t, c, zring.Rep)
	require.NoError(t, bad.SetSockOpt(zring.OptWSSKeyPEM, fx.keyPEM))
	require.ErrorIs(t, bad.SetSockOpt(zring.OptWSSCertPEM, fx.caPEM), zring.ErrInvalid, "a certificate of another key")
	require.ErrorIs(t, bad.SetSockOpt(zring.OptWSSTrustPEM, "not PEM"), zring.ErrInvalid)
	require.ErrorIs(t, bad.SetSockOpt(zring.OptWSSTrustSystem, 2), zring.ErrInvalid)

	// Trusting nothing (TRUST_SYSTEM 0, no TRUST_PEM) fails every connect,
	// as in libzmq.
	none := newSocket(t, c, zring.Req)
	require.NoError(t, none.SetSockOpt(zring.OptWSSTrustSystem, 0))
	mon, err := none.Monitor(zring.EventHandshakeFailedProtocol)
	require.NoError(t, err)
	defer mon.Stop()
	require.NoError(t, none.Connect(rep.Endpoint()))
	assert.Contains(t, nextEvent(t, mon, zring.EventHandshakeFailedProtocol).Err.Error(), "certificate")
}

// lingerMsgs is what the push-exit helper sends before it exits: more than
// the socketpair and the bridge's buffers hold.
const lingerMsgs = 200_000

// A process that sends over ws and exits at once loses nothing: Close
// and Context.Close wait for the bridge to hand the last bytes to TCP,
// as linger promises (it once lost the socketpair's contents).
func TestWSLingerAcrossExit(t *testing.T) {
	pull := newSocket(t, newContext(t), zring.Pull, zring.WithRcvTimeout(10*time.Second))
	require.NoError(t, pull.Bind("ws://127.0.0.1:*/zmq"))
	p := startHelper(t, "push-exit", pull.Endpoint())
	for i := range lingerMsgs {
		f, err := pull.RecvFrame(0)
		require.NoError(t, err, "message %d of %d", i, lingerMsgs)
		f.Release()
	}
	require.NoError(t, p.cmd.Wait(), "the helper exits cleanly")
}

// rawWS is a hand-driven ZWS 2.0 client: it upgrades, then writes
// whatever frames a test makes, masked as a client must.
type rawWS struct {
	t    *testing.T
	conn net.Conn
}

func dialRawWS(t *testing.T, ep string) *rawWS {
	t.Helper()
	addr := strings.TrimPrefix(ep, "ws://")
	addr = addr[:strings.IndexByte(addr, '/')]
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	key := "dGhlIHNhbXBsZSBub25jZQ=="
	_, err = conn.Write(zmtp.AppendWSRequest(nil, addr, "/", key, []string{"ZWS2.0/NULL"}))
	require.NoError(t, err)
	var head []byte
	for !bytes.Contains(head, []byte("\r\n\r\n")) {
		b := make([]byte, 1)
		_, err := conn.Read(b)
		require.NoError(t, err)
		head = append(head, b...)
	}
	_, _, err = zmtp.ParseWSResponse(head, key)
	require.NoError(t, err)
	return &rawWS{t: t, conn: conn}
}

// frame writes a binary frame whose header claims claim payload bytes,
// followed by payload (masked).
func (r *rawWS) frame(claim uint64, payload []byte) {
	r.t.Helper()
	h := zmtp.WSHeader{Fin: true, Opcode: zmtp.WSBinary, Masked: true, Key: [4]byte{1, 2, 3, 4}, Len: claim}
	b := zmtp.AppendWSHeader(nil, h)
	p := bytes.Clone(payload)
	zmtp.WSMask(p, h.Key, 0)
	_, err := r.conn.Write(append(b, p...))
	require.NoError(r.t, err)
}

// requireClosed waits for the server to end the connection.
func (r *rawWS) requireClosed() {
	r.t.Helper()
	require.NoError(r.t, r.conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, err := io.Copy(io.Discard, r.conn)
	require.NoError(r.t, err, "the server closes the connection (EOF), not a timeout")
}

// A WebSocket frame's length is a claim, as a ZMTP frame's is: 2^62 bytes
// (beyond any machine) and a length with its top bit set each close that
// one connection with the reason, and the socket keeps serving its other
// peer; a plausible claim costs only what has arrived.
func TestWSHugeFrameClaims(t *testing.T) {
	for _, tc := range []struct {
		name  string
		claim uint64
		want  error
	}{
		{"2^62", 1 << 62, zmtp.ErrFrameTooLarge},
		{"top bit", 1 << 63, zmtp.ErrWSFrame},
		{"no flags byte", 0, zmtp.ErrWSFrame},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pull, push := bindConnectAt(t, newContext(t), "ws://127.0.0.1:*/zmq", zring.Pull, zring.Push, nil, nil)
			requireDelivers(t, push, pull, "before")
			mon, err := pull.Monitor(zring.EventDisconnected)
			require.NoError(t, err)
			defer mon.Stop()
			base := largeMapped()
			bad := dialRawWS(t, pull.Endpoint())
			bad.frame(uint64(len(wsReady(zmtp.Push))), wsReady(zmtp.Push))
			bad.frame(tc.claim, make([]byte, min(tc.claim, 101))) // the flags byte (0), then body
			bad.requireClosed()
			ev := nextEvent(t, mon, zring.EventDisconnected)
			assert.ErrorIs(t, ev.Err, tc.want)
			assert.LessOrEqual(t, largeMapped()-base, int64(mempool.MaxPooled), "memory stays bounded")
			requireDelivers(t, push, pull, "after")
		})
	}
	t.Run("1 GiB, plausible", func(t *testing.T) {
		pull, push := bindConnectAt(t, newContext(t), "ws://127.0.0.1:*/zmq", zring.Pull, zring.Push, nil, nil)
		base := largeMapped()
		bad := dialRawWS(t, pull.Endpoint())
		bad.frame(uint64(len(wsReady(zmtp.Push))), wsReady(zmtp.Push))
		bad.frame(1<<30, make([]byte, 101))
		requireDelivers(t, push, pull, "while the claim waits")
		assert.LessOrEqual(t, largeMapped()-base, int64(mempool.MaxPooled), "the claim costs what has arrived")
	})
}
