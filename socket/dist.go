package socket

import (
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/mempool"
)

// dist fans messages out to pipes (PUB and XPUB downstream, SUB and XSUB
// upstream), like libzmq's dist_t. One message reaches every target by
// reference: each frame's count is raised once per extra target, nothing
// is copied. A target whose queue is full is skipped (the message is dropped
// for it), so dist never blocks.
type dist struct {
	pipes []*pipe.Pipe
	// targets collects the pipes one message goes to; reused, so fan-out
	// allocates nothing once it has grown.
	targets []*pipe.Pipe
	epoch   uint64 // marks the pipes already in targets (pipe.Marks.Dist)
}

func (d *dist) attach(p *pipe.Pipe) { d.pipes = append(d.pipes, p) }

func (d *dist) remove(p *pipe.Pipe) {
	for i, q := range d.pipes {
		if q == p {
			last := len(d.pipes) - 1
			d.pipes[i], d.pipes[last] = d.pipes[last], nil
			d.pipes = d.pipes[:last]
			return
		}
	}
}

// begin starts collecting the targets of a new message.
func (d *dist) begin() {
	d.epoch++
	clear(d.targets)
	d.targets = d.targets[:0]
}

// mark adds p to the targets, once however often it matches.
func (d *dist) mark(p *pipe.Pipe) {
	if p.Marks.Dist != d.epoch {
		p.Marks.Dist = d.epoch
		d.targets = append(d.targets, p)
	}
}

// markAll makes every pipe a target.
func (d *dist) markAll() {
	d.begin()
	for _, p := range d.pipes {
		d.mark(p)
	}
}

// invert makes the pipes that were not marked the targets
// (INVERT_MATCHING).
func (d *dist) invert() {
	marked := d.epoch
	d.begin()
	for _, p := range d.pipes {
		if p.Marks.Dist != marked {
			d.mark(p)
		}
	}
}

// writable reports whether every target has room; a full one is parked so
// its session reports when it drains (XPUB_NODROP).
func (d *dist) writable() bool {
	for _, p := range d.targets {
		if !p.Detached && !p.Writable() {
			return false
		}
	}
	return true
}

// send writes msg to every target with room and releases it for the rest.
func (d *dist) send(msg *mempool.Frame) {
	n := 0
	for _, p := range d.targets {
		switch {
		case p.Detached:
		case p.HasRoom():
			d.targets[n] = p
			n++
		default:
			p.Drops++ // full: this target misses the message
		}
	}
	if n == 0 {
		mempool.ReleaseChain(msg)
		return
	}
	for f := msg; f != nil; f = f.Next() {
		f.RetainN(int32(n - 1))
	}
	for _, p := range d.targets[:n] {
		p.Write(msg) // has room: the socket is the only producer
	}
}
