//go:build !linux

package poll

import (
	"fmt"
	"time"

	"github.com/zring/zring/poll/uring"
)

// Why the Linux backends cannot be opened here; both match ErrUnsupported
// and errors.ErrUnsupported.
var (
	errNoEpoll = fmt.Errorf("%w: epoll needs Linux", ErrUnsupported)
	errNoUring = fmt.Errorf("%w: io_uring needs Linux", ErrUnsupported)
)

// Epoll is the epoll backend. It exists only on Linux; elsewhere NewEpoll
// returns an error matching ErrUnsupported and every method returns
// ErrUnsupported.
type Epoll struct{}

var _ Poller = (*Epoll)(nil)

// NewEpoll returns an error matching ErrUnsupported: epoll is Linux-only.
func NewEpoll() (*Epoll, error) { return nil, errNoEpoll }

// Name returns "epoll".
func (*Epoll) Name() string { return "epoll" }

// Add returns ErrUnsupported.
func (*Epoll) Add(int, Token, Events) error { return ErrUnsupported }

// Modify returns ErrUnsupported.
func (*Epoll) Modify(int, Token, Events) error { return ErrUnsupported }

// Remove returns ErrUnsupported.
func (*Epoll) Remove(int) error { return ErrUnsupported }

// Wait returns ErrUnsupported.
func (*Epoll) Wait([]Event, time.Duration) (int, error) { return 0, ErrUnsupported }

// Close returns ErrUnsupported.
func (*Epoll) Close() error { return ErrUnsupported }

// Uring is the io_uring backend. It exists only on Linux; elsewhere
// NewUring returns an error matching ErrUnsupported and every method
// returns ErrUnsupported.
type Uring struct{}

var _ Poller = (*Uring)(nil)

// NewUring returns an error matching ErrUnsupported: io_uring is
// Linux-only.
func NewUring() (*Uring, error) { return nil, errNoUring }

// Name returns "uring".
func (*Uring) Name() string { return "uring" }

// Ring returns nil.
func (*Uring) Ring() *uring.Ring { return nil }

// Add returns ErrUnsupported.
func (*Uring) Add(int, Token, Events) error { return ErrUnsupported }

// Modify returns ErrUnsupported.
func (*Uring) Modify(int, Token, Events) error { return ErrUnsupported }

// Remove returns ErrUnsupported.
func (*Uring) Remove(int) error { return ErrUnsupported }

// Wait returns ErrUnsupported.
func (*Uring) Wait([]Event, time.Duration) (int, error) { return 0, ErrUnsupported }

// Close returns ErrUnsupported.
func (*Uring) Close() error { return ErrUnsupported }
