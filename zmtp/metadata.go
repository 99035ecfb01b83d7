package zmtp

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Property names libzmq sends, spelled exactly as libzmq compares them.
const (
	PropSocketType = "Socket-Type"
	PropIdentity   = "Identity"
)

const (
	// MaxIdentity is the longest Identity (routing id) ZMTP allows.
	MaxIdentity = 255
	// MaxProperties is the most properties ParseReady accepts in one
	// command. Each costs a few bytes on the wire but a Property kept for
	// the connection's life, so an unbounded count would let a peer turn a
	// small frame into much more memory. libzmq sends two.
	MaxProperties   = 256
	maxPropertyName = 255
	valueLenBytes   = 4
	maxValueLen     = 1<<31 - 1
)

// ValidPropertyName reports whether name is a legal property name: 1 to 255
// characters from [A-Za-z0-9-_.+].
func ValidPropertyName(name []byte) bool {
	if len(name) == 0 || len(name) > maxPropertyName {
		return false
	}
	for _, c := range name {
		if !propertyNameChar(c) {
			return false
		}
	}
	return true
}

func propertyNameChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return c == '-' || c == '_' || c == '.' || c == '+'
}

// AppendProperty appends one metadata property: name length (1 byte), name,
// value length (4 bytes, big-endian) and value. The caller guarantees that
// name is valid (see ValidPropertyName) and value shorter than 2^31 bytes.
func AppendProperty(dst []byte, name string, value []byte) []byte {
	dst = appendPropertyHeader(dst, name, len(value))
	return append(dst, value...)
}

// appendPropertyHeader appends everything of a property but its value.
func appendPropertyHeader(dst []byte, name string, valueLen int) []byte {
	dst = append(dst, byte(len(name)))
	dst = append(dst, name...)
	return binary.BigEndian.AppendUint32(dst, uint32(valueLen))
}

// PropertySize returns the encoded size of a property.
func PropertySize(nameLen, valueLen int) int {
	return 1 + nameLen + valueLenBytes + valueLen
}

// WalkProperties calls fn for each property in data, in order, with name and
// value aliasing data. It stops at the first error from fn and returns it
// unchanged. Truncation, trailing bytes, invalid names and values of 2^31
// bytes or more are ErrBadMetadata. It does not allocate.
func WalkProperties(data []byte, fn func(name, value []byte) error) error {
	for len(data) > 0 {
		name, value, rest, err := nextProperty(data)
		if err != nil {
			return err
		}
		if err := fn(name, value); err != nil {
			return err
		}
		data = rest
	}
	return nil
}

// nextProperty splits the first property off data.
func nextProperty(data []byte) (name, value, rest []byte, err error) {
	n := int(data[0])
	data = data[1:]
	if len(data) < n+valueLenBytes {
		return nil, nil, nil, fmt.Errorf("%w: property truncated", ErrBadMetadata)
	}
	name, data = data[:n], data[n:]
	if !ValidPropertyName(name) {
		return nil, nil, nil, fmt.Errorf("%w: bad property name %q", ErrBadMetadata, name)
	}
	// Compare as uint64 so a huge length cannot overflow int on 32-bit.
	vlen := uint64(binary.BigEndian.Uint32(data))
	data = data[valueLenBytes:]
	if vlen > maxValueLen || vlen > uint64(len(data)) {
		return nil, nil, nil, fmt.Errorf("%w: value of %q truncated", ErrBadMetadata, name)
	}
	return name, data[:vlen], data[vlen:], nil
}

// Property is one metadata property received from a peer.
type Property struct {
	// Name is the property name as the peer spelled it.
	Name string
	// Value is a copy of the property's value.
	Value []byte
}

// PeerInfo is what a peer announced in READY (or INITIATE).
type PeerInfo struct {
	// Type is the peer's Socket-Type.
	Type SocketType
	// Identity is a copy of the peer's Identity property: nil when it was
	// absent, empty but non-nil when it was sent empty. A ROUTER uses it
	// only when it is non-empty.
	Identity []byte
	// Properties holds every property in wire order, Socket-Type and
	// Identity included, with names and values copied.
	Properties []Property
}

