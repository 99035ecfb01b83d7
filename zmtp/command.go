package zmtp

import (
	"encoding/binary"
	"fmt"
)

// Command names used by ZMTP 3.1 and its mechanisms.
const (
	CmdReady     = "READY"
	CmdError     = "ERROR"
	CmdPing      = "PING"
	CmdPong      = "PONG"
	CmdSubscribe = "SUBSCRIBE"
	CmdCancel    = "CANCEL"
	CmdJoin      = "JOIN"
	CmdLeave     = "LEAVE"
	CmdHello     = "HELLO"
	CmdWelcome   = "WELCOME"
	CmdInitiate  = "INITIATE"
	CmdMessage   = "MESSAGE"
)

const (
	// MaxPingContext is the longest PING context RFC 37 allows; PONG
	// echoes at most this much.
	MaxPingContext = 16
	// MaxErrorReason is the longest ERROR reason (a 1-byte length).
	MaxErrorReason = 255
	pingTTLLen     = 2
)

// ParseCommand splits a command frame's body into its name and data. The
// body is a 1-byte name length, the name, then the data; both results alias
// body. It returns ErrBadCommand for an empty name or a truncated body.
// Names are not otherwise validated, as in libzmq.
func ParseCommand(body []byte) (name, data []byte, err error) {
	if len(body) == 0 {
		return nil, nil, fmt.Errorf("%w: empty body", ErrBadCommand)
	}
	n := int(body[0])
	if n == 0 {
		return nil, nil, fmt.Errorf("%w: empty name", ErrBadCommand)
	}
	if len(body) < 1+n {
		return nil, nil, fmt.Errorf("%w: name truncated", ErrBadCommand)
	}
	return body[1 : 1+n], body[1+n:], nil
}

// CommandSize returns the body size of a command with the given name and
// data lengths.
func CommandSize(nameLen, dataLen int) int { return 1 + nameLen + dataLen }

// AppendCommand appends a complete command frame: a header with FlagCommand
// (long when needed), the name length, name and data. name must be 1 to 255
// bytes.
func AppendCommand(dst []byte, name string, data []byte) []byte {
	dst = appendCommandHeader(dst, name, len(data))
	return append(dst, data...)
}

// appendCommandHeader appends the frame header, name length and name of a
// command whose data is dataLen bytes long.
func appendCommandHeader(dst []byte, name string, dataLen int) []byte {
	dst = AppendFrameHeader(dst, FlagCommand, CommandSize(len(name), dataLen))
	dst = append(dst, byte(len(name)))
	return append(dst, name...)
}

// AppendError appends an ERROR command frame. reason is truncated to 255
// bytes; libzmq sends "400" or "500" after a ZAP failure.
func AppendError(dst []byte, reason string) []byte {
	return appendError(dst, "\x05"+CmdError, reason)
}

// appendError appends an ERROR frame whose name, length byte included, is
// lname (see plainErrorName for why it varies).
func appendError(dst []byte, lname, reason string) []byte {
	reason = reason[:min(len(reason), MaxErrorReason)]
	dst = AppendFrameHeader(dst, FlagCommand, len(lname)+1+len(reason))
	dst = append(dst, lname...)
	dst = append(dst, byte(len(reason)))
	return append(dst, reason...)
}

// ParseError parses the data of an ERROR command. Like libzmq it tolerates
// bytes after the reason; a truncated reason is ErrBadCommand.
func ParseError(data []byte) (reason string, err error) {
	if len(data) == 0 {
		return "", fmt.Errorf("%w: ERROR without reason length", ErrBadCommand)
	}
	n := int(data[0])
	if len(data) < 1+n {
		return "", fmt.Errorf("%w: ERROR reason truncated", ErrBadCommand)
	}
	return string(data[1 : 1+n]), nil
}

// AppendPing appends a PING command frame carrying a TTL in deciseconds and
// a context, truncated to 16 bytes. The TTL is always included because
// libzmq reads it without a bounds check. Keep it at or below 655: libzmq
// multiplies it by 100 into a uint16.
func AppendPing(dst []byte, ttlDeciseconds uint16, context []byte) []byte {
	context = truncateContext(context)
	dst = appendCommandHeader(dst, CmdPing, pingTTLLen+len(context))
	dst = binary.BigEndian.AppendUint16(dst, ttlDeciseconds)
	return append(dst, context...)
}

// ParsePing parses the data of a PING command. A missing TTL is
// ErrBadCommand. A context longer than 16 bytes is truncated to 16, as
// libzmq does; context aliases data.
func ParsePing(data []byte) (ttl uint16, context []byte, err error) {
	if len(data) < pingTTLLen {
		return 0, nil, fmt.Errorf("%w: PING without TTL", ErrBadCommand)
	}
	return binary.BigEndian.Uint16(data), truncateContext(data[pingTTLLen:]), nil
}

// AppendPong appends a PONG command frame echoing context, truncated to 16
// bytes. Peers must not require the echo to match: zmq4 sends it empty.
func AppendPong(dst []byte, context []byte) []byte {
	return AppendCommand(dst, CmdPong, truncateContext(context))
}

func truncateContext(context []byte) []byte {
	if len(context) > MaxPingContext {
		return context[:MaxPingContext]
	}
	return context
}

// AppendSubscription appends a subscribe (or cancel) message for topic in
// the form a peer of the given effective minor version expects: the 3.1
// SUBSCRIBE/CANCEL command for minor >= 1, otherwise the 3.0 data frame
// [0x01|topic] / [0x00|topic].
func AppendSubscription(dst []byte, subscribe bool, topic []byte, minor byte) []byte {
	if minor >= 1 {
		name := CmdCancel
		if subscribe {
			name = CmdSubscribe
		}
		return AppendCommand(dst, name, topic)
	}
	dst = AppendFrameHeader(dst, 0, 1+len(topic))
	var prefix byte
	if subscribe {
		prefix = 1
	}
	dst = append(dst, prefix)
	return append(dst, topic...)
}

// ParseSubscription recognises a subscription in either wire form: a
// SUBSCRIBE or CANCEL command body (command true), or a 3.0 data frame
// body starting with 0x01 or 0x00 (command false). topic aliases body; ok is
// false for anything else.
func ParseSubscription(command bool, body []byte) (subscribe bool, topic []byte, ok bool) {
	if !command {
		if len(body) == 0 || body[0] > 1 {
			return false, nil, false
		}
		return body[0] == 1, body[1:], true
	}
	name, data, err := ParseCommand(body)
	if err != nil {
		return false, nil, false
	}
	switch string(name) {
	case CmdSubscribe:
		return true, data, true
	case CmdCancel:
		return false, data, true
	}
	return false, nil, false
}
