//go:build !linux

package uring

import "errors"

// ErrUnavailable reports that io_uring cannot be used: it exists only on
// Linux.
var ErrUnavailable = errors.New("uring: io_uring unavailable: not Linux")
