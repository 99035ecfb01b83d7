package engine

import (
	"errors"
	"strconv"

	"github.com/zring/zring/zmtp"
)

// Event is a socket monitor event kind, numbered as libzmq's ZMQ_EVENT_*
// (the root package's Event has the same values).
type Event uint32

// Monitor events and the value each carries (as in libzmq).
const (
	EventConnected      Event = 0x0001 // Value: the connection's fd
	EventConnectDelayed Event = 0x0002 // Value: errno (EINPROGRESS)
	EventConnectRetried Event = 0x0004 // Value: reconnect interval in ms
	EventListening      Event = 0x0008 // Value: the listening fd
	EventBindFailed     Event = 0x0010 // Value: errno
	EventAccepted       Event = 0x0020 // Value: the accepted fd
	EventAcceptFailed   Event = 0x0040 // Value: errno
	EventClosed         Event = 0x0080 // Value: the closed fd (listener, failed connect)
	EventDisconnected   Event = 0x0200 // Value: the connection's fd
	EventMonitorStopped Event = 0x0400 // Value: 0
	// EventHandshakeFailedNoDetail: the handshake ended without a protocol
	// reason (peer closed, timeout). Value: 0.
	EventHandshakeFailedNoDetail Event = 0x0800
	EventHandshakeSucceeded      Event = 0x1000 // Value: 0
	// EventHandshakeFailedProtocol: Value is a ZMQ_PROTOCOL_ERROR_* code
	// (ProtocolError... constants).
	EventHandshakeFailedProtocol Event = 0x2000
	// EventHandshakeFailedAuth: Value is the ZAP status code (e.g. 400).
	EventHandshakeFailedAuth Event = 0x4000
	// EventAll selects every event.
	EventAll Event = 0xFFFF
)

// libzmq's ZMQ_PROTOCOL_ERROR_* values carried by
// EventHandshakeFailedProtocol.
const (
	ProtocolErrorUnspecified       uint32 = 0x10000000
	ProtocolErrorUnexpectedCommand uint32 = 0x10000001
	ProtocolErrorInvalidSequence   uint32 = 0x10000002
	ProtocolErrorMalformedCommand  uint32 = 0x10000011
	ProtocolErrorMalformedError    uint32 = 0x10000015
	ProtocolErrorMalformedReady    uint32 = 0x10000016
	ProtocolErrorInvalidMetadata   uint32 = 0x10000018
	ProtocolErrorCryptographic     uint32 = 0x11000001
	ProtocolErrorMechanismMismatch uint32 = 0x11000002
	ProtocolErrorZAPMalformedReply uint32 = 0x20000001
)

var eventNames = map[Event]string{
	EventConnected: "CONNECTED", EventConnectDelayed: "CONNECT_DELAYED",
	EventConnectRetried: "CONNECT_RETRIED", EventListening: "LISTENING",
	EventBindFailed: "BIND_FAILED", EventAccepted: "ACCEPTED",
	EventAcceptFailed: "ACCEPT_FAILED", EventClosed: "CLOSED",
	EventDisconnected: "DISCONNECTED", EventMonitorStopped: "MONITOR_STOPPED",
	EventHandshakeFailedNoDetail: "HANDSHAKE_FAILED_NO_DETAIL",
	EventHandshakeSucceeded:      "HANDSHAKE_SUCCEEDED",
	EventHandshakeFailedProtocol: "HANDSHAKE_FAILED_PROTOCOL",
	EventHandshakeFailedAuth:     "HANDSHAKE_FAILED_AUTH",
}

// Name returns libzmq's name without the ZMQ_EVENT_ prefix; ok is false
// for a value that names no event.
func (e Event) Name() (name string, ok bool) {
	name, ok = eventNames[e]
	return name, ok
}

// String returns libzmq's name without the ZMQ_EVENT_ prefix.
func (e Event) String() string {
	if n, ok := eventNames[e]; ok {
		return n
	}
	return "Event(0x" + strconv.FormatUint(uint64(e), 16) + ")"
}

// handshakeFailure classifies why a handshake failed, as libzmq's events do.
func handshakeFailure(err error) (Event, uint32) {
	var auth *zmtp.AuthError
	switch {
	case errors.As(err, &auth):
		return EventHandshakeFailedAuth, uint32(auth.Status)
	case errors.Is(err, zmtp.ErrBadZAPReply):
		return EventHandshakeFailedProtocol, ProtocolErrorZAPMalformedReply
	case errors.Is(err, zmtp.ErrPeerError):
		if code, ok := statusCode(err); ok {
			return EventHandshakeFailedAuth, code
		}
		return EventHandshakeFailedProtocol, ProtocolErrorMalformedError
	case errors.Is(err, zmtp.ErrIncompatible), errors.Is(err, zmtp.ErrBadSocketType),
		errors.Is(err, zmtp.ErrBadIdentity), errors.Is(err, zmtp.ErrBadMetadata):
		return EventHandshakeFailedProtocol, ProtocolErrorInvalidMetadata
	case errors.Is(err, zmtp.ErrBadMechanism):
		return EventHandshakeFailedProtocol, ProtocolErrorMechanismMismatch
	case errors.Is(err, zmtp.ErrCrypto):
		return EventHandshakeFailedProtocol, ProtocolErrorCryptographic
	case errors.Is(err, zmtp.ErrNonce):
		return EventHandshakeFailedProtocol, ProtocolErrorInvalidSequence
	case errors.Is(err, zmtp.ErrUnexpectedCommand):
		return EventHandshakeFailedProtocol, ProtocolErrorUnexpectedCommand
	case errors.Is(err, zmtp.ErrBadCommand), errors.Is(err, zmtp.ErrBadFlags):
		return EventHandshakeFailedProtocol, ProtocolErrorMalformedCommand
	case isProtocolError(err):
		return EventHandshakeFailedProtocol, ProtocolErrorUnspecified
	}
	return EventHandshakeFailedNoDetail, 0
}

// statusCode extracts the ZAP status code ("400") an ERROR command
// carried; libzmq reports other reasons as a malformed ERROR.
func statusCode(err error) (uint32, bool) {
	var pe *zmtp.PeerError
	if !errors.As(err, &pe) || len(pe.Reason) != 3 {
		return 0, false
	}
	n, perr := strconv.Atoi(pe.Reason)
	if perr != nil || n < 100 || n > 599 {
		return 0, false
	}
	return uint32(n), true
}

// isProtocolError tells a peer that broke ZMTP from a transport failure.
func isProtocolError(err error) bool {
	var pe *zmtpError
	return errors.As(err, &pe)
}

// zmtpError marks a connection closed for breaking the protocol.
type zmtpError struct{ err error }

// Error is the underlying protocol error's text.
func (e *zmtpError) Error() string { return e.err.Error() }

// Unwrap exposes the zmtp sentinel for errors.Is.
func (e *zmtpError) Unwrap() error { return e.err }

func protocolError(err error) error {
	if err == nil {
		err = zmtp.ErrUnexpectedCommand
	}
	return &zmtpError{err: err}
}
