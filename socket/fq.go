package socket

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/mempool"
)

// fq fair-queues incoming messages round-robin across pipes, like libzmq's
// fq_t. A pipe found empty sleeps on its ring and is deactivated until its
// session posts a read activation.
type fq struct {
	pipeSet[fqSlot]
}

// recv returns the next whole message and the pipe it came from, or nil
// when every pipe is empty. Detached pipes are removed once drained.
func (f *fq) recv() (*mempool.Frame, *pipe.Pipe) {
	for f.active > 0 {
		p := f.pipes[f.current]
		if msg := p.Read(); msg != nil {
			f.advance()
			return msg, p
		}
		f.deactivate(p)
		if p.Detached {
			f.remove(p)
		}
	}
	return nil, nil
}
