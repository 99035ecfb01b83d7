package pipe

// Batch holds back the Flush of a socket's outbound writes while one
// SendBatch queues many messages: each pipe written is flushed once, at
// End, instead of once per message. A flush is an atomic store to a line
// the far end reads (with an inproc reader spinning on it, a cache-line
// transfer per message), and it may wake the far end. A Batch belongs to
// one socket and is used under its mutex; its pipes point to it
// (SetBatch).
type Batch struct {
	on      bool
	touched []*Pipe // written since Begin, each once
}

// Begin holds back flushes until End.
func (b *Batch) Begin() { b.on = true }

// End flushes every pipe written since Begin, waking far ends that slept.
// It must follow every Begin before the socket's mutex is released:
// unflushed messages are invisible to the far end, which could otherwise
// sleep on them for good.
func (b *Batch) End() {
	b.on = false
	for i, p := range b.touched {
		p.held = false
		if p.out.Flush() {
			p.far.WakeReader()
		}
		b.touched[i] = nil
	}
	b.touched = b.touched[:0]
}

// hold records a write to p while the batch is on; false when it is off.
func (b *Batch) hold(p *Pipe) bool {
	if b == nil || !b.on {
		return false
	}
	if !p.held {
		p.held = true
		b.touched = append(b.touched, p) // grows to the socket's pipe count once
	}
	return true
}

// SetBatch makes p's writes follow b; the socket's mutex must be held.
func (p *Pipe) SetBatch(b *Batch) { p.batch = b }
