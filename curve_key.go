package zring

import "github.com/zring/zring/zmtp"

// CurveKey is a CURVE public or secret key: 32 raw bytes. Its String and
// LogValue never show a key's bytes; Z85 gives the 40-character text that
// the CURVE options and libzmq's tools use. The type is zmtp's.
type CurveKey = zmtp.CurveKey

// NewCurveKeypair makes a CURVE key pair from crypto/rand
// (zmq_curve_keypair).
func NewCurveKeypair() (public, secret CurveKey, err error) { return zmtp.NewCurveKeypair() }

// CurvePublicKey derives the public key of a secret key (zmq_curve_public).
func CurvePublicKey(secret CurveKey) CurveKey { return zmtp.CurvePublicKey(secret) }

// ParseCurveKey reads a key as the CURVE options take it: 40 characters of
// Z85, or 32 raw bytes.
func ParseCurveKey(s string) (CurveKey, error) { return zmtp.ParseCurveKey(s) }

// Z85Encode encodes src, whose length must be a multiple of 4, in Z85
// (zmq_z85_encode).
func Z85Encode(src []byte) (string, error) { return zmtp.Z85Encode(src) }

// Z85Decode decodes Z85 text whose length is a multiple of 5
// (zmq_z85_decode).
func Z85Decode(s string) ([]byte, error) { return zmtp.Z85Decode(s) }
