//go:build linux

package engine

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zring/zring/zmtp"
	"golang.org/x/sys/unix"
)

// A wss:// connection is bridged: once the TLS handshake and the upgrade
// (ws_upgrade.go) are done, two goroutines carry it between the
// WebSocket, a net.Conn that Go's runtime polls (TLS comes from
// crypto/tls), and one end of a socketpair. The other end is an ordinary
// stream fd for a Conn on an I/O thread, which speaks ZMTP over it exactly
// as over tcp://: every socket type, mechanism, option and monitor event
// works the same. The price is one more copy each way and two goroutines
// per connection (not per message); ws_codec.go translates. A plain ws://
// connection needs no bridge: its Conn translates (ws_native.go).

// wsBufBytes is each direction's read and write buffer.
const wsBufBytes = 64 << 10

// wsCloseWait bounds the close frame written on the way out.
const wsCloseWait = 100 * time.Millisecond

// wsBridge carries one WebSocket connection.
type wsBridge struct {
	nc     net.Conn // the WebSocket's TCP or TLS connection
	pair   net.Conn // our end of the socketpair
	peerIP string   // nc's remote IP, for Peer-Address and ZAP
	in     wsIn
	out    *wsOut

	// wmu orders writes to nc: the outbound goroutine writes frames, the
	// inbound one writes pongs and close echoes, but only between frames.
	wmu     sync.Mutex
	mid     bool                         // guarded by wmu: nc last got part of a frame
	ctlq    [zmtp.WSMaxHeader + 125]byte // guarded by wmu: a control frame waiting for mid to clear
	ctlqN   int
	fail    atomic.Pointer[error] // the first protocol failure, for the Conn's close reason
	closing sync.Once
}

// startWSBridge makes the socketpair and starts carrying nc, whose
// upgrade is done (rest is what was read past it), for a connection with
// mechanism; client tells which side of the WebSocket we are. It returns
// the fd for the Conn, which owns it.
//
// protocol is the subprotocol chosen: bare "ZWS2.0" swaps the handshake for
// routing id messages (see wsIn).
//
// wg counts the bridge's goroutines (Context.ws).
func startWSBridge(wg *sync.WaitGroup, nc net.Conn, rest []byte, client bool, protocol string, opts *SessionOptions) (int, *wsBridge, error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, nil, os.NewSyscallError("socketpair", err)
	}
	f := os.NewFile(uintptr(fds[1]), "zring-ws")
	pair, err := net.FileConn(f) // a dup in Go's poller
	f.Close()
	if err != nil {
		unix.Close(fds[0])
		return -1, nil, err
	}
	var seed [32]byte
	_, _ = rand.Read(seed[:]) // masking keys need only be unpredictable
	b := &wsBridge{nc: nc, pair: pair, in: wsIn{client: client}, out: newWSOut(client, seed)}
	mechanism := opts.Security.mechanismName()
	if protocol == zmtp.WSBareProtocol {
		b.in.bare, b.in.bareAs = true, bareType(opts.Type)
		b.out.bare, b.out.id = true, opts.RoutingID
	}
	if ta, ok := nc.RemoteAddr().(*net.TCPAddr); ok {
		b.peerIP = ta.IP.String()
	}
	// Our engine's peer plays the other role of the mechanism.
	greeting := wsGreeting(make([]byte, 0, zmtp.GreetingSize), mechanism, !opts.Security.Server)
	wg.Add(2)
	go func() { defer wg.Done(); b.inbound(greeting, rest) }()
	go func() { defer wg.Done(); b.outbound() }()
	return fds[0], b, nil
}

