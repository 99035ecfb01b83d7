package socket

import "github.com/zring/zring/internal/pipe"

// pipeSet is an ordered set of pipes whose first `active` members are
// active, as libzmq keeps them in lb_t and fq_t: activating or deactivating a
// pipe is one swap, and round-robin walks pipes[:active] from current. Each
// pipe records its position in the set through the slot kind S, so one pipe
// can sit in a load-balancer and a fair-queue at once.
type pipeSet[S slotKind] struct {
	pipes   []*pipe.Pipe
	active  int
	current int
}

// slotKind picks the pipe field holding its index in a kind of set.
type slotKind interface{ slot(p *pipe.Pipe) *int }

type lbSlot struct{}

func (lbSlot) slot(p *pipe.Pipe) *int { return &p.Marks.LB }

type fqSlot struct{}

func (fqSlot) slot(p *pipe.Pipe) *int { return &p.Marks.FQ }

func (s *pipeSet[S]) idx(p *pipe.Pipe) *int {
	var k S
	return k.slot(p)
}

func (s *pipeSet[S]) attach(p *pipe.Pipe) {
	*s.idx(p) = len(s.pipes)
	s.pipes = append(s.pipes, p)
	s.activate(p)
}

func (s *pipeSet[S]) swap(i, j int) {
	s.pipes[i], s.pipes[j] = s.pipes[j], s.pipes[i]
	*s.idx(s.pipes[i]) = i
	*s.idx(s.pipes[j]) = j
}

// activate makes p eligible again; a pipe not in the set is ignored.
func (s *pipeSet[S]) activate(p *pipe.Pipe) {
	if i := *s.idx(p); i >= s.active {
		s.swap(i, s.active)
		s.active++
	}
}

func (s *pipeSet[S]) deactivate(p *pipe.Pipe) {
	if i := *s.idx(p); i >= 0 && i < s.active {
		s.active--
		s.swap(i, s.active)
		if s.current >= s.active {
			s.current = 0
		}
	}
}

// remove drops p from the set.
func (s *pipeSet[S]) remove(p *pipe.Pipe) {
	if *s.idx(p) < 0 {
		return
	}
	s.deactivate(p)
	last := len(s.pipes) - 1
	s.swap(*s.idx(p), last)
	s.pipes[last] = nil
	s.pipes = s.pipes[:last]
	*s.idx(p) = -1
}

// advance moves round-robin to the next active pipe.
func (s *pipeSet[S]) advance() {
	if s.current++; s.current >= s.active {
		s.current = 0
	}
}
