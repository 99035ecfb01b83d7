package zmtp

import (
	"encoding/binary"
	"fmt"
)

// GreetingSize is the length of a ZMTP 3.x greeting.
const GreetingSize = 64

// The version this package speaks: ZMTP 3.1.
const (
	VersionMajor byte = 3
	VersionMinor byte = 1
)

// Mechanism names as they appear in the greeting.
const (
	MechanismNull   = "NULL"
	MechanismPlain  = "PLAIN"
	MechanismCurve  = "CURVE"
	MechanismGSSAPI = "GSSAPI"
)

// Greeting layout (RFC 23): signature (0xFF, 8 padding bytes, 0x7F), major,
// minor, 20-byte NUL-padded mechanism, as-server, 31 filler bytes.
const (
	sigFirst       = 0xFF
	sigLast        = 0x7F
	sigLastPos     = 9
	majorPos       = 10
	minorPos       = 11
	mechanismPos   = 12
	mechanismLen   = 20
	asServerPos    = 32
	signatureBytes = 10
)

// Greeting is a parsed peer greeting.
type Greeting struct {
	// Major and Minor are the peer's announced version.
	Major, Minor byte
	// Mechanism is the mechanism name with its NUL padding trimmed.
	Mechanism string
	// AsServer is true when the as-server byte is non-zero. Never derive
	// roles from it: libzmq and JeroMQ always send 0.
	AsServer bool
}

// EffectiveMinor returns the minor version both sides speak: min(ours, the
// peer's) for a 3.x peer, ours for a peer with a higher major version (it
// must downgrade to us). A result of 0 means ZMTP 3.0 rules, such as
// subscriptions sent as data frames.
func (g Greeting) EffectiveMinor() byte {
	if g.Major > VersionMajor {
		return VersionMinor
	}
	return min(g.Minor, VersionMinor)
}

// AppendGreeting appends a 64-byte ZMTP 3.1 greeting. The padding follows
// libzmq: an 8-byte big-endian 1 (an empty identity's length plus one), so a
// ZMTP 1.0 peer reads the signature as an empty identity frame. mechanism is
// truncated to 20 bytes.
func AppendGreeting(dst []byte, mechanism string, asServer bool) []byte {
	dst = append(dst, sigFirst)
	dst = binary.BigEndian.AppendUint64(dst, 1)
	dst = append(dst, sigLast, VersionMajor, VersionMinor)
	var mech [mechanismLen]byte
	copy(mech[:], mechanism)
	dst = append(dst, mech[:]...)
	var server byte
	if asServer {
		server = 1
	}
	dst = append(dst, server)
	var filler [GreetingSize - asServerPos - 1]byte
	return append(dst, filler[:]...)
}

// CheckSignature inspects the first bytes of a peer's greeting received so
// far (any length; only the first 11 bytes are examined) so an engine can
// close a legacy or garbage peer as early as possible. It returns
// ErrBadSignature once byte 0 is not 0xFF or byte 9 lacks its low bit (a
// ZMTP 1.0 peer), ErrVersion once byte 10 shows a major version below 3 (a
// ZMTP 2.0 peer, which would otherwise wait forever), and nil while the
// bytes are still plausible.
func CheckSignature(b []byte) error {
	if len(b) > 0 && b[0] != sigFirst {
		return fmt.Errorf("%w: first byte %#02x", ErrBadSignature, b[0])
	}
	if len(b) > sigLastPos && b[sigLastPos]&1 == 0 {
		return fmt.Errorf("%w: byte 9 is %#02x", ErrBadSignature, b[sigLastPos])
	}
	if len(b) > majorPos && b[majorPos] < VersionMajor {
		return fmt.Errorf("%w: %d", ErrVersion, b[majorPos])
	}
	return nil
}

// ParseGreeting parses a peer's 64-byte greeting; bytes beyond the first 64
// are ignored. Padding, filler and the as-server value are never rejected,
// and any version from 3.0 up is accepted. It returns ErrBadSignature for a
// short or unversioned greeting, ErrVersion for a major version below 3, and
// ErrBadMechanism for an empty name, a non-printable byte, or a non-NUL
// byte after the first NUL.
func ParseGreeting(b []byte) (Greeting, error) {
	if len(b) < GreetingSize {
		return Greeting{}, fmt.Errorf("%w: %d bytes", ErrBadSignature, len(b))
	}
	if err := CheckSignature(b[:signatureBytes+1]); err != nil {
		return Greeting{}, err
	}
	mech, err := parseMechanism(b[mechanismPos : mechanismPos+mechanismLen])
	if err != nil {
		return Greeting{}, err
	}
	return Greeting{
		Major:     b[majorPos],
		Minor:     b[minorPos],
		Mechanism: mech,
		AsServer:  b[asServerPos] != 0,
	}, nil
}

// parseMechanism validates and trims a 20-byte mechanism field.
func parseMechanism(field []byte) (string, error) {
	n := 0
	for n < len(field) && field[n] != 0 {
		if c := field[n]; c <= ' ' || c > '~' {
			return "", fmt.Errorf("%w: byte %#02x", ErrBadMechanism, c)
		}
		n++
	}
	if n == 0 {
		return "", fmt.Errorf("%w: empty", ErrBadMechanism)
	}
	for _, c := range field[n:] {
		if c != 0 {
			return "", fmt.Errorf("%w: bytes after NUL", ErrBadMechanism)
		}
	}
	return internMechanism(field[:n]), nil
}

// internMechanism returns the known mechanism names without allocating.
func internMechanism(name []byte) string {
	switch string(name) {
	case MechanismNull:
		return MechanismNull
	case MechanismPlain:
		return MechanismPlain
	case MechanismCurve:
		return MechanismCurve
	case MechanismGSSAPI:
		return MechanismGSSAPI
	}
	return string(name)
}
