package socket

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/mempool"
)

// gather is a PULL for single-part messages (ZMQ_GATHER, libzmq's draft):
// fair-queued from SCATTER peers; a message that arrives with more parts
// is dropped whole.
type gather struct{ pull }

func (s *gather) Recv() (*mempool.Frame, *pipe.Pipe, error) {
	msg, p := recvSingle(&s.fq)
	return msg, p, nil
}
