package zmtp

import "fmt"

// NullHandshake is the NULL mechanism's handshake (RFC 37) as a pure state
// machine. The engine sends the bytes from Start right after its greeting,
// without waiting for the peer's, then feeds each received command frame
// body to Command until it reports done. No data may be sent or delivered
// before that.
type NullHandshake struct {
	self     SocketType
	identity []byte
	peer     PeerInfo
	done     bool
}

// NewNullHandshake returns a handshake for a socket of type self announcing
// identity (at most 255 bytes; sent only by REQ, DEALER and ROUTER). The
// identity is referenced, not copied: do not modify it before Start.
func NewNullHandshake(self SocketType, identity []byte) *NullHandshake {
	return &NullHandshake{self: self, identity: identity}
}

// Start appends our READY command frame.
func (h *NullHandshake) Start(dst []byte) []byte {
	return AppendReady(dst, h.self, h.identity)
}

// Command feeds the body of a command frame received during the handshake.
// READY is validated and checked with Compatible (ErrIncompatible), and
// completes the handshake (done is true). ERROR yields ErrPeerError wrapped
// with the peer's reason. Anything else, including any command after READY,
// is ErrUnexpectedCommand. Every error means the engine must close the
// connection.
func (h *NullHandshake) Command(body []byte) (done bool, err error) {
	name, data, err := ParseCommand(body)
	if err != nil {
		return false, err
	}
	switch {
	case h.done:
		return false, fmt.Errorf("%w: %q after READY", ErrUnexpectedCommand, name)
	case string(name) == CmdReady:
		return h.ready(data)
	case string(name) == CmdError:
		return false, peerError(data)
	}
	return false, fmt.Errorf("%w: %q", ErrUnexpectedCommand, name)
}

// ready handles the peer's READY.
func (h *NullHandshake) ready(data []byte) (bool, error) {
	peer, err := ParseReady(data)
	if err != nil {
		return false, err
	}
	if !Compatible(h.self, peer.Type) {
		return false, fmt.Errorf("%w: %v with %v", ErrIncompatible, h.self, peer.Type)
	}
	h.peer, h.done = peer, true
	return true, nil
}

// peerError turns the data of an ERROR command into a *PeerError.
func peerError(data []byte) error {
	reason, err := ParseError(data)
	if err != nil {
		return err
	}
	return &PeerError{Reason: reason}
}

// PeerError is an ERROR command received from the peer. It matches
// ErrPeerError; Reason is the peer's text ("400" after a ZAP denial).
type PeerError struct {
	Reason string
}

// Error includes the peer's reason.
func (e *PeerError) Error() string { return fmt.Sprintf("%v: %q", ErrPeerError, e.Reason) }

// Unwrap returns ErrPeerError.
func (e *PeerError) Unwrap() error { return ErrPeerError }

// Done reports whether the peer's READY has been accepted.
func (h *NullHandshake) Done() bool { return h.done }

// Peer returns what the peer announced; it is the zero PeerInfo until
// Command has reported done.
func (h *NullHandshake) Peer() PeerInfo { return h.peer }
