//go:build linux

package engine

import (
	"crypto/rand"
	"fmt"
	"net"
	"sync"

	"github.com/zring/zring/zmtp"
	"golang.org/x/sys/unix"
)

// A plain ws:// connection is translated inside its Conn: the Conn owns
// the TCP socket, and its read and write (conn_in.go, conn_out.go) pass
// through wsNative, which turns WebSocket frames into the ZMTP bytes the
// decoder reads and the encoder's ZMTP bytes into WebSocket frames, with
// ws_codec.go's translators. There is no socketpair, no goroutine and no
// second copy, so a message crosses one I/O thread each way, as over tcp.
// wss:// stays bridged (ws_bridge.go): crypto/tls wants a net.Conn.
//
// Control frames: the peer's ping becomes a ZMTP PING in the input, so
// that the Conn's own PONG answers it, which the output translates to a
// pong carrying the ping's payload (pings). Pings that come before their
// PONG left share one pong, echoing the latest, as RFC 6455 allows; pings
// before the handshake completes are not answered. A pong becomes a PONG
// (liveness for the heartbeat). A close ends the connection, and the
// close frame is echoed as it closes, or a protocol failure's is sent.

// wsNative is a ws:// connection's translation state.
type wsNative struct {
	// The input side, owned by whoever holds inTok.
	in       wsIn
	greeting []byte // the made-up peer greeting, until the decoder took it
	raw      []byte // WebSocket bytes read; raw[roff:rend] not yet translated
	roff     int
	rend     int

	// The output side, owned by whoever holds outTok. The translated
	// bytes waiting for the socket are Conn.out.staged, a view of stage.
	out   *wsOut
	stage []byte

	// pings holds the payload of the peer's last ping for the PONG that
	// answers it: written on the input side, read on the output side.
	pings wsPings

	// bye is the close frame finishClose sends (the peer's echoed, or a
	// protocol failure's); byeN 0 means none. Input side, then
	// finishClose once it holds both tokens. peerClosed: the peer's close
	// frame came, so the connection ends once what preceded it is read.
	bye        [zmtp.WSMaxHeader + 125]byte
	byeN       int
	peerClosed bool
}

// wsInjectRoom is the room kept free in the decoder's buffer for what a
// control frame adds to the ZMTP input: a PING or a PONG command.
const wsInjectRoom = 32

// newWSNative sets up the translation of a ws:// connection whose upgrade
// is done: rest is what was read past it, protocol the subprotocol chosen,
// client whether we connected.
func newWSNative(rest []byte, client bool, protocol string, opts *SessionOptions) *wsNative {
	var seed [32]byte
	_, _ = rand.Read(seed[:]) // masking keys need only be unpredictable
	w := &wsNative{in: wsIn{client: client}, out: newWSOut(client, seed), raw: make([]byte, wsBufBytes)}
	w.out.pongs = &w.pings
	w.stage = make([]byte, 0, wsBufBytes)
	w.rend = copy(w.raw, rest)
	if protocol == zmtp.WSBareProtocol {
		w.in.bare, w.in.bareAs = true, bareType(opts.Type)
		w.out.bare, w.out.id = true, opts.RoutingID
	}
	// Our engine's peer plays the other role of the mechanism.
	w.greeting = wsGreeting(make([]byte, 0, zmtp.GreetingSize), opts.Security.mechanismName(), !opts.Security.Server)
	return w
}

// detachWS takes the TCP socket out of nc, whose upgrade is done, as a
// non-blocking fd of our own, and closes nc.
func detachWS(nc net.Conn) (int, error) {
	tc, ok := nc.(*net.TCPConn)
	if !ok {
		return -1, fmt.Errorf("ws: %T is not a TCP connection", nc)
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return -1, err
	}
	fd := -1
	var derr error
	if err := rc.Control(func(f uintptr) { fd, derr = unix.FcntlInt(f, unix.F_DUPFD_CLOEXEC, 0) }); err != nil {
		return -1, err
	}
	if derr != nil {
		return -1, derr
	}
	// The dup shares the open file description, so it is non-blocking as
	// Go's poller made it; closing nc leaves the socket open through fd.
	nc.Close()
	return fd, nil
}

// wsRead is Conn.read for ws://: it fills b with ZMTP bytes translated
// from what the socket holds.
func (c *Conn) wsRead(b []byte) (int, bool) {
	w := c.wsn
	// Control frames add ZMTP commands only once the handshake is done: a
	// direct reader runs only then, and never reads state.
	active := c.in.onUser || c.state == stActive
	for {
		n, err := w.fill(b, active)
		switch {
		case err != nil:
			var reason [125]byte
			w.closeWith(zmtp.AppendWSClose(reason[:0], zmtp.WSCloseProtocol, err.Error()))
			c.fail(protocolError(fmt.Errorf("ws: %w", err)))
			return 0, false
		case n > 0:
			return n, true
		case w.peerClosed:
			c.fail(ioError("read", nil))
			return 0, false
		}
		// fill used up raw: it stops short only with output, a close or
		// an error.
		k, ok := c.sysRead(w.raw)
		if !ok {
			return 0, false
		}
		w.roff, w.rend = 0, k
	}
}

