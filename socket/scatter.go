package socket

import "github.com/zring/zring/mempool"

// scatter is a PUSH for single-part messages (ZMQ_SCATTER, libzmq's
// draft): round-robin to GATHER peers with room, blocking when all are
// full; a message with MORE is zerr.ErrInvalid.
type scatter struct{ push }

func (s *scatter) CheckSend(first *mempool.Frame) (bool, error) {
	if err := refuseMore(first); err != nil {
		return false, err
	}
	return s.push.CheckSend(first)
}
