package zring

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"unicode"

	"github.com/zring/zring/internal/zerr"
)

// Error texts. Every error zring returns starts with "zring: ", once, and
// is compared with errors.Is, never by its text:
//
//   - a sentinel below reads alone ("zring: socket closed");
//   - detail follows the sentinel ("zring: invalid argument: SNDHWM -1");
//   - an error of an operation on an endpoint names both, then the cause
//     without its own "zring: " ("zring: bind ipc:///no-dir/x.sock: no
//     such file or directory", "zring: connect tcp://host: invalid
//     endpoint: connect needs a port");
//   - errors of zring's lower packages keep their own prefix after
//     zring's ("zring: invalid argument: CURVE_SERVERKEY: zmtp: invalid
//     CURVE key: 3 bytes (want 32 raw or 40 Z85)").
//
// The one exception is a context.Context's own error, which the ...Context
// methods return unchanged (context.Canceled, context.DeadlineExceeded).
// The causes carried by monitor events (Event.Err) are the connection's:
// a peer's protocol error reads "zmtp: ...", a refused connect
// "connect: connection refused".

// Sentinel errors; compare with errors.Is.
var (
	// ErrAgain means a non-blocking operation could not proceed now
	// (libzmq's EAGAIN).
	ErrAgain = zerr.ErrAgain
	// ErrTimeout means SNDTIMEO or RCVTIMEO expired. It matches ErrAgain
	// too, as libzmq reports both as EAGAIN, and os.ErrDeadlineExceeded,
	// as an expired net.Conn deadline does.
	ErrTimeout = zerr.ErrTimeout
	// ErrState means the operation is not valid in the socket's current
	// state, such as a REQ sending twice without receiving (libzmq's EFSM).
	ErrState = zerr.ErrState
	// ErrNotSupported means the socket type cannot do this (libzmq's
	// ENOTSUP), such as Recv on a PUSH socket.
	ErrNotSupported = zerr.ErrNotSupported
	// ErrClosed means the socket was closed.
	ErrClosed = zerr.ErrClosed
	// ErrTerminated means the context was closed (libzmq's ETERM).
	ErrTerminated = zerr.ErrTerminated
	// ErrEndpoint means an endpoint string is malformed or its transport
	// is not supported.
	ErrEndpoint = zerr.ErrEndpoint
	// ErrInvalid means an argument or option value is invalid.
	ErrInvalid = zerr.ErrInvalid
	// ErrAddrInUse means a bind address is taken.
	ErrAddrInUse = zerr.ErrAddrInUse
	// ErrRoutingIDInUse is why a ROUTER or STREAM closes a connection
	// whose peer announced a routing id another peer already has (without
	// ROUTER_HANDOVER); it travels with the connection's DISCONNECTED
	// event.
	ErrRoutingIDInUse = zerr.ErrRoutingIDInUse
	// ErrPeerRefused is why a socket closes a connection it has no room
	// for, such as a PAIR's second peer; it travels with the connection's
	// DISCONNECTED event.
	ErrPeerRefused = zerr.ErrPeerRefused
	// ErrHostUnreachable means a ROUTER with ROUTER_MANDATORY was asked to
	// send to a peer it does not know (libzmq's EHOSTUNREACH). It also
	// matches syscall.EHOSTUNREACH.
	ErrHostUnreachable = zerr.ErrHostUnreachable
)

// Errors for nil arguments; they match ErrInvalid.
var (
	errNilSocket  = fmt.Errorf("%w: nil *Socket", ErrInvalid)
	errNilContext = fmt.Errorf("%w: nil context.Context", ErrInvalid)
)

// Why Unbind and Disconnect fail on an endpoint they do not know; they
// match ErrEndpoint.
var (
	errNotBound     = fmt.Errorf("%w: not bound", ErrEndpoint)
	errNotConnected = fmt.Errorf("%w: not connected", ErrEndpoint)
)

// opError is an error of an operation (bind, connect, ...) on an endpoint.
// It unwraps to its cause, so errors.Is matches the sentinel behind it.
type opError struct {
	op          string // "bind", "connect", "unbind", "disconnect", ...
	endpoint    string // as the caller gave it
	hasEndpoint bool   // false for an operation on none ("new context")
	err         error
}

// Error reads "zring: <op> <endpoint>: <cause>".
func (e *opError) Error() string {
	cause := e.err.Error()
	if se, ok := e.err.(*os.SyscallError); ok && se.Syscall == e.op {
		cause = se.Err.Error() // not "zring: bind ...: bind: ..."
	}
	var b strings.Builder
	b.WriteString("zring: ")
	b.WriteString(e.op)
	if e.hasEndpoint {
		b.WriteByte(' ')
		b.WriteString(showEndpoint(e.endpoint))
	}
	b.WriteString(": ")
	b.WriteString(strings.TrimPrefix(cause, "zring: "))
	return b.String()
}

// Unwrap returns the cause.
func (e *opError) Unwrap() error { return e.err }

// opErr wraps a failure of op on endpoint; nil stays nil.
func opErr(op, endpoint string, err error) error {
	if err == nil {
		return nil
	}
	return &opError{op: op, endpoint: endpoint, hasEndpoint: true, err: err}
}

// stepErr wraps a failure of op, which has no endpoint; nil stays nil.
func stepErr(op string, err error) error {
	if err == nil {
		return nil
	}
	return &opError{op: op, err: err}
}

// showEndpoint quotes an endpoint that would not read plainly in a
// message: an empty one, or one with spaces or unprintable characters.
func showEndpoint(ep string) string {
	if ep == "" || strings.ContainsFunc(ep, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }) {
		return strconv.Quote(ep)
	}
	return ep
}
