package zmtp

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
)

// Printing CURVE keys. A CurveKey holds a public or a secret key and cannot
// tell which, so whatever prints it by accident (fmt's verbs, log/slog, an
// error message) shows a fingerprint that identifies the key without
// revealing it; Z85 is the one way to get the key's text.

// Z85 returns the key's 40-character Z85 text, as libzmq's options and
// zmq_curve_keypair use it. For a secret key this is the secret itself:
// keep it out of logs.
func (k CurveKey) Z85() string {
	s, _ := Z85Encode(k[:]) // 32 bytes always encode
	return s
}

// String returns "CurveKey(sha256:xxxxxxxx)", the first 4 bytes of the
// key's SHA-256 in hex, or "CurveKey(zero)" for an unset key. It never
// includes the key's bytes; use Z85 for the text.
func (k CurveKey) String() string {
	if k == (CurveKey{}) {
		return "CurveKey(zero)"
	}
	return "CurveKey(sha256:" + k.fingerprint() + ")"
}

// fingerprint is the first 4 bytes of the key's SHA-256, in hex: enough to
// tell keys apart in a log, and a hash, so a secret key stays secret.
func (k CurveKey) fingerprint() string {
	sum := sha256.Sum256(k[:])
	return hex.EncodeToString(sum[:4])
}

// GoString is String, so %#v does not print the key's bytes.
func (k CurveKey) GoString() string { return k.String() }

// Format prints String for every verb (%v, %+v, %#v, %s, %x, %d ...), so
// no verb prints the key's bytes.
func (k CurveKey) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, k.String()) }

// LogValue is String, for log/slog.
func (k CurveKey) LogValue() slog.Value { return slog.StringValue(k.String()) }

// MarshalText is String too, so encoding/json (and slog's JSON handler on
// a struct holding a key) writes the fingerprint, not the key's bytes. It
// is one-way; encode a key to be read back with Z85.
func (k CurveKey) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// String describes the keys by their fingerprints, with the secret key
// only as set or not.
func (ks CurveKeys) String() string {
	secret := "unset"
	if ks.Secret != (CurveKey{}) {
		secret = "set"
	}
	return fmt.Sprintf("CurveKeys(public=%v secret=%s server=%v)", ks.Public, secret, ks.Server)
}

// GoString is String, so %#v does not print the keys' bytes.
func (ks CurveKeys) GoString() string { return ks.String() }

// Format prints String for every verb.
func (ks CurveKeys) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, ks.String()) }

// MarshalText is String, for encoding/json.
func (ks CurveKeys) MarshalText() ([]byte, error) { return []byte(ks.String()), nil }

// LogValue groups the public and server keys' fingerprints and whether a
// secret key is set, for log/slog.
func (ks CurveKeys) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("public", ks.Public.String()),
		slog.Bool("secret_set", ks.Secret != (CurveKey{})),
		slog.String("server", ks.Server.String()),
	)
}
