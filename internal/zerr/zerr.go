package zerr

import (
	"errors"
	"os"

	"github.com/zring/zring/ring"
)

// Sentinel errors; the root package documents each.
var (
	// ErrAgain means a non-blocking operation could not proceed now
	// (libzmq's EAGAIN).
	ErrAgain = errors.New("zring: resource temporarily unavailable")
	// ErrTimeout means SNDTIMEO or RCVTIMEO expired. It matches ErrAgain
	// too, as libzmq reports both as EAGAIN, and os.ErrDeadlineExceeded,
	// as an expired net.Conn deadline does.
	ErrTimeout = &timeoutError{}
	// ErrState means the operation is not valid in the socket's current
	// state, such as a REQ sending twice without receiving (libzmq's EFSM).
	ErrState = errors.New("zring: operation cannot be accomplished in current state")
	// ErrNotSupported means the socket type cannot do this (libzmq's
	// ENOTSUP), such as Recv on a PUSH socket.
	ErrNotSupported = errors.New("zring: operation not supported by socket type")
	// ErrClosed means the socket was closed.
	ErrClosed = errors.New("zring: socket closed")
	// ErrTerminated means the context was closed (libzmq's ETERM).
	ErrTerminated = errors.New("zring: context terminated")
	// ErrEndpoint means an endpoint string is malformed or its transport
	// is not supported.
	ErrEndpoint = errors.New("zring: invalid endpoint")
	// ErrInvalid means an argument or option value is invalid.
	ErrInvalid = errors.New("zring: invalid argument")
	// ErrAddrInUse means a bind address is taken.
	ErrAddrInUse = errors.New("zring: address in use")
	// ErrRoutingIDInUse is why a ROUTER or STREAM closes a connection
	// whose peer announced a routing id another peer already has (without
	// ROUTER_HANDOVER); it travels with the connection's DISCONNECTED
	// event.
	ErrRoutingIDInUse = errors.New("zring: routing id already in use by another peer")
	// ErrPeerRefused is why a socket closes a connection it has no room
	// for, such as a PAIR's second peer; it travels with the connection's
	// DISCONNECTED event.
	ErrPeerRefused = errors.New("zring: peer refused: the socket already has its peer")
	// ErrHostUnreachable means a ROUTER with ROUTER_MANDATORY was asked to
	// send to a peer it does not know (libzmq's EHOSTUNREACH). It also
	// matches syscall.EHOSTUNREACH.
	ErrHostUnreachable = &errnoError{"zring: host unreachable", errnoHostUnreachable}
)

// errnoError is a sentinel that also matches the errno libzmq reports.
type errnoError struct {
	msg   string
	errno error // a syscall.Errno where the platform has one
}

// Error returns the message.
func (e *errnoError) Error() string { return e.msg }

// Is matches the errno.
func (e *errnoError) Is(target error) bool { return target == e.errno }

type timeoutError struct{}

// Error describes the timeout.
func (*timeoutError) Error() string { return "zring: operation timed out" }

// Is lets ErrTimeout match ErrAgain, ring's timeout and
// os.ErrDeadlineExceeded, as a net.Conn deadline does.
func (*timeoutError) Is(target error) bool {
	return target == ErrAgain || target == ring.ErrTimeout || target == os.ErrDeadlineExceeded
}

// Timeout marks ErrTimeout as a timeout for net.Error-style checks.
func (*timeoutError) Timeout() bool { return true }
