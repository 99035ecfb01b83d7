package socket

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/mempool"
)

// channel is a PAIR for single-part messages (ZMQ_CHANNEL, libzmq's
// draft): one peer, further ones refused; a message with MORE is
// zerr.ErrInvalid to send, and one that arrives with more parts is
// dropped whole.
type channel struct{ pair }

func (s *channel) CheckSend(first *mempool.Frame) (bool, error) {
	if err := refuseMore(first); err != nil {
		return false, err
	}
	return s.pair.CheckSend(first)
}

func (s *channel) Recv() (*mempool.Frame, *pipe.Pipe, error) {
	for {
		msg, p, err := s.pair.Recv()
		if msg == nil || msg.Next() == nil {
			return msg, p, err
		}
		mempool.ReleaseChain(msg)
	}
}
