package zmtp

import (
	"encoding/binary"
	"fmt"
)

// WebSocket framing (RFC 6455 section 5), as ZWS 2.0 (RFC 45) carries
// ZMTP over it: each ZMTP frame is one binary WebSocket message whose
// payload starts with a flags byte (WSMore, WSCommand) followed by the
// frame's body.

// WebSocket opcodes.
const (
	WSContinuation = 0x0
	WSText         = 0x1
	WSBinary       = 0x2
	WSClose        = 0x8
	WSPing         = 0x9
	WSPong         = 0xA
)

// ZWS 2.0 flags: the first payload byte of each binary message.
const (
	WSMore    = 0x01 // more frames of this message follow
	WSCommand = 0x02 // the frame is a command (READY, PING, SUBSCRIBE, ...)
)

// WSMaxHeader is the longest WebSocket frame header: two bytes, a 64-bit
// length and a masking key.
const WSMaxHeader = 14

// wsMaxControl is the longest payload of a control frame (close, ping,
// pong).
const wsMaxControl = 125

// WSHeader is one WebSocket frame's header.
type WSHeader struct {
	Fin    bool // the last fragment of its message
	Opcode byte // WSBinary, WSClose, ...
	Masked bool // Key masks the payload (every client-to-server frame)
	Key    [4]byte
	Len    uint64 // payload bytes, an attacker's number: never allocate by it
}

// IsControl reports a close, ping or pong frame.
func (h WSHeader) IsControl() bool { return h.Opcode&0x8 != 0 }

// ParseWSHeader parses the frame header at the start of p. It returns the
// header and its length, or n == 0 with a nil error while p holds only
// part of it. It refuses reserved bits (no extension is negotiated),
// unknown opcodes, fragmented or oversized control frames and lengths
// with the top bit set (ErrWSFrame).
func ParseWSHeader(p []byte) (h WSHeader, n int, err error) {
	if len(p) < 2 {
		return h, 0, nil
	}
	b0, b1 := p[0], p[1]
	h.Fin = b0&0x80 != 0
	h.Opcode = b0 & 0x0F
	h.Masked = b1&0x80 != 0
	if b0&0x70 != 0 {
		return h, 0, fmt.Errorf("%w: reserved bits %#x set", ErrWSFrame, b0&0x70)
	}
	switch h.Opcode {
	case WSContinuation, WSText, WSBinary, WSClose, WSPing, WSPong:
	default:
		return h, 0, fmt.Errorf("%w: opcode %#x", ErrWSFrame, h.Opcode)
	}
	n = 2
	switch l := b1 & 0x7F; l {
	case 126:
		if len(p) < n+2 {
			return h, 0, nil
		}
		h.Len = uint64(binary.BigEndian.Uint16(p[n:]))
		n += 2
	case 127:
		if len(p) < n+8 {
			return h, 0, nil
		}
		h.Len = binary.BigEndian.Uint64(p[n:])
		if h.Len>>63 != 0 {
			return h, 0, fmt.Errorf("%w: length %#x has its top bit set", ErrWSFrame, h.Len)
		}
		n += 8
	default:
		h.Len = uint64(l)
	}
	if h.IsControl() && (!h.Fin || h.Len > wsMaxControl) {
		return h, 0, fmt.Errorf("%w: control frame fragmented or over %d bytes", ErrWSFrame, wsMaxControl)
	}
	if h.Masked {
		if len(p) < n+4 {
			return h, 0, nil
		}
		copy(h.Key[:], p[n:n+4])
		n += 4
	}
	return h, n, nil
}

// AppendWSHeader appends h's encoding, with the shortest length form.
func AppendWSHeader(dst []byte, h WSHeader) []byte {
	b0 := h.Opcode & 0x0F
	if h.Fin {
		b0 |= 0x80
	}
	var m byte
	if h.Masked {
		m = 0x80
	}
	switch {
	case h.Len < 126:
		dst = append(dst, b0, m|byte(h.Len))
	case h.Len <= 0xFFFF:
		dst = append(dst, b0, m|126)
		dst = binary.BigEndian.AppendUint16(dst, uint16(h.Len))
	default:
		dst = append(dst, b0, m|127)
		dst = binary.BigEndian.AppendUint64(dst, h.Len)
	}
	if h.Masked {
		dst = append(dst, h.Key[:]...)
	}
	return dst
}

// WSMask masks (or unmasks: it is its own inverse) p in place, where p
// starts at byte pos of a payload masked with key.
func WSMask(p []byte, key [4]byte, pos uint64) {
	if len(p) == 0 {
		return
	}
	// Rotate the key so that k[0] applies to p[0], then XOR eight bytes
	// at a time.
	var k [4]byte
	for i := range k {
		k[i] = key[(pos+uint64(i))&3]
	}
	k32 := binary.LittleEndian.Uint32(k[:])
	k64 := uint64(k32) | uint64(k32)<<32
	i := 0
	for ; i+8 <= len(p); i += 8 {
		binary.LittleEndian.PutUint64(p[i:], binary.LittleEndian.Uint64(p[i:])^k64)
	}
	for ; i < len(p); i++ {
		p[i] ^= k[i&3]
	}
}

// AppendWSClose appends a close frame's payload: a status code and a
// reason, cut to fit the control frame limit.
func AppendWSClose(dst []byte, code uint16, reason string) []byte {
	dst = binary.BigEndian.AppendUint16(dst, code)
	if len(reason) > wsMaxControl-2 {
		reason = reason[:wsMaxControl-2]
	}
	return append(dst, reason...)
}

// WebSocket close status codes zring sends.
const (
	WSCloseNormal   = 1000
	WSCloseProtocol = 1002 // a framing error
	WSCloseTooBig   = 1009 // a message over MAXMSGSIZE
)
