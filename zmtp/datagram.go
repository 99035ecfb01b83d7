package zmtp

import "fmt"

// MaxDatagram is the largest UDP datagram libzmq sends or reads
// (MAX_UDP_MSG): a RADIO message whose group and body do not fit is
// dropped, as libzmq drops it.
const MaxDatagram = 8192

// DatagramLen is the size of the datagram carrying group and body over
// udp://: a group length byte, the group, the body.
func DatagramLen(groupLen, bodyLen int) int { return 1 + groupLen + bodyLen }

// AppendDatagram appends the udp:// form of a RADIO message, libzmq's: one
// byte of group length, the group, then the body. The group must be at
// most MaxGroupLen bytes and the whole at most MaxDatagram; otherwise
// ErrBadGroup or ErrFrameTooLarge, and dst is returned unchanged.
func AppendDatagram(dst, group, body []byte) ([]byte, error) {
	if len(group) > MaxGroupLen {
		return dst, fmt.Errorf("%w: group of %d bytes", ErrBadGroup, len(group))
	}
	if n := DatagramLen(len(group), len(body)); n > MaxDatagram {
		return dst, fmt.Errorf("%w: datagram of %d bytes, at most %d", ErrFrameTooLarge, n, MaxDatagram)
	}
	dst = append(dst, byte(len(group)))
	dst = append(dst, group...)
	return append(dst, body...), nil
}

// ParseDatagram splits a datagram a DISH received into group and body,
// both aliasing b. An empty datagram, or one shorter than its group length
// byte says, is ErrBadGroup: libzmq ignores such datagrams, and so should
// the caller.
func ParseDatagram(b []byte) (group, body []byte, err error) {
	if len(b) == 0 {
		return nil, nil, fmt.Errorf("%w: empty datagram", ErrBadGroup)
	}
	n := int(b[0])
	if len(b) < 1+n {
		return nil, nil, fmt.Errorf("%w: datagram of %d bytes with a %d-byte group", ErrBadGroup, len(b), n)
	}
	return b[1 : 1+n], b[1+n:], nil
}
