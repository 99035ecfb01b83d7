package engine

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/zring/zring/zmtp"
)

// The translation between ZWS 2.0 (RFC 45, as libzmq 4.3.5 speaks it) and
// the ZMTP byte stream a connection's engine reads and writes: inside the
// Conn for ws:// (ws_native.go), in a bridge over a socketpair for wss://
// (ws_bridge.go). Either way the engine speaks ZMTP 3.0, and these two
// translators turn each ZMTP frame into one binary WebSocket message (a
// flags byte, then the body) and back.
//
// ZWS 2.0 has no greeting: the subprotocol names the mechanism, so the
// inbound side makes up the peer's greeting and the outbound side drops
// ours. The made-up greeting says ZMTP 3.0, so that SUB and XSUB send
// subscriptions as data frames, which is what libzmq expects over ws.
// Heartbeats are WebSocket pings: our engine's PING command leaves as a
// ping, a pong arrives as a PONG command (liveness), and the peer's pings
// are answered by the bridge itself, or in the Conn by a PONG that leaves
// as a pong. Both translators are pure: they read a buffer and append to
// one, and allocate nothing.

// wsGreeting is the made-up ZMTP 3.0 greeting of a ws peer speaking
// mechanism.
func wsGreeting(dst []byte, mechanism string, peerIsServer bool) []byte {
	dst = zmtp.AppendGreeting(dst, mechanism, peerIsServer)
	dst[len(dst)-zmtp.GreetingSize+11] = 0 // minor version: 3.0
	return dst
}

// wsPong is the ZMTP PONG command (empty context) a WebSocket pong
// becomes: liveness for the engine's heartbeat.
var wsPong = []byte{zmtp.FlagCommand, 5, 4, 'P', 'O', 'N', 'G'}

// wsControl is a control frame the inbound side has read whole.
type wsControl struct {
	opcode  byte // 0: none; zmtp.WSPing, WSPong or WSClose
	payload []byte
}

// wsReadyRoom holds a NULL READY with a 255-byte identity, header
// included.
const wsReadyRoom = 512

// bareType is the type the engine is told a bare ZWS2.0 peer of a socket
// of type self has: the first that may talk to it.
func bareType(self zmtp.SocketType) zmtp.SocketType {
	for t := zmtp.Pair; t <= zmtp.Channel; t++ {
		if zmtp.Compatible(self, t) {
			return t
		}
	}
	return self
}

// wsIn turns WebSocket frames into ZMTP frames. client: we opened the
// connection, so the peer must not mask; a server requires masking.
//
// Bare ZWS2.0 (the subprotocol without a mechanism, the only one a browser
// can name: "/" is not allowed in a subprotocol token) has no handshake:
// libzmq sends its routing id as the first message. With bareAs set, the
// peer's first message is that routing id, and the engine gets it as the
// READY of a peer of type bareAs.
type wsIn struct {
	client bool
	bare   bool            // waiting for the bare peer's routing id
	bareAs zmtp.SocketType // the type the engine is told the bare peer has
	id     [255]byte
	idN    int
	hdr    [zmtp.WSMaxHeader]byte // a header split across reads
	hdrN   int
	h      zmtp.WSHeader
	inBody bool   // h's payload is being read
	pos    uint64 // bytes of h's payload read so far
	ctl    [125]byte
}

