//go:build !linux

package poll

import "time"

// Epoll is the epoll backend. It exists only on Linux; elsewhere NewEpoll
// returns ErrUnsupported and every method does too.
type Epoll struct{}

var _ Poller = (*Epoll)(nil)

// NewEpoll returns ErrUnsupported: epoll is Linux-only.
func NewEpoll() (*Epoll, error) { return nil, ErrUnsupported }

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
// NewUring returns ErrUnsupported.
type Uring struct{ Epoll }

// NewUring returns ErrUnsupported: io_uring is Linux-only.
func NewUring() (*Uring, error) { return nil, ErrUnsupported }
