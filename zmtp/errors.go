package zmtp

import "errors"

// Sentinel errors. Functions may wrap them with detail using fmt.Errorf's %w
// verb, so compare with errors.Is.
var (
	// ErrBadSignature reports a peer that is not a versioned ZMTP peer:
	// byte 0 is not 0xFF, the low bit of byte 9 is 0, or the greeting is
	// too short. Such a peer speaks ZMTP 1.0 or is not ZMTP at all.
	ErrBadSignature = errors.New("zmtp: bad greeting signature")
	// ErrVersion reports a peer whose major version is below 3.
	ErrVersion = errors.New("zmtp: unsupported protocol version")
	// ErrBadMechanism reports a malformed mechanism name in a greeting.
	ErrBadMechanism = errors.New("zmtp: bad mechanism name")
	// ErrFrameTooLarge reports a frame whose declared size exceeds the
	// configured limit, 2^63-1, or the platform's int.
	ErrFrameTooLarge = errors.New("zmtp: frame too large")
	// ErrBadFlags reports an illegal flags byte, such as a command frame
	// with MORE set.
	ErrBadFlags = errors.New("zmtp: bad frame flags")
	// ErrBadCommand reports a truncated or malformed command body.
	ErrBadCommand = errors.New("zmtp: malformed command")
	// ErrBadMetadata reports malformed metadata: a truncated property, an
	// invalid property name, or trailing bytes.
	ErrBadMetadata = errors.New("zmtp: malformed metadata")
	// ErrBadSocketType reports a missing or unknown Socket-Type property.
	ErrBadSocketType = errors.New("zmtp: bad socket type")
	// ErrBadIdentity reports an Identity property that is longer than 255
	// bytes or starts with the reserved byte 0.
	ErrBadIdentity = errors.New("zmtp: bad identity")
	// ErrIncompatible reports a peer socket type that may not talk to ours.
	ErrIncompatible = errors.New("zmtp: incompatible socket types")
	// ErrPeerError reports an ERROR command received from the peer; the
	// wrapping error carries the peer's reason.
	ErrPeerError = errors.New("zmtp: peer sent ERROR")
	// ErrUnexpectedCommand reports a command that is not legal in the
	// current handshake state.
	ErrUnexpectedCommand = errors.New("zmtp: unexpected command")
	// ErrBodySize reports a caller bug: Decode was called after
	// EventHeader without a SetBody buffer of exactly the header's size.
	ErrBodySize = errors.New("zmtp: body buffer missing or of wrong size")
	// ErrZ85 reports text that is not valid Z85 (RFC 32), or bytes whose
	// length Z85 cannot encode.
	ErrZ85 = errors.New("zmtp: invalid Z85")
	// ErrCurveKey reports a CURVE key that is neither 32 bytes nor 40
	// characters of Z85.
	ErrCurveKey = errors.New("zmtp: invalid CURVE key")
	// ErrBadZAPReply reports a ZAP reply libzmq would refuse: a wrong
	// frame count, version, request id or status, or bad metadata.
	ErrBadZAPReply = errors.New("zmtp: malformed ZAP reply")
	// ErrAuth reports a peer the ZAP handler refused (see AuthError).
	ErrAuth = errors.New("zmtp: authentication failed")
	// ErrCrypto reports a CURVE box or cookie that does not open, or a
	// vouch for the wrong keys: a wrong key, or a forged or corrupted
	// message. libzmq closes such connections without an ERROR.
	ErrCrypto = errors.New("zmtp: CURVE cryptographic check failed")
	// ErrNonce reports a CURVE MESSAGE whose nonce is not above the
	// previous one: a replayed or reordered message.
	ErrNonce = errors.New("zmtp: CURVE nonce replayed")
	// ErrBadGroup reports a RADIO/DISH group longer than MaxGroupLen, a
	// RADIO message that is not a group and a body, or a datagram shorter
	// than its group.
	ErrBadGroup = errors.New("zmtp: bad RADIO/DISH group")
)

// WebSocket (ZWS 2.0) errors.
var (
	// ErrWSFrame reports a WebSocket frame a ZWS 2.0 peer may not send:
	// reserved bits, an unknown opcode, a text or fragmented data
	// message, an oversized or fragmented control frame, a frame masked
	// the wrong way, or a binary message without its flags byte.
	ErrWSFrame = errors.New("zmtp: bad WebSocket frame")
	// ErrWSHandshake reports an HTTP upgrade that is not a WebSocket
	// upgrade to ZWS 2.0: a malformed or oversized request or response,
	// a missing or wrong header, or no subprotocol both sides speak.
	ErrWSHandshake = errors.New("zmtp: bad WebSocket handshake")
)