// feed translates from src, appending ZMTP bytes to dst without growing it
// past its capacity. It returns after src is used up, when dst is full,
// or after a whole control frame, which it returns (its payload is valid
// until the next call).
func (w *wsIn) feed(dst, src []byte) (out []byte, n int, ctl wsControl, err error) {
	for n < len(src) {
		if !w.inBody {
			k := copy(w.hdr[w.hdrN:], src[n:])
			h, hn, err := zmtp.ParseWSHeader(w.hdr[:w.hdrN+k])
			if err != nil {
				return dst, n, ctl, err
			}
			if hn == 0 {
				w.hdrN += k
				n += k
				continue
			}
			n += hn - w.hdrN
			w.hdrN = 0
			if err := w.check(h); err != nil {
				return dst, n, ctl, err
			}
			w.h, w.inBody, w.pos = h, true, 0
			if n == len(src) && w.h.Len > 0 {
				break // the payload comes in a later read
			}
		}
		if w.h.IsControl() {
			k := copy(w.ctl[w.pos:w.h.Len], src[n:])
			n += k
			w.pos += uint64(k)
			if w.pos < w.h.Len {
				continue
			}
			p := w.ctl[:w.h.Len]
			zmtp.WSMask(p, w.h.Key, 0) // a no-op key when unmasked
			w.inBody = false
			return dst, n, wsControl{opcode: w.h.Opcode, payload: p}, nil
		}
		if w.bare {
			if done, err := w.routingID(src, &n); err != nil || !done {
				return dst, n, ctl, err
			}
			if cap(dst)-len(dst) < wsReadyRoom {
				return dst, n, ctl, nil // the READY waits for room (the whole id has arrived)
			}
			dst = zmtp.AppendReady(dst, w.bareAs, w.id[:w.idN])
			w.bare, w.inBody = false, false
			continue
		}
		if w.pos == 0 {
			// The flags byte: write the ZMTP header for the rest.
			if cap(dst)-len(dst) < 9 {
				return dst, n, ctl, nil
			}
			flags := src[n] ^ w.h.Key[0]
			var zf byte
			if flags&zmtp.WSMore != 0 {
				zf |= zmtp.FlagMore
			}
			if flags&zmtp.WSCommand != 0 {
				zf |= zmtp.FlagCommand
			}
			dst = zmtp.AppendFrameHeader(dst, zf, int(w.h.Len-1))
			n++
			w.pos = 1
		}
		room := cap(dst) - len(dst)
		if room == 0 {
			return dst, n, ctl, nil
		}
		k := int(min(uint64(len(src)-n), uint64(room), w.h.Len-w.pos))
		start := len(dst)
		dst = append(dst, src[n:n+k]...)
		zmtp.WSMask(dst[start:], w.h.Key, w.pos)
		n += k
		w.pos += uint64(k)
		if w.pos == w.h.Len {
			w.inBody = false
		}
	}
	return dst, n, ctl, nil
}

// routingID gathers the bare peer's first message, its routing id: done
// once all of it has arrived.
func (w *wsIn) routingID(src []byte, n *int) (done bool, err error) {
	if w.pos == 0 {
		if w.h.Len-1 > uint64(len(w.id)) {
			return false, fmt.Errorf("%w: a routing id of %d bytes", zmtp.ErrWSFrame, w.h.Len-1)
		}
		if src[*n]^w.h.Key[0] != 0 {
			return false, fmt.Errorf("%w: the first message is not a single-frame routing id", zmtp.ErrWSFrame)
		}
		*n++
		w.pos, w.idN = 1, 0
	}
	k := copy(w.id[w.idN:w.h.Len-1], src[*n:])
	zmtp.WSMask(w.id[w.idN:w.idN+k], w.h.Key, w.pos)
	*n += k
	w.idN += k
	w.pos += uint64(k)
	return w.pos == w.h.Len, nil
}

// check refuses what ZWS 2.0 does not allow in a frame header.
func (w *wsIn) check(h zmtp.WSHeader) error {
	switch {
	case h.Masked == w.client:
		if w.client {
			return fmt.Errorf("%w: the server masked a frame", zmtp.ErrWSFrame)
		}
		return fmt.Errorf("%w: the client sent an unmasked frame", zmtp.ErrWSFrame)
	case h.IsControl():
		return nil
	case h.Opcode != zmtp.WSBinary:
		return fmt.Errorf("%w: opcode %#x (ZWS 2.0 sends binary messages only)", zmtp.ErrWSFrame, h.Opcode)
	case !h.Fin:
		return fmt.Errorf("%w: fragmented message (ZWS 2.0 sends one frame per message)", zmtp.ErrWSFrame)
	case h.Len == 0:
		return fmt.Errorf("%w: binary message without its flags byte", zmtp.ErrWSFrame)
	}
	return nil
}

