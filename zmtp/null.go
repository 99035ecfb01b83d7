package zmtp

import "fmt"

// Null is the NULL mechanism (RFC 37): both sides send READY right after
// the greeting, without waiting for the peer's. A server told to consult
// ZAP (a ZAP_DOMAIN is set) holds its READY back until the handler
// approves, and sends ERROR instead on a 400 or 500 verdict, as libzmq
// does.
type Null struct {
	metadata
	zap      bool // ask ZAP before READY
	sent     bool // our READY is out
	received bool // the peer's READY is in
}

var _ Mechanism = (*Null)(nil)

// NewNull returns the NULL mechanism for cfg.
func NewNull(cfg HandshakeConfig) *Null {
	return &Null{metadata: newMetadata(cfg), zap: cfg.ZAP}
}

// Name returns "NULL".
func (h *Null) Name() string { return MechanismNull }

// Start appends our READY, or asks for ZAP first.
func (h *Null) Start(dst []byte) ([]byte, Step, error) {
	if h.zap {
		return dst, StepZAP, nil
	}
	h.sent = true
	return h.appendOwn(dst, CmdReady), StepContinue, nil
}

// Command takes the peer's READY (validated and checked with Compatible)
// or ERROR (a *PeerError). Anything else, including any command after
// READY, is ErrUnexpectedCommand.
func (h *Null) Command(dst, body []byte) ([]byte, Step, error) {
	name, data, err := ParseCommand(body)
	if err != nil {
		return dst, StepContinue, err
	}
	switch {
	case h.received:
		return dst, StepContinue, fmt.Errorf("%w: %q after READY", ErrUnexpectedCommand, name)
	case string(name) == CmdReady:
		if err := h.accept(data); err != nil {
			return dst, StepContinue, err
		}
		h.received = true
		return dst, h.step(), nil
	case string(name) == CmdError:
		return dst, StepContinue, peerError(data)
	}
	return dst, StepContinue, fmt.Errorf("%w: %q", ErrUnexpectedCommand, name)
}

// step is done once both READYs crossed.
func (h *Null) step() Step {
	if h.sent && h.received {
		return StepDone
	}
	return StepContinue
}

// ZAPRequest asks about a NULL client: no credentials.
func (h *Null) ZAPRequest() ZAPRequest { return ZAPRequest{Mechanism: MechanismNull} }

// ZAPResult sends our READY on approval, ERROR on a 400 or 500.
func (h *Null) ZAPResult(dst []byte, r ZAPReply) ([]byte, Step, error) {
	if !h.zap || h.sent {
		return dst, StepContinue, fmt.Errorf("%w: ZAP result not awaited", ErrUnexpectedCommand)
	}
	dst, err := h.takeZAP(dst, r, AppendError)
	if err != nil {
		return dst, StepContinue, err
	}
	h.sent = true
	return h.appendOwn(dst, CmdReady), h.step(), nil
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
