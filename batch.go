package zring

import (
	"context"

	"github.com/zring/zring/mempool"
)

// The batch API moves many whole messages per acquisition of the socket:
// one lock, one pass over pending commands and, at most, one wait, where
// the single-message calls pay each per message.

// RecvBatch receives whole messages into dst, up to len(dst) of them. It
// waits as RecvFrameContext does (ctx, RCVTIMEO, DontWait) until at least
// one message is there, then also takes every further one already queued,
// without waiting, and returns how many it stored. dst[i] is the first
// frame of message i; further parts follow through Next, each frame's More
// telling whether one does. The caller owns every frame: ReleaseMsg
// releases a whole message. A message begun with RecvFrame or Recv is
// finished first, as dst[0]. An empty dst is ErrInvalid.
func (s *Socket) RecvBatch(dst []*Frame, flags Flag) (int, error) {
	return s.RecvBatchContext(context.Background(), dst, flags)
}

// RecvBatchContext is RecvBatch with a context that can cancel the wait.
// A ctx already done returns ctx.Err() at once and has no effect; a nil
// ctx is ErrInvalid.
func (s *Socket) RecvBatchContext(ctx context.Context, dst []*Frame, flags Flag) (int, error) {
	if len(dst) == 0 {
		return 0, ErrInvalid
	}
	n := 0
	err := s.wait(ctx, s.recvWaiter, s.recvSem, flags&DontWait == 0, rcvTimeout, func() (bool, error) {
		for n < len(dst) {
			if ok, err := s.loadMsg(); !ok {
				if n > 0 {
					return true, nil // what failed is met again by the next call
				}
				return false, err
			}
			dst[n] = ownChain(s.inMsg)
			s.inMsg, s.rcvMore = nil, false
			n++
		}
		return true, nil
	})
	return n, err
}

// SendBatch sends msgs[0], msgs[1], ... as whole messages, in order. Each
// is a chain of frames linked through Next (a single frame is a one-part
// message); SendBatch sets each frame's More. It waits as SendFrameContext
// does (ctx, SNDTIMEO, DontWait) only until the first message can be
// queued, then queues every further one that fits without waiting, and
// returns how many it queued. The socket owns those; the caller still owns
// msgs[n:]. An error refers to msgs[n]. A message begun with SndMore is
// completed by msgs[0]'s parts. An empty msgs, or a nil message, is
// ErrInvalid.
func (s *Socket) SendBatch(msgs []*Frame, flags Flag) (int, error) {
	return s.SendBatchContext(context.Background(), msgs, flags)
}

// SendBatchContext is SendBatch with a context that can cancel the wait
// for the first message. A ctx already done returns ctx.Err() at once and
// has no effect; a nil ctx is ErrInvalid.
func (s *Socket) SendBatchContext(ctx context.Context, msgs []*Frame, flags Flag) (int, error) {
	if len(msgs) == 0 {
		return 0, ErrInvalid
	}
	for _, m := range msgs {
		if m == nil {
			return 0, ErrInvalid
		}
	}
	n := 0
	err := s.wait(ctx, s.sendWaiter, s.sendSem, flags&DontWait == 0, sndTimeout, func() (bool, error) {
		// One flush per pipe for the whole attempt, before s.mu is let go.
		s.batch.Begin()
		defer s.batch.End()
		for n < len(msgs) {
			done, err := s.queueChain(msgs[n], markParts(msgs[n]))
			if err != nil {
				return false, err
			}
			if !done {
				return n > 0, nil // full: the rest stays the caller's
			}
			n++
		}
		return true, nil
	})
	return n, err
}

// markParts sets More on every frame of the chain at head but the last,
// which it returns.
func markParts(head *Frame) (tail *Frame) {
	for f := head; ; f = f.Next() {
		if f.Next() == nil {
			f.SetMore(false)
			return f
		}
		f.SetMore(true)
	}
}

// ReleaseMsg releases every frame of the message whose first frame is f
// (the frames linked through Next), as RecvBatch returns them.
func ReleaseMsg(f *Frame) { mempool.ReleaseChain(f) }