// wsOut turns our engine's ZMTP output into WebSocket frames. A client
// masks each frame with a fresh key.
type wsOut struct {
	client   bool
	greeting int // bytes of our greeting still to drop
	st       wsOutState
	hdr      [9]byte
	hdrN     int
	flags    byte   // the current frame's ZMTP flags
	size     uint64 // and body size
	left     uint64 // body bytes of the current frame still to write
	pos      uint64 // payload bytes written, flags byte included
	key      [4]byte
	// small holds a short command whole, to tell a PING or PONG (which
	// become WebSocket control frames) from the rest.
	small  [64]byte
	smallN int
	rng    *rand.ChaCha8
	// bare: the first command (our READY) leaves as the routing id
	// message bare ZWS2.0 has instead (see wsIn), then is dropped.
	bare bool
	id   []byte
	// pongs, for a ws:// connection translated in its Conn (ws_native.go):
	// our PONG leaves as a pong echoing the peer's last ping. nil when
	// bridged, where the bridge answers pings itself.
	pongs *wsPings
}

type wsOutState uint8

const (
	outHeader wsOutState = iota // reading a ZMTP frame header
	outSmall                    // gathering a short command
	outBody                     // writing a body through
	outSkip                     // dropping a body (bare ZWS2.0's READY)
)

// wsOutRoom is the least free space feed needs in dst at the start of a
// frame: its WebSocket header, flags byte and a short command's body.
const wsOutRoom = zmtp.WSMaxHeader + 1 + 255

func newWSOut(client bool, seed [32]byte) *wsOut {
	return &wsOut{client: client, greeting: zmtp.GreetingSize, rng: rand.NewChaCha8(seed)}
}

// feed translates from src, appending WebSocket bytes to dst without
// growing it past its capacity. The caller hands in a dst with at least
// wsOutRoom bytes free. mid reports that dst ends inside a frame, so
// nothing else may be written to the connection until a later call
// finishes it.
func (w *wsOut) feed(dst, src []byte) (out []byte, n int, mid bool) {
	if w.greeting > 0 {
		k := min(w.greeting, len(src))
		w.greeting -= k
		n += k
	}
	for n < len(src) {
		switch w.st {
		case outHeader:
			if cap(dst)-len(dst) < wsOutRoom {
				return dst, n, false
			}
			k := copy(w.hdr[w.hdrN:], src[n:])
			hl := 2
			if w.hdr[0]&zmtp.FlagLong != 0 {
				hl = 9
			}
			if w.hdrN+k < hl {
				w.hdrN += k
				n += k
				continue
			}
			n += hl - w.hdrN
			w.hdrN = 0
			w.flags, w.size = w.hdr[0], uint64(w.hdr[1])
			if hl == 9 {
				w.size = binary.BigEndian.Uint64(w.hdr[1:9])
			}
			if w.bare && w.flags&zmtp.FlagCommand != 0 {
				dst = w.routingID(dst)
				continue
			}
			if w.flags&zmtp.FlagCommand != 0 && w.size <= uint64(len(w.small)) {
				w.st, w.smallN = outSmall, 0
				if w.size == 0 {
					dst = w.command(dst)
				}
				continue
			}
			dst = w.start(dst)
		case outSmall:
			k := copy(w.small[w.smallN:w.size], src[n:])
			w.smallN += k
			n += k
			if uint64(w.smallN) == w.size {
				dst = w.command(dst)
			}
		case outSkip:
			k := int(min(uint64(len(src)-n), w.left))
			n += k
			if w.left -= uint64(k); w.left == 0 {
				w.st = outHeader
			}
		case outBody:
			room := cap(dst) - len(dst)
			if room == 0 {
				return dst, n, true
			}
			k := int(min(uint64(len(src)-n), uint64(room), w.left))
			dst = w.body(dst, src[n:n+k])
			n += k
		}
	}
	return dst, n, w.st == outBody
}

