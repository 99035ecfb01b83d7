package zmtp

import (
	"bytes"
	"fmt"
)

// MaxPlainField is the longest PLAIN username or password (a 1-byte
// length).
const MaxPlainField = 255

// plainState is where a PLAIN handshake stands.
type plainState uint8

const (
	plainWelcome  plainState = iota // client: HELLO sent, waiting for WELCOME
	plainReady                      // client: INITIATE sent, waiting for READY
	plainHello                      // server: waiting for HELLO
	plainZAP                        // server: waiting for the ZAP verdict
	plainInitiate                   // server: WELCOME sent, waiting for INITIATE
	plainDone
)

// Plain is the PLAIN mechanism (RFC 24), client or server. The client
// sends HELLO with its credentials, the server asks ZAP and answers
// WELCOME (or ERROR), the client sends INITIATE with its metadata and the
// server answers READY with its own. Credentials cross in clear text.
type Plain struct {
	metadata
	username, pass []byte
	state          plainState
}

var _ Mechanism = (*Plain)(nil)

// NewPlainClient returns a PLAIN client sending username and password
// (each at most 255 bytes; longer is ErrBadCommand from Start).
func NewPlainClient(cfg HandshakeConfig, username, password []byte) *Plain {
	return &Plain{metadata: newMetadata(cfg), username: username, pass: password, state: plainWelcome}
}

// NewPlainServer returns a PLAIN server. It always consults ZAP: with no
// handler the engine must refuse every client, as libzmq does.
func NewPlainServer(cfg HandshakeConfig) *Plain {
	return &Plain{metadata: newMetadata(cfg), state: plainHello}
}

// Name returns "PLAIN".
func (h *Plain) Name() string { return MechanismPlain }

// Start appends a client's HELLO; a server sends nothing first.
func (h *Plain) Start(dst []byte) ([]byte, Step, error) {
	if h.state != plainWelcome {
		return dst, StepContinue, nil
	}
	if len(h.username) > MaxPlainField || len(h.pass) > MaxPlainField {
		return dst, StepContinue, fmt.Errorf("%w: PLAIN username or password over 255 bytes", ErrBadCommand)
	}
	return AppendPlainHello(dst, h.username, h.pass), StepContinue, nil
}

// AppendPlainHello appends a PLAIN HELLO command frame. username and
// password must be at most 255 bytes each.
func AppendPlainHello(dst, username, password []byte) []byte {
	dst = appendCommandHeader(dst, CmdHello, 2+len(username)+len(password))
	dst = append(append(dst, byte(len(username))), username...)
	return append(append(dst, byte(len(password))), password...)
}

// ParsePlainHello parses the data of a PLAIN HELLO. Truncation and
// trailing bytes are ErrBadCommand, as libzmq rejects them. The results
// alias data.
func ParsePlainHello(data []byte) (username, password []byte, err error) {
	field := func() ([]byte, bool) {
		if len(data) == 0 || len(data) < 1+int(data[0]) {
			return nil, false
		}
		f := data[1 : 1+int(data[0])]
		data = data[1+int(data[0]):]
		return f, true
	}
	username, ok1 := field()
	password, ok2 := field()
	if !ok1 || !ok2 || len(data) != 0 {
		return nil, nil, fmt.Errorf("%w: malformed PLAIN HELLO", ErrBadCommand)
	}
	return username, password, nil
}

// plainErrorName is how libzmq 4.3 spells ERROR under PLAIN: its C
// literal "\x05ERROR" is read as the hex escape \x05E, so the name-length
// byte and the E merge into 0x5E ('^'). libzmq's PLAIN peers send and
// expect exactly this; its NULL and CURVE use the correct 05 "ERROR".
const plainErrorName = "\x5eRROR"

// AppendPlainError appends an ERROR as libzmq's PLAIN server sends it (see
// plainErrorName), which is the only form libzmq's PLAIN client
// understands. reason is truncated to 255 bytes.
func AppendPlainError(dst []byte, reason string) []byte {
	return appendError(dst, plainErrorName, reason)
}

// Command advances the handshake with one received command. A client takes
// ERROR in both spellings, RFC 24's and libzmq's.
func (h *Plain) Command(dst, body []byte) ([]byte, Step, error) {
	if h.state == plainWelcome || h.state == plainReady {
		if rest, ok := bytes.CutPrefix(body, []byte(plainErrorName)); ok {
			return dst, StepContinue, peerError(rest)
		}
	}
	name, data, err := ParseCommand(body)
	if err != nil {
		return dst, StepContinue, err
	}
	cmd := string(name)
	switch {
	case cmd == CmdError && (h.state == plainWelcome || h.state == plainReady):
		return dst, StepContinue, peerError(data)
	case cmd == CmdWelcome && h.state == plainWelcome && len(data) == 0:
		h.state = plainReady
		return h.appendOwn(dst, CmdInitiate), StepContinue, nil
	case cmd == CmdReady && h.state == plainReady:
		return h.finish(dst, data, false)
	case cmd == CmdHello && h.state == plainHello:
		user, pass, err := ParsePlainHello(data)
		if err != nil {
			return dst, StepContinue, err
		}
		h.username, h.pass, h.state = bytes.Clone(user), bytes.Clone(pass), plainZAP
		return dst, StepZAP, nil
	case cmd == CmdInitiate && h.state == plainInitiate:
		return h.finish(dst, data, true)
	}
	return dst, StepContinue, fmt.Errorf("%w: PLAIN %q", ErrUnexpectedCommand, name)
}

// finish accepts the peer's metadata; a server answers with READY.
func (h *Plain) finish(dst, data []byte, server bool) ([]byte, Step, error) {
	if err := h.accept(data); err != nil {
		return dst, StepContinue, err
	}
	h.state = plainDone
	if server {
		dst = h.appendOwn(dst, CmdReady)
	}
	return dst, StepDone, nil
}

// ZAPRequest carries the client's username and password.
func (h *Plain) ZAPRequest() ZAPRequest {
	return ZAPRequest{Mechanism: MechanismPlain, Credentials: [][]byte{h.username, h.pass}}
}

// ZAPResult answers WELCOME on approval, ERROR on a 400 or 500. The
// password is forgotten either way.
func (h *Plain) ZAPResult(dst []byte, r ZAPReply) ([]byte, Step, error) {
	if h.state != plainZAP {
		return dst, StepContinue, fmt.Errorf("%w: ZAP result not awaited", ErrUnexpectedCommand)
	}
	clear(h.pass)
	h.username, h.pass = nil, nil
	dst, err := h.takeZAP(dst, r, AppendPlainError)
	if err != nil {
		return dst, StepContinue, err
	}
	h.state = plainInitiate
	return AppendCommand(dst, CmdWelcome, nil), StepContinue, nil
}
