package engine

import "time"

// Timer is a one-shot callback owned by one Thread. It is created by
// Thread.AddTimer and may be cancelled with Thread.CancelTimer, both only on
// the owning thread.
type Timer struct {
	whenNs int64  // monotonic deadline, see MonoNow
	fn     func() // run on the owning thread when due
	index  int    // position in the heap, -1 when not scheduled
}

// Active reports whether the timer is still scheduled.
func (t *Timer) Active() bool { return t != nil && t.index >= 0 }

// epoch anchors MonoNow; time.Since uses the monotonic clock reading.
var epoch = time.Now()

// MonoNow returns monotonic nanoseconds since process start: the clock of
// the engine's timers, cheap enough for hot paths (no allocation).
func MonoNow() int64 { return int64(time.Since(epoch)) }

// timerHeap is a binary min-heap ordered by deadline.
type timerHeap []*Timer

func (h *timerHeap) push(t *Timer) {
	t.index = len(*h)
	*h = append(*h, t)
	h.up(t.index)
}

func (h *timerHeap) remove(t *Timer) {
	i := t.index
	if i < 0 {
		return
	}
	last := len(*h) - 1
	h.swap(i, last)
	(*h)[last] = nil
	*h = (*h)[:last]
	t.index = -1
	if i < last {
		h.down(i)
		h.up(i)
	}
}

func (h timerHeap) swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}

func (h timerHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if h[p].whenNs <= h[i].whenNs {
			return
		}
		h.swap(i, p)
		i = p
	}
}

func (h timerHeap) down(i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && h[r].whenNs < h[l].whenNs {
			m = r
		}
		if h[i].whenNs <= h[m].whenNs {
			return
		}
		h.swap(i, m)
		i = m
	}
}

// runDue runs every timer whose deadline has passed and returns the time
// until the next one, or -1 when none is scheduled.
func (h *timerHeap) runDue() time.Duration {
	for len(*h) > 0 {
		now := MonoNow()
		t := (*h)[0]
		if t.whenNs > now {
			return time.Duration(t.whenNs - now)
		}
		h.remove(t)
		t.fn()
	}
	return -1
}