// inbound carries WebSocket frames to the engine, after the made-up
// greeting.
func (b *wsBridge) inbound(greeting, rest []byte) {
	src := make([]byte, wsBufBytes)
	dst := make([]byte, 0, wsBufBytes)
	dst = append(dst, greeting...)
	n := copy(src, rest)
	for {
		off := 0
		for off < n || len(dst) > 0 {
			var used int
			var ctl wsControl
			var err error
			dst, used, ctl, err = b.in.feed(dst, src[off:n])
			off += used
			if err != nil {
				b.failWith(err, zmtp.WSCloseProtocol)
				return
			}
			if ctl.opcode == zmtp.WSPong {
				dst = append(dst, wsPong...) // liveness for the engine's heartbeat
			}
			if len(dst) > 0 && (off == n || cap(dst)-len(dst) < len(wsPong)+9 || ctl.opcode != 0) {
				if _, err := b.pair.Write(dst); err != nil {
					b.shutdown()
					return
				}
				dst = dst[:0]
			}
			switch ctl.opcode {
			case zmtp.WSPing:
				b.control(zmtp.WSPong, ctl.payload)
			case zmtp.WSClose:
				b.control(zmtp.WSClose, ctl.payload) // the echo RFC 6455 asks for
				b.shutdown()
				return
			}
		}
		var err error
		if n, err = b.nc.Read(src); err != nil {
			b.shutdown()
			return
		}
	}
}

// outbound carries the engine's ZMTP output to the WebSocket.
func (b *wsBridge) outbound() {
	src := make([]byte, wsBufBytes)
	dst := make([]byte, 0, wsBufBytes)
	for {
		n, err := b.pair.Read(src)
		if err != nil {
			b.shutdown() // the Conn closed its end
			return
		}
		for off := 0; off < n; {
			var used int
			var mid bool
			dst, used, mid = b.out.feed(dst[:0], src[off:n])
			off += used
			if err := b.write(dst, mid); err != nil {
				b.shutdown()
				return
			}
		}
	}
}

// write sends frames to nc, then a control frame that waited for them.
func (b *wsBridge) write(p []byte, mid bool) error {
	b.wmu.Lock()
	defer b.wmu.Unlock()
	if len(p) > 0 {
		if _, err := b.nc.Write(p); err != nil {
			return err
		}
	}
	b.mid = mid
	if !mid && b.ctlqN > 0 {
		n := b.ctlqN
		b.ctlqN = 0
		if _, err := b.nc.Write(b.ctlq[:n]); err != nil {
			return err
		}
	}
	return nil
}

// control sends a control frame with payload (at most 125 bytes) now, or
// after the frame being written, replacing one already waiting.
func (b *wsBridge) control(opcode byte, payload []byte) {
	var key [4]byte
	_, _ = rand.Read(key[:])
	b.wmu.Lock()
	defer b.wmu.Unlock()
	frame := appendWSControl(b.ctlq[:0], opcode, b.in.client, key, payload)
	if b.mid {
		b.ctlqN = len(frame)
		return
	}
	_, _ = b.nc.Write(frame)
}

// failWith records a protocol failure, tells the peer with a close frame
// when the connection is between frames, and ends the bridge.
func (b *wsBridge) failWith(err error, code uint16) {
	b.fail.CompareAndSwap(nil, &err)
	var reason [125]byte
	_ = b.nc.SetWriteDeadline(time.Now().Add(wsCloseWait))
	b.control(zmtp.WSClose, zmtp.AppendWSClose(reason[:0], code, err.Error()))
	b.shutdown()
}

// shutdown closes both sides; each goroutine's blocked call returns.
// The Conn sees its fd's EOF and closes it.
func (b *wsBridge) shutdown() {
	b.closing.Do(func() {
		b.nc.Close()
		b.pair.Close()
	})
}

// drainBy bounds the writing of what the Conn wrote before it closed its
// end: until deadline (the zero time: no bound), for a socket lingering,
// or not at all once it has passed. The bridge still writes what it can
// meanwhile, then ends on the socketpair's EOF.
func (b *wsBridge) drainBy(deadline time.Time) {
	if !deadline.IsZero() {
		_ = b.nc.SetWriteDeadline(deadline)
	}
}

// explain is a Conn's close reason: the WebSocket protocol failure behind
// the EOF, if there was one.
func (b *wsBridge) explain(err error) error {
	// fail is stored before shutdown closes the socketpair, so a Conn that
	// met the EOF, reset or broken pipe this caused sees it: the close(2)
	// and the Conn's read or write are ordered by the kernel, and both
	// sides use atomics.
	if p := b.fail.Load(); p != nil && (errors.Is(err, io.EOF) || errors.Is(err, unix.ECONNRESET) || errors.Is(err, unix.EPIPE)) {
		return protocolError(fmt.Errorf("ws: %w", *p))
	}
	return err
}
