package engine

import (
	"errors"
	"fmt"
)

// Options configures a Context.
type Options struct {
	// IOThreads is the number of I/O threads; 0 means 1.
	IOThreads int
	// CPUs pins I/O thread i to CPUs[i % len(CPUs)]. Empty means no
	// pinning.
	CPUs []int
	// KeepGOMAXPROCS leaves GOMAXPROCS alone. By default New raises it by
	// the number of I/O threads and Close lowers it again (procs.go).
	KeepGOMAXPROCS bool
}

// ErrClosed is returned when a closed Context is used.
var ErrClosed = errors.New("engine: context closed")

// Context owns a fixed set of I/O threads.
type Context struct {
	threads []*Thread
	// procs is how much New raised GOMAXPROCS; Close gives it back.
	procs int
}

// New starts the I/O threads.
func New(o Options) (*Context, error) {
	n := o.IOThreads
	if n <= 0 {
		n = 1
	}
	c := &Context{}
	for i := 0; i < n; i++ {
		cpu := -1
		if len(o.CPUs) > 0 {
			cpu = o.CPUs[i%len(o.CPUs)]
		}
		t, err := newThread(i, cpu)
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("engine: start I/O thread %d: %w", i, err)
		}
		c.threads = append(c.threads, t)
	}
	if !o.KeepGOMAXPROCS {
		c.procs = n
		addProcs(n)
	}
	return c, nil
}

// Threads returns the I/O threads.
func (c *Context) Threads() []*Thread { return c.threads }

// Choose returns the least loaded I/O thread.
func (c *Context) Choose() *Thread { return c.ChooseAmong(0) }

// ChooseAmong returns the least loaded of the I/O threads whose bits are set
// in mask (bit i for thread i, libzmq's ZMQ_AFFINITY); 0, or a mask naming
// no thread, means any.
func (c *Context) ChooseAmong(mask uint64) *Thread {
	var best *Thread
	for i, t := range c.threads {
		if mask != 0 && (i >= 64 || mask&(1<<i) == 0) {
			continue
		}
		if best == nil || t.Load() < best.Load() {
			best = t
		}
	}
	if best == nil {
		return c.ChooseAmong(0)
	}
	return best
}

// Close stops every I/O thread after the work already posted to it has run.
// Handlers still registered are abandoned, so callers close their
// connections first.
func (c *Context) Close() error {
	for _, t := range c.threads {
		t.stop()
	}
	if c.procs > 0 {
		addProcs(-c.procs)
		c.procs = 0
	}
	return nil
}
