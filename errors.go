package zring

import (
	"fmt"

	"github.com/zring/zring/internal/zerr"
)

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
