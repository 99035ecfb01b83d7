package socket

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/mempool"
)

// lb load-balances outgoing messages round-robin across the pipes that have
// room, like libzmq's lb_t. A full pipe is deactivated until its session
// frees space.
type lb struct {
	pipeSet[lbSlot]
}

// next returns the pipe the next message goes to, or nil when every pipe is
// full. It does not advance; send does.
func (l *lb) next() *pipe.Pipe {
	for l.active > 0 {
		p := l.pipes[l.current]
		if p.Writable() {
			return p
		}
		l.deactivate(p)
	}
	return nil
}

// send writes msg to the next pipe with room. It reports false when none
// has room; the caller keeps msg.
func (l *lb) send(msg *mempool.Frame) (*pipe.Pipe, bool) {
	p := l.next()
	if p == nil || !p.Write(msg) {
		return nil, false
	}
	l.advance()
	return p, true
}
