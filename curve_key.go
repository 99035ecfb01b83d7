package zring

import (
	"fmt"

	"github.com/zring/zring/zmtp"
)

// CurveKey is a CURVE public or secret key: 32 raw bytes. Its String and
// LogValue never show a key's bytes; Z85 gives the 40-character text that
// the CURVE options and libzmq's tools use. The type is zmtp's.
type CurveKey = zmtp.CurveKey

// NewCurveKeypair makes a CURVE key pair from crypto/rand
// (zmq_curve_keypair).
func NewCurveKeypair() (public, secret CurveKey, err error) {
	public, secret, err = zmtp.NewCurveKeypair()
	return public, secret, stepErr("new curve keypair", err)
}

// CurvePublicKey derives the public key of a secret key (zmq_curve_public).
func CurvePublicKey(secret CurveKey) CurveKey { return zmtp.CurvePublicKey(secret) }

// ParseCurveKey reads a key as the CURVE options take it: 40 characters of
// Z85, or 32 raw bytes. A bad key matches ErrInvalid and zmtp.ErrCurveKey.
func ParseCurveKey(s string) (CurveKey, error) {
	k, err := zmtp.ParseCurveKey(s)
	return k, invalidArg(err)
}

// Z85Encode encodes src, whose length must be a multiple of 4, in Z85
// (zmq_z85_encode). Another length matches ErrInvalid and zmtp.ErrZ85.
func Z85Encode(src []byte) (string, error) {
	s, err := zmtp.Z85Encode(src)
	return s, invalidArg(err)
}

// Z85Decode decodes Z85 text whose length is a multiple of 5
// (zmq_z85_decode). Text that is not Z85 matches ErrInvalid and
// zmtp.ErrZ85.
func Z85Decode(s string) ([]byte, error) {
	b, err := zmtp.Z85Decode(s)
	return b, invalidArg(err)
}

// invalidArg marks an error of zmtp's about an argument as ErrInvalid too:
// "zring: invalid argument: zmtp: invalid Z85: ...".
func invalidArg(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrInvalid, err)
}