// Property returns the value of the first property called name, matching
// case-insensitively as RFC 37 requires.
func (p PeerInfo) Property(name string) ([]byte, bool) {
	for _, prop := range p.Properties {
		if equalFoldASCII(prop.Name, name) {
			return prop.Value, true
		}
	}
	return nil, false
}

// AppendReady appends a complete READY command frame for a NULL handshake:
// Socket-Type, then Identity if t.SendsIdentity() (even when empty), as
// libzmq does. identity must be at most 255 bytes.
func AppendReady(dst []byte, t SocketType, identity []byte) []byte {
	return AppendMetadataCommand(dst, CmdReady, t, identity)
}

// AppendMetadataCommand appends a complete command frame called name whose
// data is libzmq's handshake metadata (see AppendMetadata). PLAIN's
// INITIATE and READY use it too.
func AppendMetadataCommand(dst []byte, name string, t SocketType, identity []byte) []byte {
	dst = appendCommandHeader(dst, name, MetadataSize(t, identity))
	return AppendMetadata(dst, t, identity)
}

// AppendMetadata appends libzmq's handshake metadata as bare properties:
// Socket-Type, then Identity if t.SendsIdentity() (even when empty).
// CURVE encrypts these inside INITIATE and READY. identity must be at most
// 255 bytes.
func AppendMetadata(dst []byte, t SocketType, identity []byte) []byte {
	typ := t.String()
	dst = appendPropertyHeader(dst, PropSocketType, len(typ))
	dst = append(dst, typ...)
	if t.SendsIdentity() {
		dst = AppendProperty(dst, PropIdentity, identity)
	}
	return dst
}

// MetadataSize is the length of what AppendMetadata appends.
func MetadataSize(t SocketType, identity []byte) int {
	size := PropertySize(len(PropSocketType), len(t.String()))
	if t.SendsIdentity() {
		size += PropertySize(len(PropIdentity), len(identity))
	}
	return size
}

// ParseReady parses the data of a READY command (after the name). Property
// names match case-insensitively; unknown properties are kept, never
// rejected, and of two with the same name Property finds the first. A
// missing or unknown Socket-Type is ErrBadSocketType; an Identity over 255
// bytes or starting with byte 0 is ErrBadIdentity; malformed metadata, more
// than MaxProperties properties, or a second Socket-Type or Identity (which
// would leave the peer's type or routing id ambiguous) is ErrBadMetadata.
func ParseReady(data []byte) (PeerInfo, error) {
	var info PeerInfo
	hasType, hasID := false, false
	err := WalkProperties(data, func(name, value []byte) error {
		if len(info.Properties) == MaxProperties {
			return fmt.Errorf("%w: more than %d properties", ErrBadMetadata, MaxProperties)
		}
		info.Properties = append(info.Properties, Property{Name: string(name), Value: bytes.Clone(value)})
		switch {
		case equalFoldASCII(string(name), PropSocketType):
			if hasType {
				return fmt.Errorf("%w: second %s", ErrBadMetadata, PropSocketType)
			}
			t, ok := ParseSocketType(value)
			if !ok {
				return fmt.Errorf("%w: %q", ErrBadSocketType, value)
			}
			info.Type, hasType = t, true
		case equalFoldASCII(string(name), PropIdentity):
			if hasID {
				return fmt.Errorf("%w: second %s", ErrBadMetadata, PropIdentity)
			}
			if err := checkIdentity(value); err != nil {
				return err
			}
			info.Identity, hasID = info.Properties[len(info.Properties)-1].Value, true
		}
		return nil
	})
	if err != nil {
		return PeerInfo{}, err
	}
	if !hasType {
		return PeerInfo{}, fmt.Errorf("%w: no Socket-Type property", ErrBadSocketType)
	}
	return info, nil
}

// checkIdentity enforces RFC 37's limits on a received Identity.
func checkIdentity(id []byte) error {
	if len(id) > MaxIdentity {
		return fmt.Errorf("%w: %d bytes", ErrBadIdentity, len(id))
	}
	if len(id) > 0 && id[0] == 0 {
		return fmt.Errorf("%w: first byte is 0", ErrBadIdentity)
	}
	return nil
}

// equalFoldASCII compares two property names ignoring ASCII case.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}
