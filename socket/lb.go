package socket

import "github.com/zring/zring/mempool"

// lb load-balances outgoing messages round-robin across the pipes that have
// room, like libzmq's lb_t. Pipes in pipes[:active] are writable; a full
// pipe is moved past active until its session frees space.
type lb struct {
	pipes   []*pipe
	active  int
	current int
}

func (l *lb) attach(p *pipe) {
	p.lbIdx = len(l.pipes)
	l.pipes = append(l.pipes, p)
	l.activate(p)
}

func (l *lb) swap(i, j int) {
	l.pipes[i], l.pipes[j] = l.pipes[j], l.pipes[i]
	l.pipes[i].lbIdx = i
	l.pipes[j].lbIdx = j
}

// activate marks p writable again.
func (l *lb) activate(p *pipe) {
	if p.lbIdx < 0 || p.lbIdx < l.active {
		return
	}
	l.swap(p.lbIdx, l.active)
	l.active++
}

func (l *lb) deactivate(p *pipe) {
	if p.lbIdx >= l.active {
		return
	}
	l.active--
	l.swap(p.lbIdx, l.active)
	if l.current >= l.active {
		l.current = 0
	}
}

func (l *lb) detach(p *pipe) {
	if p.lbIdx < 0 {
		return
	}
	l.deactivate(p)
	last := len(l.pipes) - 1
	l.swap(p.lbIdx, last)
	l.pipes[last] = nil
	l.pipes = l.pipes[:last]
	p.lbIdx = -1
}

// next returns the pipe the next message goes to, or nil when every pipe is
// full. It does not advance; send does.
func (l *lb) next() *pipe {
	for l.active > 0 {
		p := l.pipes[l.current]
		if p.writable() {
			return p
		}
		l.deactivate(p)
	}
	return nil
}

// send writes msg to the next pipe with room. It reports false when none
// has room; the caller keeps msg.
func (l *lb) send(msg *mempool.Frame) (*pipe, bool) {
	p := l.next()
	if p == nil || !p.write(msg) {
		return nil, false
	}
	l.current++
	if l.current >= l.active {
		l.current = 0
	}
	return p, true
}
