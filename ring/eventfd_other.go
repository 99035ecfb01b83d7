//go:build !linux

package ring

import "errors"

// EventFD wakes an I/O thread blocked in its poller. It exists only on Linux;
// elsewhere NewEventFD returns errors.ErrUnsupported and the methods do
// nothing.
type EventFD struct{}

// NewEventFD returns errors.ErrUnsupported: eventfd is Linux-only.
func NewEventFD() (*EventFD, error) { return nil, errors.ErrUnsupported }

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

// Close returns errors.ErrUnsupported.
func (*EventFD) Close() error { return errors.ErrUnsupported }
