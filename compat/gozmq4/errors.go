//go:build linux

package zmq4

import (
	"context"
	"errors"
	"fmt"

	"github.com/zring/zring"
)

// Upstream's exported errors. The adapter's errors wrap them where
// upstream would return them, and wrap zring's sentinel error as well, so
// errors.Is works both with upstream's names and with zring's.
var (
	// ErrBadProperty: an option name SetOption or GetOption does not know,
	// or a value of the wrong kind.
	ErrBadProperty = errors.New("zmq4: bad property")
	// ErrClosedConn: the socket is closed (Close, or its context ended).
	// Such errors also match zring.ErrClosed.
	ErrClosedConn = errors.New("zmq4: read/write on closed connection")
	// ErrBadCmd is upstream's error for a malformed ZMTP command. zring
	// checks ZMTP itself and drops the connection, so the adapter never
	// returns it.
	ErrBadCmd = errors.New("zmq4: invalid command name")
	// ErrBadFrame: a message with no frame was given to Send.
	ErrBadFrame = errors.New("zmq4: invalid frame")
)

// ErrNotMapped is wrapped by every error for a feature of go-zeromq/zmq4
// that this adapter cannot map onto zring (a user-written Security, say).
var ErrNotMapped = errors.New("zmq4 (zring adapter): not mapped onto zring")

// UnknownTransportError is the error for an endpoint whose transport zring
// does not have. It also matches zring.ErrEndpoint.
type UnknownTransportError struct {
	Name string
}

// Error implements error.
func (ute UnknownTransportError) Error() string {
	return fmt.Sprintf("zmq4: unknown transport %q", ute.Name)
}

// Is makes errors.Is(err, zring.ErrEndpoint) true.
func (ute UnknownTransportError) Is(target error) bool { return target == zring.ErrEndpoint }

// mapErr adds upstream's sentinel to an error from zring, keeping zring's
// in the chain. A socket closed by Close or by its context reports
// ErrClosedConn, zring.ErrClosed and the context's error (context.Canceled
// after Close, as upstream's Close cancels the socket's context).
func (s *socket) mapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	if cerr := s.ctx.Err(); cerr != nil && (errors.Is(err, cerr) || errors.Is(err, zring.ErrClosed)) {
		return fmt.Errorf("zmq4: %s: %w: %w: %w", op, ErrClosedConn, zring.ErrClosed, cerr)
	}
	switch {
	case errors.Is(err, zring.ErrClosed), errors.Is(err, zring.ErrTerminated):
		return fmt.Errorf("zmq4: %s: %w: %w", op, ErrClosedConn, err)
	case errors.Is(err, zring.ErrTimeout):
		// Upstream's Send gives up with its context's deadline error.
		return fmt.Errorf("zmq4: %s: %w: %w", op, context.DeadlineExceeded, err)
	}
	return fmt.Errorf("zmq4: %s: %w", op, err)
}

// notMapped returns an error wrapping ErrNotMapped.
func notMapped(what string) error {
	return fmt.Errorf("%w: %s", ErrNotMapped, what)
}