// routingID appends bare ZWS2.0's routing id message in place of the
// current command (our READY), whose body is then dropped.
func (w *wsOut) routingID(dst []byte) []byte {
	w.bare = false
	w.flags = 0
	size := w.size
	w.size = uint64(len(w.id))
	dst = w.body(w.start(dst), w.id)
	w.st, w.left = outSkip, size
	if size == 0 {
		w.st = outHeader
	}
	return dst
}

// command appends the short command gathered in small: a PING becomes a
// WebSocket ping, a PONG a pong echoing the peer's last ping (with pongs;
// else nothing: the bridge answers pings), any other command a binary
// message.
func (w *wsOut) command(dst []byte) []byte {
	body := w.small[:w.size]
	w.st = outHeader
	switch {
	case isCommand(body, "PING"):
		return appendWSControl(dst, zmtp.WSPing, w.client, w.maskKey(), nil)
	case isCommand(body, "PONG"):
		if w.pongs == nil {
			return dst
		}
		return w.pongs.appendPong(dst, w.client, w.maskKey())
	}
	return w.body(w.start(dst), body)
}

// isCommand reports a command body named name.
func isCommand(body []byte, name string) bool {
	return len(body) > len(name) && int(body[0]) == len(name) && string(body[1:1+len(name)]) == name
}

// maskKey is a fresh masking key for a client's next frame.
func (w *wsOut) maskKey() (key [4]byte) {
	if w.client {
		binary.LittleEndian.PutUint32(key[:], uint32(w.rng.Uint64()))
	}
	return key
}

// start appends the WebSocket header and flags byte of the current frame.
func (w *wsOut) start(dst []byte) []byte {
	h := zmtp.WSHeader{Fin: true, Opcode: zmtp.WSBinary, Masked: w.client, Len: w.size + 1, Key: w.maskKey()}
	dst = zmtp.AppendWSHeader(dst, h)
	var wf byte
	if w.flags&zmtp.FlagMore != 0 {
		wf |= zmtp.WSMore
	}
	if w.flags&zmtp.FlagCommand != 0 {
		wf |= zmtp.WSCommand
	}
	w.key, w.pos, w.left = h.Key, 0, w.size
	w.st = outBody
	flag := [1]byte{wf}
	dst = w.masked(dst, flag[:])
	if w.left == 0 {
		w.st = outHeader
	}
	return dst
}

// body appends p, part of the current frame's body.
func (w *wsOut) body(dst, p []byte) []byte {
	dst = w.masked(dst, p)
	w.left -= uint64(len(p))
	if w.left == 0 {
		w.st = outHeader
	}
	return dst
}

// masked appends p, masked when we are the client.
func (w *wsOut) masked(dst, p []byte) []byte {
	start := len(dst)
	dst = append(dst, p...)
	if w.client {
		zmtp.WSMask(dst[start:], w.key, w.pos)
	}
	w.pos += uint64(len(p))
	return dst
}

// wsPings passes the payload of the peer's last ping from the input side
// to the output side, which echoes it in the pong (RFC 6455 wants it
// whole; a ZMTP PONG's context holds only 16 bytes).
type wsPings struct {
	mu sync.Mutex
	p  [125]byte
	n  int
}

func (p *wsPings) put(payload []byte) {
	p.mu.Lock()
	p.n = copy(p.p[:], payload)
	p.mu.Unlock()
}

// appendPong appends a pong frame echoing the last ping, masked with key
// when masked.
func (p *wsPings) appendPong(dst []byte, masked bool, key [4]byte) []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return appendWSControl(dst, zmtp.WSPong, masked, key, p.p[:p.n])
}

// appendWSControl appends a control frame of opcode carrying payload (at
// most 125 bytes), masked with key when masked (a client's frames).
func appendWSControl(dst []byte, opcode byte, masked bool, key [4]byte, payload []byte) []byte {
	if !masked {
		key = [4]byte{} // masking with zeros leaves the payload as it is
	}
	h := zmtp.WSHeader{Fin: true, Opcode: opcode, Masked: masked, Key: key, Len: uint64(len(payload))}
	dst = zmtp.AppendWSHeader(dst, h)
	start := len(dst)
	dst = append(dst, payload...)
	zmtp.WSMask(dst[start:], key, 0)
	return dst
}
