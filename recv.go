package zring

import (
	"context"

	"github.com/zring/zring/mempool"
)

// Recv receives one frame into a new slice the caller owns. Check RcvMore
// (or use RecvMulti) for the rest of a multipart message. It blocks until a
// message arrives unless DontWait is set (ErrAgain) or RCVTIMEO expires
// (ErrTimeout).
func (s *Socket) Recv(flags Flag) ([]byte, error) {
	return s.RecvContext(context.Background(), flags)
}

// RecvContext is Recv with a context that can cancel the wait.
// A ctx already done returns ctx.Err() at once and has no effect, even
// when the operation could complete without waiting; a nil ctx is
// ErrInvalid. No message is consumed then.
func (s *Socket) RecvContext(ctx context.Context, flags Flag) ([]byte, error) {
	f, err := s.RecvFrameContext(ctx, flags)
	if err != nil {
		return nil, err
	}
	b := append([]byte(nil), f.Bytes()...)
	if b == nil {
		b = []byte{}
	}
	f.Release()
	return b, nil
}

// RecvString is Recv returning a string.
func (s *Socket) RecvString(flags Flag) (string, error) {
	return s.RecvStringContext(context.Background(), flags)
}

// RecvStringContext is RecvString with a context, as RecvContext.
func (s *Socket) RecvStringContext(ctx context.Context, flags Flag) (string, error) {
	f, err := s.RecvFrameContext(ctx, flags)
	if err != nil {
		return "", err
	}
	str := string(f.Bytes())
	f.Release()
	return str, nil
}

// RecvMulti receives every part of the next message (or the rest of one
// begun with Recv) at once, so concurrent receivers never split a message.
func (s *Socket) RecvMulti(flags Flag) ([][]byte, error) {
	return s.RecvMultiContext(context.Background(), flags)
}

// RecvMultiContext is RecvMulti with a context that can cancel the wait.
// A ctx already done returns ctx.Err() at once and has no effect, even
// when the operation could complete without waiting; a nil ctx is
// ErrInvalid. No message is consumed then.
func (s *Socket) RecvMultiContext(ctx context.Context, flags Flag) ([][]byte, error) {
	parts, _, err := s.recvMulti(ctx, flags, false)
	return parts, err
}

// RecvMultiMetadata is RecvMulti that also returns the metadata of the
// message's connection (User-Id, Peer-Address, the peer's Socket-Type
// ...), taken together so that concurrent receivers cannot mix them up.
func (s *Socket) RecvMultiMetadata(flags Flag) ([][]byte, *Metadata, error) {
	return s.recvMulti(context.Background(), flags, false)
}

// RecvMultiMetadataContext is RecvMultiMetadata with a context, treated as
// by RecvMultiContext.
func (s *Socket) RecvMultiMetadataContext(ctx context.Context, flags Flag) ([][]byte, *Metadata, error) {
	return s.recvMulti(ctx, flags, false)
}

// recvMulti takes the rest of the message being received, or the next
// one. With whole set, a message begun with RecvFrame is ErrState and is
// left in place, so that nothing of it is lost.
func (s *Socket) recvMulti(ctx context.Context, flags Flag, whole bool) ([][]byte, *Metadata, error) {
	var parts [][]byte
	var md *Metadata
	err := s.wait(ctx, s.recvWaiter, s.recvSem, flags&DontWait == 0, rcvTimeout, func() (bool, error) {
		if whole && s.inMsg != nil {
			return false, ErrState
		}
		if ok, err := s.loadMsg(); !ok {
			return false, err
		}
		if s.inPipe != nil {
			md = s.inPipe.Metadata()
		}
		for f := s.popFrame(); f != nil; f = s.popFrame() {
			parts = append(parts, append(make([]byte, 0, f.Len()), f.Bytes()...))
			f.Release()
		}
		return true, nil
	})
	return parts, md, err
}

// RcvMore reports whether the last frame received has more parts following
// (ZMQ_RCVMORE).
func (s *Socket) RcvMore() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rcvMore
}

// RecvFrame receives one frame without copying. The caller owns the frame
// and must Release it; f.More() reports whether more parts follow.
func (s *Socket) RecvFrame(flags Flag) (*Frame, error) {
	return s.RecvFrameContext(context.Background(), flags)
}

// RecvFrameContext is RecvFrame with a context that can cancel the wait.
// A ctx already done returns ctx.Err() at once and has no effect, even
// when the operation could complete without waiting; a nil ctx is
// ErrInvalid. No message is consumed then.
func (s *Socket) RecvFrameContext(ctx context.Context, flags Flag) (*Frame, error) {
	var f *Frame
	err := s.wait(ctx, s.recvWaiter, s.recvSem, flags&DontWait == 0, rcvTimeout, func() (bool, error) {
		if ok, err := s.loadMsg(); !ok {
			return false, err
		}
		f = s.popFrame()
		return true, nil
	})
	return f, err
}

// loadMsg makes sure a message is being received, taking the next one from
// the pattern if needed; false with a nil error means none is there yet.
// s.mu must be held.
func (s *Socket) loadMsg() (bool, error) {
	if s.inMsg != nil {
		return true, nil
	}
	msg, p, err := s.pat.Recv()
	if msg == nil || err != nil {
		return false, err
	}
	s.inMsg, s.inPipe = msg, p
	s.msgCounts.msgsIn++
	s.msgCounts.bytesIn += chainBytes(msg)
	s.turn.ReceivedSinceSend = true
	return true, nil
}

// popFrame detaches the next frame of the message being received; s.mu must
// be held.
func (s *Socket) popFrame() *Frame {
	f := s.inMsg
	if f == nil {
		return nil
	}
	s.inMsg = f.Next()
	s.rcvMore = s.inMsg != nil
	return unlink(f)
}

// unlink returns the frame f cut from its chain: f itself when it is the
// last frame or the caller is its only holder, else a copy. A PUB hands one
// multipart chain to all its subscribers at once (socket.dist); an inproc
// subscriber that cut the links would cut them for the others, which still
// follow them. The count can only fall while the caller holds a reference,
// so a count of 1 proves no one else follows f's link.
func unlink(f *Frame) *Frame {
	switch {
	case f.Next() == nil:
		return f // no link to cut: shared or not, the frame is handed on
	case f.Refs() == 1:
		f.SetNext(nil)
		return f
	}
	c := mempool.FromBytes(f.Bytes())
	c.SetMore(f.More())
	f.Release() // the others' links stay
	return c
}

// ownChain returns the message at head as a chain whose links the caller
// alone holds: each frame unlinked, then linked again (see unlink).
func ownChain(head *Frame) *Frame {
	var first, last *Frame
	for f := head; f != nil; {
		next := f.Next()
		g := unlink(f)
		if first == nil {
			first = g
		} else {
			last.SetNext(g)
		}
		last, f = g, next
	}
	return first
}
