package zmtp

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"golang.org/x/crypto/nacl/box"
)

// CurveZMQ nonce prefixes (RFC 26). Short nonces are a 16-byte prefix and
// a big-endian 64-bit counter; long nonces an 8-byte prefix and 16 random
// bytes.
const (
	nonceHello    = "CurveZMQHELLO---"
	nonceInitiate = "CurveZMQINITIATE"
	nonceReady    = "CurveZMQREADY---"
	nonceMessageC = "CurveZMQMESSAGEC" // client to server
	nonceMessageS = "CurveZMQMESSAGES" // server to client
	nonceWelcome  = "WELCOME-"
	nonceCookie   = "COOKIE--"
	nonceVouch    = "VOUCH---"
)

// Flags of the plaintext inside a CURVE MESSAGE (its first byte). RFC 26
// reserves bit 1, but libzmq carries PING, PONG, SUBSCRIBE and CANCEL as
// MESSAGEs with it set.
const (
	CurveFlagMore    byte = 0x01
	CurveFlagCommand byte = 0x02
)

// messageName is a MESSAGE command's name with its length byte.
const messageName = "\x07MESSAGE"

// CurveMessageOverhead is what a CURVE MESSAGE adds to the body of the
// frame it carries: the name (8 bytes), the short nonce (8), the box's tag
// (16) and the flags byte (1).
const CurveMessageOverhead = len(messageName) + 8 + box.Overhead + 1

// shortNonce returns a 24-byte nonce: a 16-byte prefix and counter n.
func shortNonce(prefix string, n uint64) (nonce [24]byte) {
	copy(nonce[:16], prefix)
	binary.BigEndian.PutUint64(nonce[16:], n)
	return nonce
}

// longNonce returns a 24-byte nonce: an 8-byte prefix and 16 random bytes.
func longNonce(prefix string, random []byte) (nonce [24]byte) {
	copy(nonce[:8], prefix)
	copy(nonce[8:], random)
	return nonce
}

// CurveMessageLen is the encoded size, frame header included, of a MESSAGE
// carrying a frame body of n bytes.
func CurveMessageLen(n int) int {
	body := CurveMessageOverhead + n
	return FrameHeaderLen(body) + body
}

// CurveSealer encrypts one direction of a CURVE connection once the
// handshake is done: every frame, data or command, travels as one MESSAGE.
// It is used by one goroutine at a time (whoever encodes the connection's
// output) and holds the session key until Erase.
type CurveSealer struct {
	key    [32]byte
	prefix string
	nonce  uint64 // the next short nonce
}

// AppendMessage appends plaintext, which is a flags byte (CurveFlagMore,
// CurveFlagCommand) followed by one frame's body, as a complete MESSAGE
// frame. As libzmq does, the outer frame is a data frame with no flags.
// plaintext must not overlap dst's spare capacity. It does not allocate
// when dst has room for CurveMessageLen(len(plaintext)-1) more bytes.
func (s *CurveSealer) AppendMessage(dst, plaintext []byte) []byte {
	dst = AppendFrameHeader(dst, 0, len(messageName)+8+box.Overhead+len(plaintext))
	dst = append(dst, messageName...)
	dst = binary.BigEndian.AppendUint64(dst, s.nonce)
	nonce := shortNonce(s.prefix, s.nonce)
	s.nonce++
	return box.SealAfterPrecomputation(dst, plaintext, &nonce, &s.key)
}

// Erase clears the session key.
func (s *CurveSealer) Erase() { clear(s.key[:]) }

// CurveOpener decrypts the other direction of a CURVE connection. It is
// used by one goroutine at a time (whoever decodes the connection's input)
// and holds the session key until Erase.
type CurveOpener struct {
	key    [32]byte
	prefix string
	last   uint64 // the peer's last short nonce; the next must be greater
}

// CurvePlaintextLen is the plaintext size, flags byte included, of a
// MESSAGE body of n bytes; Open needs that much room. It is below 1 for a
// body too short to be a MESSAGE.
func CurvePlaintextLen(n int) int { return n - len(messageName) - 8 - box.Overhead }

// Open checks and decrypts the body of a MESSAGE frame, appending its
// plaintext (a flags byte, then the carried frame's body) to dst, which
// must not overlap body. A body that is not a MESSAGE is
// ErrUnexpectedCommand, a short one ErrBadCommand, a nonce not above the
// previous one ErrNonce (a replay), and a box that fails to open ErrCrypto.
// It does not allocate when dst has room for CurvePlaintextLen(len(body)).
func (o *CurveOpener) Open(dst, body []byte) ([]byte, error) {
	if !bytes.HasPrefix(body, []byte(messageName)) {
		return dst, fmt.Errorf("%w: not a CURVE MESSAGE", ErrUnexpectedCommand)
	}
	if CurvePlaintextLen(len(body)) < 1 {
		return dst, fmt.Errorf("%w: CURVE MESSAGE of %d bytes", ErrBadCommand, len(body))
	}
	n := binary.BigEndian.Uint64(body[len(messageName):])
	if n <= o.last {
		return dst, fmt.Errorf("%w: nonce %d after %d", ErrNonce, n, o.last)
	}
	nonce := shortNonce(o.prefix, n)
	out, ok := box.OpenAfterPrecomputation(dst, body[len(messageName)+8:], &nonce, &o.key)
	if !ok {
		return dst, fmt.Errorf("%w: MESSAGE box does not open", ErrCrypto)
	}
	o.last = n
	return out, nil
}

// Erase clears the session key.
func (o *CurveOpener) Erase() { clear(o.key[:]) }
