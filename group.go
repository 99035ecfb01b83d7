package zring

import (
	"context"

	"github.com/zring/zring/mempool"
	"github.com/zring/zring/socket"
)

// RADIO and DISH messages (RFC 48) are two parts: the group, at most 255
// bytes, then the body, as they travel over tcp. A Radio sends them with
// SendGroup (or as a two-part message: SendMulti, or SendFrame with
// SndMore then the body), and a Dish receives them with RecvGroup (or
// RecvMulti, or RecvFrame twice: group, then body). Anything else sent on
// a Radio is ErrInvalid. A Dgram's messages have the same shape, with the
// peer's "ip:port" address in place of the group.

// Join joins group on a Dish (zmq_join): the Dish then receives the
// messages its Radio peers send to exactly that group (not to groups it is
// a prefix of), and tells them so, now and whenever it connects again.
// Joining a group twice, or one longer than 255 bytes, is ErrInvalid;
// other socket types return ErrNotSupported.
func (s *Socket) Join(group string) error { return s.join([]byte(group), true) }

// Leave leaves a group Join joined (zmq_leave); one not joined is
// ErrInvalid.
func (s *Socket) Leave(group string) error { return s.join([]byte(group), false) }

func (s *Socket) join(group []byte, on bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closeErr != nil {
		return s.closeErr
	}
	g, ok := s.pat.(socket.Grouper)
	if !ok {
		return ErrNotSupported
	}
	s.processCommands()
	return g.Join(group, on)
}

// SendGroup sends body to group on a Radio, as one message (zmq_msg_set_group,
// then zmq_msg_send); flags takes DontWait. The caller keeps body. Other
// socket types return ErrNotSupported. A Radio drops the message for a peer whose queue is full, unless
// XPUB_NODROP makes it wait, as libzmq's does.
func (s *Socket) SendGroup(group string, body []byte, flags Flag) error {
	return s.SendGroupContext(context.Background(), group, body, flags)
}

// SendGroupContext is SendGroup with a context that can cancel the wait
// (treated as by SendContext).
func (s *Socket) SendGroupContext(ctx context.Context, group string, body []byte, flags Flag) error {
	if s.typ != Radio {
		return ErrNotSupported
	}
	g := mempool.Get(len(group))
	copy(g.Bytes(), group)
	b := mempool.FromBytes(body)
	g.SetMore(true)
	g.SetNext(b)
	err := s.sendChain(ctx, g, b, flags&DontWait == 0)
	if err != nil {
		mempool.ReleaseChain(g)
	}
	return err
}

// RecvGroup receives the next message on a Dish and returns its group and
// body (zmq_msg_recv, then zmq_msg_group); flags takes DontWait. Other
// socket types return ErrNotSupported. After a RecvFrame of a message's
// group alone it returns ErrState and consumes nothing: RecvFrame or
// RecvMulti takes the body.
func (s *Socket) RecvGroup(flags Flag) (group string, body []byte, err error) {
	return s.RecvGroupContext(context.Background(), flags)
}

// RecvGroupContext is RecvGroup with a context that can cancel the wait
// (treated as by RecvContext).
func (s *Socket) RecvGroupContext(ctx context.Context, flags Flag) (group string, body []byte, err error) {
	if s.typ != Dish {
		return "", nil, ErrNotSupported
	}
	parts, _, err := s.recvMulti(ctx, flags, true)
	if err != nil {
		return "", nil, err
	}
	if len(parts) != 2 {
		return "", nil, ErrState // a DISH delivers only whole two-part messages
	}
	return string(parts[0]), parts[1], nil
}
