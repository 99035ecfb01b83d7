//go:build !linux

package ring

import "time"

// pollWake exists only on Linux; elsewhere Waiters use their channel.
type pollWake struct{}

func newPollWake() *pollWake { return nil }

func (*pollWake) signal() {}

func (*pollWake) close() {}

func (*pollWake) wait(time.Time) error { return nil }
