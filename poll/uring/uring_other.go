//go:build !linux

package uring

import (
	"errors"
	"fmt"
)

// Sentinel errors, as on Linux. Compare with errors.Is.
var (
	// ErrUnavailable reports that io_uring cannot be used: it exists only
	// on Linux. Off Linux it matches errors.ErrUnsupported too.
	ErrUnavailable = fmt.Errorf("uring: io_uring unavailable: %w", errors.ErrUnsupported)
	// ErrClosed reports a call on a closed Ring.
	ErrClosed = errors.New("uring: ring closed")
)

// Ring is one io_uring instance. Off Linux none can be made: New fails, and
// the rest of the Linux API (SQE, CQE, BufRing, the opcodes) is absent.
type Ring struct{}

// New returns an error matching ErrUnavailable and errors.ErrUnsupported:
// io_uring is Linux-only.
func New(entries uint32) (*Ring, error) {
	return nil, fmt.Errorf("%w: io_uring needs Linux", ErrUnavailable)
}

// FD returns -1.
func (*Ring) FD() int { return -1 }

// Close returns ErrClosed.
func (*Ring) Close() error { return ErrClosed }
