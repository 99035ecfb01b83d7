package socket

import (
	"github.com/zring/zring/internal/zerr"
	"github.com/zring/zring/mempool"
)

// dgram sends and receives udp:// datagrams (ZMQ_DGRAM, libzmq's draft):
// each message is two parts, the peer's address as "ip:port" (MORE set)
// and the body. It binds to one udp endpoint; a message whose address does
// not parse is dropped by the engine, as libzmq drops it. Sending waits at
// the high-water mark.
type dgram struct{ pair }

func (s *dgram) CheckSend(first *mempool.Frame) (bool, error) {
	if !first.More() || overTwoParts(first) {
		return false, zerr.ErrInvalid
	}
	return s.pair.CheckSend(first)
}

func (s *dgram) Send(msg *mempool.Frame) error {
	if !twoParts(msg) {
		mempool.ReleaseChain(msg)
		return zerr.ErrInvalid
	}
	return s.pair.Send(msg)
}
