package zmq4

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/zring/zring"
)

// An Errno is an unsigned number describing an error condition, as
// pebbe/zmq4 returns it: a system errno, or one of libzmq's own numbers
// (EFSM, ETERM ...). It implements the error interface.
//
// The adapter returns a bare Errno wherever pebbe/zmq4 would have, so code
// comparing err == zmq.ETERM or calling AsErrno keeps working. An Errno
// also matches zring's sentinels with errors.Is (ETERM is
// zring.ErrTerminated, EAGAIN zring.ErrAgain, ...), and ENOTSUP matches
// errors.ErrUnsupported.
type Errno uintptr

// zmqHausnumero is libzmq's base for the error numbers it defines itself.
const zmqHausnumero = 156384712

// The numbers are Linux's, where zring runs, as libzmq's zmq.h takes them
// from errno.h there.
const (
	// Error conditions defined by the C library of ZeroMQ.
	EADDRINUSE      = Errno(98)
	EADDRNOTAVAIL   = Errno(99)
	EAFNOSUPPORT    = Errno(97)
	ECONNABORTED    = Errno(103)
	ECONNREFUSED    = Errno(111)
	ECONNRESET      = Errno(104)
	EHOSTUNREACH    = Errno(113)
	EINPROGRESS     = Errno(115)
	EMSGSIZE        = Errno(90)
	ENETDOWN        = Errno(100)
	ENETRESET       = Errno(102)
	ENETUNREACH     = Errno(101)
	ENOBUFS         = Errno(105)
	ENOTCONN        = Errno(107)
	ENOTSOCK        = Errno(88)
	ENOTSUP         = Errno(95)
	EPROTONOSUPPORT = Errno(93)
	ETIMEDOUT       = Errno(110)

	// Native 0MQ error codes.
	EFSM           = Errno(zmqHausnumero + 51)
	ENOCOMPATPROTO = Errno(zmqHausnumero + 52)
	ETERM          = Errno(zmqHausnumero + 53)
	EMTHREAD       = Errno(zmqHausnumero + 54)
)

// Errnos pebbe/zmq4 does not name, where its users write
// zmq.Errno(syscall.EAGAIN): these are the same values, spelled so that
// code need not import syscall. They are an addition to pebbe/zmq4's API.
const (
	EAGAIN = Errno(11)
	EINVAL = Errno(22)
	ENOENT = Errno(2)
	EMFILE = Errno(24)
	EFAULT = Errno(14)
)

// Errors pebbe/zmq4 returns besides an Errno.
var (
	ErrorContextClosed         = errors.New("Context is closed")
	ErrorSocketClosed          = errors.New("Socket is closed")
	ErrorMoreExpected          = errors.New("More expected")
	ErrorNotImplemented405     = errors.New("Not implemented, requires 0MQ version 4.0.5")
	ErrorNotImplemented41      = errors.New("Not implemented, requires 0MQ version 4.1")
	ErrorNotImplemented42      = errors.New("Not implemented, requires 0MQ version 4.2")
	ErrorNotImplementedWindows = errors.New("Not implemented on Windows")
	ErrorNoSocket              = errors.New("No such socket")
)

// Error returns the error message of an Errno.
func (errno Errno) Error() string {
	switch errno {
	case EFSM:
		return "Operation cannot be accomplished in current state"
	case ENOCOMPATPROTO:
		return "The protocol is not compatible with the socket type"
	case ETERM:
		return "Context was terminated"
	case EMTHREAD:
		return "No thread available"
	}
	if errno >= zmqHausnumero {
		return "Unknown error " + strconv.FormatUint(uint64(errno), 10)
	}
	return sysErrnoText(errno)
}

// sentinels pairs the errnos with zring's errors for them.
var sentinels = []struct {
	errno Errno
	err   error
}{
	{EAGAIN, zring.ErrAgain},
	{ETERM, zring.ErrTerminated},
	{EFSM, zring.ErrState},
	{ENOTSUP, zring.ErrNotSupported},
	{EHOSTUNREACH, zring.ErrHostUnreachable},
	{EADDRINUSE, zring.ErrAddrInUse},
	{EINVAL, zring.ErrInvalid},
}

// Is makes an Errno match zring's sentinel for the same condition, the
// syscall.Errno of the same number, and, for ENOTSUP,
// errors.ErrUnsupported.
func (errno Errno) Is(target error) bool {
	for _, s := range sentinels {
		if s.errno == errno && s.err == target {
			return true
		}
	}
	if errno == ENOTSUP && target == errors.ErrUnsupported {
		return true
	}
	return sysErrnoIs(errno, target)
}

// Error returns the message of error number e, as zmq_strerror does.
func Error(e int) string {
	return Errno(e).Error()
}

/*
AsErrno converts an error to an Errno: an Errno (also one wrapped, as the
adapter's unsupported-feature errors wrap ENOTSUP), a syscall.Errno, or one
of zring's sentinel errors. It returns 0 for other errors.

Example usage:

	switch zmq.AsErrno(err) {
	case zmq.Errno(syscall.EINTR):
	    // standard system error
	case zmq.ETERM:
	    // context was terminated
	}
*/
func AsErrno(err error) Errno {
	if err == nil {
		return 0
	}
	var e Errno
	if errors.As(err, &e) {
		return e
	}
	if e, ok := errnoOf(err); ok {
		return e
	}
	return 0
}

// errnoOf finds the Errno of a zring error: its sentinel, else the system
// errno it wraps.
func errnoOf(err error) (Errno, bool) {
	switch {
	case errors.Is(err, zring.ErrAgain): // ErrTimeout too
		return EAGAIN, true
	case errors.Is(err, zring.ErrTerminated):
		return ETERM, true
	case errors.Is(err, zring.ErrState):
		return EFSM, true
	case errors.Is(err, zring.ErrNotSupported):
		return ENOTSUP, true
	case errors.Is(err, zring.ErrHostUnreachable):
		return EHOSTUNREACH, true
	case errors.Is(err, zring.ErrAddrInUse):
		return EADDRINUSE, true
	case errors.Is(err, zring.ErrEndpoint), errors.Is(err, zring.ErrInvalid):
		return EINVAL, true
	}
	return sysErrnoOf(err)
}

// errget turns an error of zring into what pebbe/zmq4 returns: the bare
// Errno libzmq would have set, ErrorSocketClosed for a socket closed under
// a blocked call, and any other error unchanged.
func errget(err error) error {
	if err == nil {
		return nil
	}
	var u *unsupportedError
	if errors.As(err, &u) {
		return err
	}
	var e Errno
	if errors.As(err, &e) {
		return e
	}
	if errors.Is(err, zring.ErrClosed) && !errors.Is(err, zring.ErrTerminated) {
		return ErrorSocketClosed
	}
	if e, ok := errnoOf(err); ok {
		return e
	}
	return err
}

// unsupportedError is what the adapter returns for a feature of
// pebbe/zmq4 (libzmq) that zring has no equivalent of. It matches ENOTSUP
// and errors.ErrUnsupported (AsErrno gives ENOTSUP).
type unsupportedError struct{ what string }

func (e *unsupportedError) Error() string {
	return "zmq4 (zring adapter): " + e.what + ": not supported by zring"
}

// Unwrap returns ENOTSUP, which also matches errors.ErrUnsupported.
func (e *unsupportedError) Unwrap() error { return ENOTSUP }

func unsupported(format string, args ...any) error {
	return &unsupportedError{fmt.Sprintf(format, args...)}
}
