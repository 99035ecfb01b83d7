package reliable

import (
	"context"
	"errors"

	"github.com/zring/zring"
)

// Connect opens a socket of type typ connected to endpoint, with linger 0:
// a socket these patterns replace or close may face a peer that is gone,
// and its Close must not wait for it.
func Connect(zctx *zring.Context, typ zring.Type, endpoint string) (*zring.Socket, error) {
	s, err := zctx.NewSocket(typ, zring.WithLinger(0))
	if err != nil {
		return nil, err
	}
	if err := s.Connect(endpoint); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// WaitErr names why a wait bounded by a deadline under ctx ended: ctx's
// own error when ctx ended, zring.ErrTimeout when the deadline passed,
// else err as it is (nil stays nil).
func WaitErr(ctx context.Context, err error) error {
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, context.DeadlineExceeded):
		return zring.ErrTimeout
	}
	return err
}
