package socket

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/mempool"
)

// client talks to SERVER peers with single-part messages (ZMQ_CLIENT,
// RFC 41): a DEALER (round-robin sends, blocking when every peer is full;
// fair-queued receives) where a message with MORE is zerr.ErrInvalid to
// send, and one that arrives with more parts (which no SERVER sends) is
// dropped whole.
type client struct{ dealer }

// noProbe is the options a CLIENT's dealer reads: libzmq's CLIENT ignores
// PROBE_ROUTER, the only option a dealer consults.
var noProbe Options

func newClient() *client { return &client{dealer{o: &noProbe}} }

func (s *client) CheckSend(first *mempool.Frame) (bool, error) {
	if err := refuseMore(first); err != nil {
		return false, err
	}
	return s.dealer.CheckSend(first)
}

func (s *client) Recv() (*mempool.Frame, *pipe.Pipe, error) {
	msg, p := recvSingle(&s.fq)
	return msg, p, nil
}
