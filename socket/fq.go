package socket

import "github.com/zring/zring/mempool"

// fq fair-queues incoming messages round-robin across pipes, like libzmq's
// fq_t. Pipes in pipes[:active] may have messages; a pipe found empty sleeps
// and is moved past active until its session posts a read activation.
type fq struct {
	pipes   []*pipe
	active  int
	current int
}

func (f *fq) attach(p *pipe) {
	p.fqIdx = len(f.pipes)
	f.pipes = append(f.pipes, p)
	f.activate(p)
}

func (f *fq) swap(i, j int) {
	f.pipes[i], f.pipes[j] = f.pipes[j], f.pipes[i]
	f.pipes[i].fqIdx = i
	f.pipes[j].fqIdx = j
}

func (f *fq) activate(p *pipe) {
	if p.fqIdx < 0 || p.fqIdx < f.active {
		return
	}
	f.swap(p.fqIdx, f.active)
	f.active++
}

func (f *fq) deactivate(p *pipe) {
	if p.fqIdx >= f.active {
		return
	}
	f.active--
	f.swap(p.fqIdx, f.active)
	if f.current >= f.active {
		f.current = 0
	}
}

func (f *fq) remove(p *pipe) {
	if p.fqIdx < 0 {
		return
	}
	f.deactivate(p)
	last := len(f.pipes) - 1
	f.swap(p.fqIdx, last)
	f.pipes[last] = nil
	f.pipes = f.pipes[:last]
	p.fqIdx = -1
}

// recv returns the next whole message and the pipe it came from, or nil
// when every pipe is empty. Detached pipes are removed once drained.
func (f *fq) recv() (*mempool.Frame, *pipe) {
	for f.active > 0 {
		p := f.pipes[f.current]
		if msg, _ := p.read(); msg != nil {
			f.current++
			if f.current >= f.active {
				f.current = 0
			}
			return msg, p
		}
		f.deactivate(p)
		if p.detached {
			f.remove(p)
		}
	}
	return nil, nil
}