// fill translates what raw holds into b, the made-up greeting first, and
// returns how many bytes of b it wrote: 0 when raw holds nothing more to
// translate, or when the peer's close frame came (peerClosed). active
// lets control frames add commands to the input.
func (w *wsNative) fill(b []byte, active bool) (int, error) {
	b = b[:len(b):len(b)] // never past b, whatever the memory beyond it
	n := copy(b, w.greeting)
	w.greeting = w.greeting[n:]
	dst := b[:n]
	for w.roff < w.rend && !w.peerClosed && len(dst) < len(b)-wsInjectRoom {
		// feed leaves wsInjectRoom free for what a control frame adds.
		out, used, ctl, err := w.in.feed(dst[:len(dst):len(b)-wsInjectRoom], w.raw[w.roff:w.rend])
		w.roff += used
		if err != nil {
			return 0, err
		}
		progress := used > 0 || len(out) > len(dst) || ctl.opcode != 0
		dst = b[:len(out)]
		switch ctl.opcode {
		case zmtp.WSPing:
			if active {
				w.pings.put(ctl.payload)
				dst = zmtp.AppendPing(dst, 0, nil)
			}
		case zmtp.WSPong:
			if active {
				dst = append(dst, wsPong...)
			}
		case zmtp.WSClose:
			w.closeWith(ctl.payload) // the echo RFC 6455 asks for
			w.peerClosed = true      // once what came before it is read
		}
		if !progress {
			if len(dst) == 0 {
				// An empty b of a read buffer's size always has room.
				return 0, fmt.Errorf("%w: %d bytes of room cannot take the next frame", zmtp.ErrWSFrame, len(b))
			}
			break // b is too full for the next step (a bare peer's READY)
		}
	}
	return len(dst), nil
}

// wsWrite is Conn.write for ws://: it translates b into WebSocket frames
// and writes them, after any left from before. n counts the bytes of b
// translated: those not yet written wait in out.staged, which keeps the
// output from being idle until they are.
func (c *Conn) wsWrite(b []byte) (int, bool) {
	if !c.wsFlush() {
		return 0, false
	}
	w := c.wsn
	n := 0
	for n < len(b) {
		stage, used, _ := w.out.feed(w.stage[:0], b[n:])
		n += used
		c.out.staged = stage
		if !c.wsFlush() {
			return n, false
		}
	}
	return n, true
}

// wsFlush writes out.staged; false when the socket would block or the
// write failed.
func (c *Conn) wsFlush() bool {
	o := &c.out
	for len(o.staged) > 0 {
		k, ok := c.sysWrite(o.staged)
		o.staged = o.staged[k:]
		if !ok {
			return false
		}
	}
	o.staged = nil
	return true
}

// wsGoodbye sends the close frame due, if the output ends between frames,
// once: finishClose, holding both tokens.
func (c *Conn) wsGoodbye() {
	w := c.wsn
	if w.byeN == 0 || len(c.out.staged) > 0 || w.out.st == outBody {
		return
	}
	_, _ = unix.Write(c.fd, w.bye[:w.byeN])
	w.byeN = 0
}

// closeWith makes the close frame carrying payload (the peer's, echoed,
// or a failure's code and reason) the one finishClose sends; the first
// one made stays.
func (w *wsNative) closeWith(payload []byte) {
	if w.byeN > 0 {
		return
	}
	var key [4]byte
	_, _ = rand.Read(key[:])
	w.byeN = len(appendWSControl(w.bye[:0], zmtp.WSClose, w.in.client, key, payload))
}

// wsLink is what a ws:// or wss:// connection's Conn gets beside its fd:
// the bridge of a wss:// one or the translation of a ws:// one. The zero
// value, for tcp and ipc, has neither.
type wsLink struct {
	bridge *wsBridge
	native *wsNative
}

// linkWS hands nc, whose upgrade is done (rest is what was read past it),
// to a Conn: a plain TCP connection as its own fd, translated in the Conn;
// a TLS one through a bridge, whose goroutines wg counts. It returns the
// fd the Conn owns.
func linkWS(wg *sync.WaitGroup, nc net.Conn, rest []byte, client bool, protocol string, opts *SessionOptions) (int, wsLink, error) {
	if _, plain := nc.(*net.TCPConn); !plain {
		fd, b, err := startWSBridge(wg, nc, rest, client, protocol, opts)
		return fd, wsLink{bridge: b}, err
	}
	fd, err := detachWS(nc)
	if err != nil {
		return -1, wsLink{}, err
	}
	return fd, wsLink{native: newWSNative(rest, client, protocol, opts)}, nil
}
