//go:build !linux

package ring

import (
	"errors"
	"fmt"
)

// errNoEventFD is what NewEventFD and Close return off Linux.
var errNoEventFD = fmt.Errorf("ring: %w: eventfd needs Linux", errors.ErrUnsupported)

// EventFD wakes an I/O thread blocked in its poller. It exists only on Linux;
// elsewhere NewEventFD returns an error matching errors.ErrUnsupported and
// the methods do nothing.
type EventFD struct{}

// NewEventFD returns an error matching errors.ErrUnsupported: eventfd is
// Linux-only.
func NewEventFD() (*EventFD, error) { return nil, errNoEventFD }

// FD returns -1.
func (*EventFD) FD() int { return -1 }

// PrepareSleep does nothing.
func (*EventFD) PrepareSleep() {}

// CancelSleep does nothing.
func (*EventFD) CancelSleep() {}

// Wake does nothing.
func (*EventFD) Wake() {}

// Drain does nothing.
func (*EventFD) Drain() {}

// Close returns an error matching errors.ErrUnsupported.
func (*EventFD) Close() error { return errNoEventFD }
