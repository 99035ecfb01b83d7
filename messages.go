package zring

import (
	"context"
	"errors"
	"iter"
)

// Messages returns an iterator over the messages the socket receives, for
// a receive loop in modern Go:
//
//	for msg, err := range sock.Messages(ctx) {
//		if err != nil { ... }    // e.g. ErrTimeout under RCVTIMEO
//		handle(msg)              // msg[i] is part i
//	}
//
// Each message comes whole (RecvMultiContext), its parts copies the caller
// owns: they stay valid after the loop moves on. The loop ends, without
// an error, when ctx ends or the socket or its Context closes. Any other
// receive error is yielded with a nil message, and the loop goes on
// unless the body breaks. One Messages loop at a time per socket is the
// simple rule; concurrent loops each get whole messages too.
func (s *Socket) Messages(ctx context.Context) iter.Seq2[[][]byte, error] {
	return func(yield func([][]byte, error) bool) {
		for {
			msg, err := s.RecvMultiContext(ctx, 0)
			switch {
			case err == nil:
			case ctx.Err() != nil && errors.Is(err, ctx.Err()), errors.Is(err, ErrClosed), errors.Is(err, ErrTerminated):
				return
			}
			if !yield(msg, err) {
				return
			}
		}
	}
}
