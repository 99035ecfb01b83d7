package zmtp

import (
	"crypto/rand"
	"fmt"

	"golang.org/x/crypto/curve25519"
	"golang.org/x/crypto/nacl/box"
)

// CurveKeySize is the size of a CURVE (X25519) public or secret key.
const CurveKeySize = 32

// CurveKey is a CURVE public or secret key: 32 bytes, or 40 characters of
// Z85 in text form, as libzmq's options and zmq_curve_keypair use. A
// CurveKey cannot tell whether it is public or secret, so it never prints
// its bytes: String, fmt's verbs and log/slog show only a fingerprint, and
// Z85 returns the text (see curve_key_string.go).
type CurveKey [CurveKeySize]byte

// ParseCurveKey accepts a key in either form libzmq's CURVE options take:
// 40 characters of Z85, or 32 raw bytes. Anything else is ErrCurveKey.
func ParseCurveKey(s string) (CurveKey, error) {
	var k CurveKey
	switch len(s) {
	case CurveKeySize:
		copy(k[:], s)
		return k, nil
	case Z85EncodedLen(CurveKeySize):
		// k[:0] has room for all 32 bytes: decoded in place.
		if _, err := AppendZ85Decode(k[:0], s); err != nil {
			return CurveKey{}, fmt.Errorf("%w: %w", ErrCurveKey, err)
		}
		return k, nil
	}
	return CurveKey{}, fmt.Errorf("%w: %d bytes (want 32 raw or 40 Z85)", ErrCurveKey, len(s))
}

// NewCurveKeypair returns a fresh long-term keypair from crypto/rand, as
// zmq_curve_keypair does. The caller owns the secret key and should erase it
// when done.
func NewCurveKeypair() (public, secret CurveKey, err error) {
	pub, sec, err := box.GenerateKey(rand.Reader)
	if err != nil {
		return CurveKey{}, CurveKey{}, fmt.Errorf("zmtp: CURVE keypair: %w", err)
	}
	public, secret = *pub, *sec
	clear(sec[:])
	return public, secret, nil
}

// CurvePublicKey derives the public key of a secret key, as
// zmq_curve_public does.
func CurvePublicKey(secret CurveKey) CurveKey {
	var pub CurveKey
	b, err := curve25519.X25519(secret[:], curve25519.Basepoint)
	if err != nil {
		// X25519 fails only for a low-order point; the base point is not.
		panic("zmtp: X25519 with the base point failed: " + err.Error())
	}
	copy(pub[:], b)
	return pub
}
