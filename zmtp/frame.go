package zmtp

import "encoding/binary"

// Frame flag bits (RFC 23). Bits 3-7 are reserved: they are sent as 0 and,
// like libzmq, ignored on receive.
const (
	// FlagMore marks a frame that is followed by more frames of the same
	// message.
	FlagMore byte = 0x01
	// FlagLong marks a frame whose size is an 8-byte big-endian integer
	// instead of a single byte.
	FlagLong byte = 0x02
	// FlagCommand marks a command frame.
	FlagCommand byte = 0x04
)

const (
	shortHeaderLen = 2 // flags + 1-byte size
	longHeaderLen  = 9 // flags + 8-byte size
	maxShortSize   = 255
	// maxFrameSize is the largest size RFC 23 allows: the top bit of the
	// 8-byte size must be 0.
	maxFrameSize = 1<<63 - 1
)

// Header is a decoded frame header.
type Header struct {
	// Flags is the flags byte exactly as received, including FlagLong and
	// any reserved bits.
	Flags byte
	// Size is the body size in bytes, already checked against the
	// decoder's limit.
	Size uint64
}

// More reports whether the MORE flag is set.
func (h Header) More() bool { return h.Flags&FlagMore != 0 }

// Command reports whether the COMMAND flag is set.
func (h Header) Command() bool { return h.Flags&FlagCommand != 0 }

// FrameHeaderLen returns the encoded header length for a body of size bytes:
// 2 for sizes up to 255, otherwise 9.
func FrameHeaderLen(size int) int {
	if size > maxShortSize {
		return longHeaderLen
	}
	return shortHeaderLen
}

// AppendFrameHeader appends a frame header for a body of size bytes. It uses
// the long form exactly when size > 255, setting or clearing FlagLong in
// flags itself, as libzmq does. size must not be negative.
func AppendFrameHeader(dst []byte, flags byte, size int) []byte {
	flags &^= FlagLong
	if size > maxShortSize {
		dst = append(dst, flags|FlagLong)
		return binary.BigEndian.AppendUint64(dst, uint64(size))
	}
	return append(dst, flags, byte(size))
}
