package socket

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/internal/zerr"
	"github.com/zring/zring/mempool"
)

// The rules the thread-safe draft types (CLIENT, SERVER, PEER, SCATTER,
// GATHER, CHANNEL) share: they exchange single-part messages only.

// refuseMore is zerr.ErrInvalid for the first part of a message with more
// parts to follow.
func refuseMore(first *mempool.Frame) error {
	if first != nil && first.More() {
		return zerr.ErrInvalid
	}
	return nil
}

// recvSingle takes the next single-part message from fq, dropping any with
// more parts, as libzmq does.
func recvSingle(q *fq) (*mempool.Frame, *pipe.Pipe) {
	for {
		msg, p := q.recv()
		if msg == nil || msg.Next() == nil {
			return msg, p
		}
		mempool.ReleaseChain(msg)
	}
}
