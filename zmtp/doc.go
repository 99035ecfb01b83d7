// Package zmtp is a pure ZMTP 3.x codec and mechanisms with no I/O.
//
// It implements the wire format of ZMTP 3.0 and 3.1 (RFC 23 and RFC 37 at
// https://rfc.zeromq.org) the way libzmq 4.3 speaks it: the 64-byte greeting,
// frame headers, commands, metadata properties and the heartbeat commands.
// Nothing here reads or writes a connection; an engine feeds received bytes
// in and writes out the bytes it is handed.
//
// # Security mechanisms
//
// Null, Plain and Curve implement Mechanism: each is one side of a
// handshake as a pure state machine (RFC 23/37 NULL, RFC 24 PLAIN, RFC 26
// CurveZMQ), with ZAP (RFC 27) requests and replies in zap.go. After a CURVE
// handshake, Curve.Codec hands over a CurveSealer and a CurveOpener that
// carry every frame as a MESSAGE. Cryptography comes from
// golang.org/x/crypto's nacl/box and nacl/secretbox only; Z85 (RFC 32) and
// CurveKey give keys their text form.
//
// # Encoding
//
// Every encoder is an Append function in the style of strconv.AppendInt: it
// appends to dst and returns the extended slice, so a caller that reuses a
// buffer with enough capacity encodes without allocating.
//
// # Decoding
//
// Decoder is a resumable frame decoder modelled on libzmq's v2_decoder: one
// small method per state, armed by next(n, step). It accepts input split at
// any byte boundary, allocates nothing while decoding valid input, and checks
// a frame's declared size against the limit before the caller allocates its
// body.
//
// # Tolerance
//
// Following libzmq, the decoder ignores the reserved flag bits 3-7 on
// receive, decodes the long size form even for small sizes, and the greeting
// parser ignores the padding bytes, the filler and the as-server byte's exact
// value. Peer input never causes a panic; every failure is one of the
// errors.Is-comparable sentinels in errors.go, possibly wrapped with detail.
package zmtp
