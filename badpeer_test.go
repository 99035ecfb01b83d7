//go:build linux

package zring_test

import (
	"errors"
	"io"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/zmtp"
)

// A misbehaving peer loses its own connection and nothing else: the socket
// keeps serving its other peers.

// rawPeer is a hand-driven TCP client speaking (or mangling) ZMTP.
type rawPeer struct {
	t    *testing.T
	conn net.Conn
}

func dialRaw(t *testing.T, endpoint string) *rawPeer {
	t.Helper()
	conn, err := net.Dial("tcp", endpoint[len("tcp://"):])
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	return &rawPeer{t: t, conn: conn}
}

func (p *rawPeer) write(b []byte) {
	p.t.Helper()
	_, err := p.conn.Write(b)
	require.NoError(p.t, err)
}

// handshake exchanges greetings and READY as a well-behaved peer of type typ.
func (p *rawPeer) handshake(typ zmtp.SocketType) {
	p.t.Helper()
	p.write(zmtp.AppendGreeting(nil, "NULL", false))
	greeting := make([]byte, zmtp.GreetingSize)
	_, err := io.ReadFull(p.conn, greeting)
	require.NoError(p.t, err)
	_, err = zmtp.ParseGreeting(greeting)
	require.NoError(p.t, err)
	p.write(zmtp.AppendReady(nil, typ, nil))
}

// requireClosed waits for the other side to close the connection, draining
// whatever it sent first.
func (p *rawPeer) requireClosed() {
	p.t.Helper()
	require.NoError(p.t, p.conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	buf := make([]byte, 4096)
	for {
		_, err := p.conn.Read(buf)
		if err == nil {
			continue
		}
		var ne net.Error
		require.False(p.t, errors.As(err, &ne) && ne.Timeout(), "connection still open: %v", err)
		return // EOF or reset: closed
	}
}

// pullWithGoodPeer returns a bound PULL and a PUSH connected to it.
func pullWithGoodPeer(t *testing.T, opts ...zring.Option) (pull, push *zring.Socket) {
	pull, push = bindConnect(t, newContext(t), zring.Pull, zring.Push, opts, nil)
	requireDelivers(t, push, pull, "before")
	return pull, push
}

func requireDelivers(t *testing.T, push, pull *zring.Socket, body string) {
	t.Helper()
	require.NoError(t, push.SendString(body, 0))
	got, err := pull.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, body, got)
}

func TestBadPeerMalformedGreeting(t *testing.T) {
	cases := map[string][]byte{
		"zmtp1.0":       {0x05, 0x00, 'h', 'e', 'l', 'l', 'o'},
		"no-signature":  make([]byte, 64),
		"version2":      {0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 0x01, 0x05},
		"bad-mechanism": append(append([]byte{0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 3, 1}, []byte("NUL\x01")...), make([]byte, 48)...),
		"plain-vs-null": zmtp.AppendGreeting(nil, "PLAIN", false),
	}
	for name, greeting := range cases {
		t.Run(name, func(t *testing.T) {
			pull, push := pullWithGoodPeer(t)
			bad := dialRaw(t, pull.Endpoint())
			bad.write(greeting)
			bad.requireClosed()
			requireDelivers(t, push, pull, "after")
		})
	}
}

func TestBadPeerGarbageFrames(t *testing.T) {
	cases := map[string][]byte{
		"command-with-more":   {0x05, 0x02, 0x01, 'X'},
		"data-before-ready":   {0x00, 0x01, 'x'},
		"truncated-ready":     {0x04, 0x0a, 0x05, 'R', 'E', 'A', 'D', 'Y', 0x0b, 'S', 'o', 'c'},
		"bad-socket-type":     zmtp.AppendCommand(nil, "READY", zmtp.AppendProperty(nil, "Socket-Type", []byte("push"))),
		"incompatible-type":   zmtp.AppendReady(nil, zmtp.Pull, nil),
		"error-command":       zmtp.AppendError(nil, "go away"),
		"empty-command-name":  {0x04, 0x01, 0x00},
		"unexpected-command":  zmtp.AppendCommand(nil, "HELLO", nil),
		"oversized-long-size": {0x02, 0x80, 0, 0, 0, 0, 0, 0, 0},
	}
	for name, frame := range cases {
		t.Run(name, func(t *testing.T) {
			pull, push := pullWithGoodPeer(t)
			bad := dialRaw(t, pull.Endpoint())
			bad.write(zmtp.AppendGreeting(nil, "NULL", false))
			bad.write(frame)
			bad.requireClosed()
			requireDelivers(t, push, pull, "after")
			assert.Equal(t, uint64(1), pull.Stats().ProtocolErrors, "the close is counted")
		})
	}
}

func TestBadPeerGarbageAfterHandshake(t *testing.T) {
	pull, push := pullWithGoodPeer(t)
	bad := dialRaw(t, pull.Endpoint())
	bad.handshake(zmtp.Push)
	// A whole message, then a PING with its context length cut short, then
	// a command frame claiming MORE.
	bad.write([]byte{0x00, 0x02, 'o', 'k'})
	bad.write([]byte{0x05, 0x05, 0x04, 'P', 'I', 'N', 'G'})
	bad.requireClosed()
	got, err := pull.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "ok", got, "the whole message before the garbage is delivered")
	requireDelivers(t, push, pull, "after")
}

