package engine

import (
	"errors"
	"fmt"
)

// unsupportedError is why New fails on goos: the I/O threads are built on
// Linux's epoll or io_uring and eventfd (see poll and ring), which other
// platforms do not have. It matches errors.ErrUnsupported.
func unsupportedError(goos string) error {
	return fmt.Errorf("engine: %w: I/O threads need Linux (epoll or io_uring, eventfd), not %s", errors.ErrUnsupported, goos)
}
