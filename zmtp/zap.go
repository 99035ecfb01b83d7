package zmtp

import (
	"bytes"
	"fmt"
	"strconv"
)

// ZAPEndpoint is where a ZAP handler binds (RFC 27); servers connect to it.
const ZAPEndpoint = "inproc://zeromq.zap.01"

// ZAPVersion is the only ZAP version libzmq speaks.
const ZAPVersion = "1.0"

// ZAP status codes (RFC 27).
const (
	ZAPSuccess       = 200
	ZAPTemporaryFail = 300
	ZAPAuthFailure   = 400
	ZAPInternalError = 500
)

// PropUserID is the property under which the ZAP handler's user id is
// readable on received messages.
const PropUserID = "User-Id"

// ZAPRequest is what a server's mechanism asks the ZAP handler.
type ZAPRequest struct {
	// Mechanism is "NULL", "PLAIN" or "CURVE".
	Mechanism string
	// Credentials are the mechanism's frames: none for NULL, username and
	// password for PLAIN, the client's 32-byte public key for CURVE.
	Credentials [][]byte
}

// ZAPRequestFrames returns a request's frames as libzmq sends them: an
// empty delimiter, "1.0", the request id, the domain, the peer's address,
// the identity (libzmq puts the server socket's own routing id there),
// the mechanism and its credentials. The frames alias the arguments.
func ZAPRequestFrames(requestID, domain, address, identity []byte, r ZAPRequest) [][]byte {
	frames := [][]byte{{}, []byte(ZAPVersion), requestID, domain, address, identity, []byte(r.Mechanism)}
	return append(frames, r.Credentials...)
}

// ZAPReply is a ZAP handler's verdict.
type ZAPReply struct {
	// Status is the status code: 200, 300, 400 or 500.
	Status int
	// Text is the handler's explanation.
	Text string
	// UserID becomes the User-Id property of the peer's messages.
	UserID []byte
	// Metadata is extra properties in ZMTP's property encoding.
	Metadata []byte
}

// ParseZAPReply checks a handler's reply the way libzmq does: exactly 7
// frames (an empty delimiter, "1.0", the request id, a 3-digit status of
// 200, 300, 400 or 500, its text, the user id and metadata that parses),
// and the request id it answers. Anything else is ErrBadZAPReply. The
// reply's fields are copies.
func ParseZAPReply(frames [][]byte, requestID []byte) (ZAPReply, error) {
	const n = 7
	switch {
	case len(frames) != n:
		return ZAPReply{}, fmt.Errorf("%w: %d frames", ErrBadZAPReply, len(frames))
	case len(frames[0]) != 0:
		return ZAPReply{}, fmt.Errorf("%w: no empty delimiter", ErrBadZAPReply)
	case string(frames[1]) != ZAPVersion:
		return ZAPReply{}, fmt.Errorf("%w: version %q", ErrBadZAPReply, frames[1])
	case !bytes.Equal(frames[2], requestID):
		return ZAPReply{}, fmt.Errorf("%w: request id %q, want %q", ErrBadZAPReply, frames[2], requestID)
	}
	status, err := parseZAPStatus(frames[3])
	if err != nil {
		return ZAPReply{}, err
	}
	if err := WalkProperties(frames[6], func(_, _ []byte) error { return nil }); err != nil {
		return ZAPReply{}, fmt.Errorf("%w: metadata: %w", ErrBadZAPReply, err)
	}
	return ZAPReply{
		Status: status, Text: string(frames[4]),
		UserID: bytes.Clone(frames[5]), Metadata: bytes.Clone(frames[6]),
	}, nil
}

// parseZAPStatus accepts "200", "300", "400" and "500" only.
func parseZAPStatus(b []byte) (int, error) {
	switch s := string(b); s {
	case "200", "300", "400", "500":
		n, _ := strconv.Atoi(s)
		return n, nil
	}
	return 0, fmt.Errorf("%w: status %q", ErrBadZAPReply, b)
}

// ZAPReplyFrames returns the frames a handler sends for a request with the
// given id: the inverse of ParseZAPReply.
func ZAPReplyFrames(requestID []byte, r ZAPReply) [][]byte {
	return [][]byte{{}, []byte(ZAPVersion), requestID, []byte(strconv.Itoa(r.Status)), []byte(r.Text), r.UserID, r.Metadata}
}

// properties returns the User-Id (when not empty) and the metadata as
// peer properties.
func (r ZAPReply) properties() ([]Property, error) {
	var props []Property
	if len(r.UserID) > 0 {
		props = append(props, Property{Name: PropUserID, Value: bytes.Clone(r.UserID)})
	}
	err := WalkProperties(r.Metadata, func(name, value []byte) error {
		props = append(props, Property{Name: string(name), Value: bytes.Clone(value)})
		return nil
	})
	return props, err
}

// AuthError is a ZAP handler's refusal, on the server, or an ERROR that
// carried a ZAP status code, on the client. It matches ErrAuth.
type AuthError struct {
	// Status is the ZAP status code: 300, 400 or 500.
	Status int
	// Text is the handler's status text (server side only).
	Text string
}

// Error includes the status code and text.
func (e *AuthError) Error() string {
	return fmt.Sprintf("%v: ZAP status %d %s", ErrAuth, e.Status, e.Text)
}

// Unwrap returns ErrAuth.
func (e *AuthError) Unwrap() error { return ErrAuth }

// zapVerdict turns a reply into nil (200) or an *AuthError, appending with
// appendError the ERROR libzmq sends for 400 and 500 (300 closes
// silently).
func zapVerdict(dst []byte, r ZAPReply, appendError func([]byte, string) []byte) ([]byte, error) {
	if r.Status == ZAPSuccess {
		return dst, nil
	}
	if r.Status != ZAPTemporaryFail {
		dst = appendError(dst, strconv.Itoa(r.Status))
	}
	return dst, &AuthError{Status: r.Status, Text: r.Text}
}
