package zmtp

import "fmt"

// RADIO and DISH (RFC 48): a DISH tells its RADIO peers which groups it
// wants with JOIN and LEAVE commands, and a RADIO sends each message as two
// frames, the group (MORE set) and then the body.

// MaxGroupLen is the longest group libzmq 4.3.3 and later accept
// (ZMQ_GROUP_MAX_LENGTH); libzmq 4.3.2 and older stop at 15 bytes.
const MaxGroupLen = 255

// AppendMembership appends a JOIN (join true) or LEAVE command frame for
// group, which must be at most MaxGroupLen bytes.
func AppendMembership(dst []byte, join bool, group []byte) []byte {
	return AppendCommand(dst, membershipName(join), group)
}

func membershipName(join bool) string {
	if join {
		return CmdJoin
	}
	return CmdLeave
}

// ParseMembership recognises a JOIN or LEAVE command body; group aliases
// body. ok is false for any other command, and ErrBadGroup when the group
// is longer than MaxGroupLen (libzmq's DISH never sends one).
func ParseMembership(body []byte) (join bool, group []byte, ok bool, err error) {
	name, data, perr := ParseCommand(body)
	if perr != nil {
		return false, nil, false, nil
	}
	switch string(name) {
	case CmdJoin:
		join = true
	case CmdLeave:
	default:
		return false, nil, false, nil
	}
	if len(data) > MaxGroupLen {
		return false, nil, true, fmt.Errorf("%w: %s of %d bytes", ErrBadGroup, name, len(data))
	}
	return join, data, true, nil
}

// CheckGroupFrame checks frame index (0 or 1) of a message a DISH
// receives from a RADIO over a stream transport: the group, with MORE set
// and at most MaxGroupLen bytes, then the body, the last frame. size is the
// frame's length and more its MORE flag.
func CheckGroupFrame(index, size int, more bool) error {
	switch {
	case index == 0 && !more:
		return fmt.Errorf("%w: a RADIO message of one frame", ErrBadGroup)
	case index == 0 && size > MaxGroupLen:
		return fmt.Errorf("%w: group of %d bytes", ErrBadGroup, size)
	case index > 0 && more:
		return fmt.Errorf("%w: a RADIO message of more than two frames", ErrBadGroup)
	}
	return nil
}
