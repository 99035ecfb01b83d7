package zring

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
	return s.SendStringContext(context.Background(), str, flags)
}

// SendStringContext is SendString with a context, as SendContext.
func (s *Socket) SendStringContext(ctx context.Context, str string, flags Flag) error {
	f := mempool.Get(len(str))
	copy(f.Bytes(), str)
	return s.sendOwned(ctx, f, flags)
}

// SendContext is Send with a context that can cancel the wait: nothing is
// sent if ctx ends first, and ctx.Err() is returned.
// A ctx already done returns ctx.Err() at once and has no effect, even
// when the operation could complete without waiting; a nil ctx is
// ErrInvalid.
func (s *Socket) SendContext(ctx context.Context, b []byte, flags Flag) error {
	return s.sendOwned(ctx, mempool.FromBytes(b), flags)
}

// SendMulti sends parts as one multipart message, delivered whole or not at
// all, copying them (the caller keeps parts). Concurrent SendMulti calls
// never interleave their parts; a message begun with SndMore on this
// socket is completed by these parts. flags may hold DontWait.
func (s *Socket) SendMulti(parts [][]byte, flags Flag) error {
	return s.SendMultiContext(context.Background(), parts, flags)
}

// SendMultiContext is SendMulti with a context.
// A ctx already done returns ctx.Err() at once and has no effect, even
// when the operation could complete without waiting; a nil ctx is
// ErrInvalid.
func (s *Socket) SendMultiContext(ctx context.Context, parts [][]byte, flags Flag) error {
	if len(parts) == 0 {
		return ErrInvalid
	}
	head := mempool.FromBytes(parts[0])
	tail := head
	for _, p := range parts[1:] {
		tail.SetMore(true)
		f := mempool.FromBytes(p)
		tail.SetNext(f)
		tail = f
	}
	err := s.sendChain(ctx, head, tail, flags&DontWait == 0)
	if err != nil {
		mempool.ReleaseChain(head)
	}
	return err
}

// SendFrame queues f without copying. On success the socket owns f and
// releases it once written; on error the caller still owns f. f must not be
// part of a chain (its Next must be nil). flags alone say whether more
// parts follow: SndMore sets f's More bit and its absence clears it, so a
// frame received with More set is sent as a last part unless SndMore is
// given (a relay passes SndMore when f.More() is true).
func (s *Socket) SendFrame(f *Frame, flags Flag) error {
	return s.SendFrameContext(context.Background(), f, flags)
}

// SendFrameContext is SendFrame with a context that can cancel the wait.
// A ctx already done returns ctx.Err() at once and has no effect, even
// when the operation could complete without waiting; a nil ctx is
// ErrInvalid. The caller
// still owns f after any error.
func (s *Socket) SendFrameContext(ctx context.Context, f *Frame, flags Flag) error {
	if f == nil || f.Next() != nil {
		return ErrInvalid
	}
	return s.send(ctx, f, flags)
}

// sendOwned sends a frame the socket made; it is released on error.
func (s *Socket) sendOwned(ctx context.Context, f *Frame, flags Flag) error {
	err := s.send(ctx, f, flags)
	if err != nil {
		f.Release()
	}
	return err
}

func (s *Socket) send(ctx context.Context, f *Frame, flags Flag) error {
	f.SetMore(flags&SndMore != 0)
	return s.sendChain(ctx, f, f, flags&DontWait == 0)
}

// sendChain queues the frames head..tail; the message is complete when
// tail has no MORE flag. Only the first part of a message waits for room,
// as in libzmq; later parts of the same message are never refused. The
// whole attempt runs in one critical section.
func (s *Socket) sendChain(ctx context.Context, head, tail *Frame, block bool) error {
	return s.wait(ctx, s.sendWaiter, s.sendSem, block, sndTimeout, func() (bool, error) {
		return s.queueChain(head, tail)
	})
}

// queueChain is one attempt to queue the frames head..tail: done is false
// when the first part of a message must wait for room. s.mu must be held.
func (s *Socket) queueChain(head, tail *Frame) (done bool, err error) {
	if s.outHead == nil {
		if ok, err := s.pat.CheckSend(head); !ok || err != nil {
			return false, err
		}
	}
	return true, s.appendChain(head, tail)
}

// appendChain adds frames to the message being sent and hands the message
// to the pattern once its last part arrives. s.mu must be held.
func (s *Socket) appendChain(head, tail *Frame) error {
	if s.outHead == nil {
		s.outHead = head
	} else {
		s.outTail.SetMore(true)
		s.outTail.SetNext(head)
	}
	s.outTail = tail
	if tail.More() {
		return nil
	}
	msg := s.outHead
	s.outHead, s.outTail = nil, nil
	s.msgCounts.msgsOut++
	s.msgCounts.bytesOut += chainBytes(msg)
	err := s.pat.Send(msg)
	s.turn.ReceivedSinceSend = false
	return err
}