// A frame larger than MAXMSGSIZE closes the connection before anything of
// that size is allocated.
func TestBadPeerOversizedFrame(t *testing.T) {
	pull, push := pullWithGoodPeer(t, zring.WithMaxMsgSize(1024))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for _, size := range []uint64{1025, 1 << 40, 1<<63 - 1} {
		bad := dialRaw(t, pull.Endpoint())
		bad.handshake(zmtp.Push)
		hdr := []byte{0x02, 0, 0, 0, 0, 0, 0, 0, 0}
		for i := 0; i < 8; i++ {
			hdr[8-i] = byte(size >> (8 * i))
		}
		bad.write(hdr)
		bad.requireClosed()
	}
	runtime.ReadMemStats(&after)
	require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(8<<20), "no allocation sized by the peer")
	requireDelivers(t, push, pull, "after")
}

// A peer that drips its greeting one byte at a time still completes.
func TestBadPeerSlowGreetingCompletes(t *testing.T) {
	pull, _ := pullWithGoodPeer(t)
	p := dialRaw(t, pull.Endpoint())
	for _, b := range zmtp.AppendGreeting(nil, "NULL", false) {
		p.write([]byte{b})
		time.Sleep(time.Millisecond)
	}
	greeting := make([]byte, zmtp.GreetingSize)
	_, err := io.ReadFull(p.conn, greeting)
	require.NoError(t, err)
	p.write(zmtp.AppendReady(nil, zmtp.Push, nil))
	p.write([]byte{0x00, 0x04, 's', 'l', 'o', 'w'})
	got, err := pull.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "slow", got)
}

// A peer that stalls after its greeting is dropped at HANDSHAKE_IVL.
func TestBadPeerHandshakeTimeout(t *testing.T) {
	pull, push := pullWithGoodPeer(t, zring.WithHandshakeIvl(200*time.Millisecond))
	p := dialRaw(t, pull.Endpoint())
	p.write(zmtp.AppendGreeting(nil, "NULL", false))
	start := time.Now()
	p.requireClosed()
	require.Less(t, time.Since(start), 3*time.Second)
	requireDelivers(t, push, pull, "after")
}

// A peer that disconnects in the middle of a multipart message delivers
// nothing of it (all or nothing), and the socket keeps working.
func TestPartialMessageDroppedOnDisconnect(t *testing.T) {
	pull, push := pullWithGoodPeer(t, zring.WithRcvTimeout(300*time.Millisecond))
	p := dialRaw(t, pull.Endpoint())
	p.handshake(zmtp.Push)
	p.write([]byte{0x01, 0x01, '1', 0x01, 0x01, '2'}) // frames 1 and 2 of 3
	time.Sleep(50 * time.Millisecond)
	p.conn.Close()
	_, err := pull.Recv(0)
	require.ErrorIs(t, err, zring.ErrTimeout)
	requireDelivers(t, push, pull, "after")
}

// Commands between the frames of a message leave it intact: a PING is
// answered with a PONG echoing its context, unknown commands are ignored.
func TestCommandsBetweenFrames(t *testing.T) {
	pull, _ := pullWithGoodPeer(t)
	p := dialRaw(t, pull.Endpoint())
	p.handshake(zmtp.Push)
	p.write([]byte{0x01, 0x01, 'a'})
	p.write(zmtp.AppendPing(nil, 10, []byte("ctx")))
	p.write(zmtp.AppendCommand(nil, "HELLO", []byte("stray")))
	p.write([]byte{0x00, 0x01, 'b'})
	got, err := pull.RecvMulti(0)
	require.NoError(t, err)
	require.Equal(t, [][]byte{[]byte("a"), []byte("b")}, got)

	require.Equal(t, []byte("ctx"), p.nextCommand("PONG"))
}

// nextCommand reads frames from the other side (after the greeting) until
// a command called name arrives and returns its data.
func (p *rawPeer) nextCommand(name string) []byte {
	p.t.Helper()
	require.NoError(p.t, p.conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	dec := zmtp.NewDecoder(-1)
	var body []byte
	buf := make([]byte, 4096)
	for {
		n, err := p.conn.Read(buf)
		require.NoError(p.t, err)
		for in, ev := buf[:n], zmtp.EventHeader; ev != zmtp.EventNone; {
			var used int
			var h zmtp.Header
			used, h, ev, err = dec.Decode(in)
			require.NoError(p.t, err)
			in = in[used:]
			switch {
			case ev == zmtp.EventHeader:
				body = make([]byte, h.Size)
				dec.SetBody(body)
			case ev == zmtp.EventFrame && h.Command():
				if got, data, err := zmtp.ParseCommand(body); err == nil && string(got) == name {
					return data
				}
			}
		}
	}
}

// Peers that dribble a greeting one byte at a time are dropped at
// HANDSHAKE_IVL, and holding them costs no goroutine: connections live on
// the I/O thread.
func TestBadPeerDribbleDroppedWithoutGoroutines(t *testing.T) {
	pull, _ := pullWithGoodPeer(t, zring.WithHandshakeIvl(200*time.Millisecond))
	before := runtime.NumGoroutine()
	const n = 50
	peers := make([]*rawPeer, n)
	for i := range peers {
		peers[i] = dialRaw(t, pull.Endpoint())
	}
	greeting := zmtp.AppendGreeting(nil, "NULL", false)
	for i := range 5 { // five bytes each, 20 ms apart: never complete
		for _, p := range peers {
			_, _ = p.conn.Write(greeting[i : i+1])
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.LessOrEqual(t, runtime.NumGoroutine(), before+2, "no goroutine per connection")
	for _, p := range peers {
		p.requireClosed()
	}
}
