package socket

import (
	"context"

	"github.com/zring/zring/mempool"
)

// Send queues b as one frame (ZMQ_SNDMORE in flags marks more parts to
// follow). The bytes are copied into a pooled frame, so the caller keeps b.
// It blocks while every peer's queue is at the high-water mark, unless
// DontWait is set (ErrAgain) or SNDTIMEO expires (ErrTimeout).
func (s *Socket) Send(b []byte, flags Flag) error {
	return s.SendContext(context.Background(), b, flags)
}

// SendString is Send for a string.
func (s *Socket) SendString(str string, flags Flag) error {
	f := mempool.Get(len(str))
	copy(f.Bytes(), str)
	return s.sendOwned(context.Background(), f, flags)
}

// SendContext is Send with a context that can cancel the wait.
func (s *Socket) SendContext(ctx context.Context, b []byte, flags Flag) error {
	return s.sendOwned(ctx, mempool.FromBytes(b), flags)
}

// SendMulti sends parts as one multipart message, delivered whole or not at
// all.
func (s *Socket) SendMulti(parts [][]byte) error {
	if len(parts) == 0 {
		return ErrInvalid
	}
	for i, p := range parts {
		flags := SndMore
		if i == len(parts)-1 {
			flags = 0
		}
		if err := s.Send(p, flags); err != nil {
			return err
		}
	}
	return nil
}

// SendFrame queues f without copying. On success the socket owns f and
// releases it once written; on error the caller still owns f. f must not be
// part of a chain (its Next must be nil).
func (s *Socket) SendFrame(f *mempool.Frame, flags Flag) error {
	return s.SendFrameContext(context.Background(), f, flags)
}

// SendFrameContext is SendFrame with a context that can cancel the wait.
func (s *Socket) SendFrameContext(ctx context.Context, f *mempool.Frame, flags Flag) error {
	if f == nil || f.Next() != nil {
		return ErrInvalid
	}
	return s.send(ctx, f, flags)
}

// sendOwned sends a frame the socket made; it is released on error.
func (s *Socket) sendOwned(ctx context.Context, f *mempool.Frame, flags Flag) error {
	err := s.send(ctx, f, flags)
	if err != nil {
		f.Release()
	}
	return err
}

func (s *Socket) send(ctx context.Context, f *mempool.Frame, flags Flag) error {
	more := flags&SndMore != 0
	// Only the first part of a message waits for room, as in libzmq; later
	// parts of the same message are never refused. The whole attempt runs
	// in one critical section.
	return s.wait(ctx, s.sendWaiter, s.sendSem, flags&DontWait == 0, sndTimeout, func() (bool, error) {
		if s.outHead == nil {
			if ok, err := s.pat.checkSend(); !ok || err != nil {
				return false, err
			}
		}
		return true, s.appendFrame(f, more)
	})
}

// appendFrame adds f to the message being sent and hands the message to the
// pattern once its last part arrives. s.mu must be held.
func (s *Socket) appendFrame(f *mempool.Frame, more bool) error {
	f.SetMore(more)
	if s.outHead == nil {
		s.outHead = f
	} else {
		s.outTail.SetNext(f)
	}
	s.outTail = f
	if more {
		return nil
	}
	msg := s.outHead
	s.outHead, s.outTail = nil, nil
	return s.pat.send(msg)
}
