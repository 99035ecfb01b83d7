package engine

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/zring/zring/poll"
)

// PollerEnv names the environment variable that chooses the backend when
// Options.Poller is empty: auto, epoll or uring.
const PollerEnv = "ZRING_POLLER"

// Options configures a Context.
type Options struct {
	// IOThreads is the number of I/O threads; 0 means 1.
	IOThreads int
	// CPUs pins I/O thread i to CPUs[i % len(CPUs)]. Empty means no
	// pinning.
	CPUs []int
	// RaiseGOMAXPROCS makes New raise GOMAXPROCS by the number of I/O
	// threads and Close lower it again, so that the I/O threads do not
	// compete with the application's goroutines for Ps (procs.go says
	// why that helps and what happens when the application changes
	// GOMAXPROCS meanwhile). By default GOMAXPROCS is left alone.
	RaiseGOMAXPROCS bool
	// Poller chooses the I/O threads' backend. Empty means the value of
	// $ZRING_POLLER, and auto if that is unset: io_uring where this
	// process can use it, epoll otherwise.
	Poller poll.Kind
}

// ErrClosed is returned when a closed Context is used.
var ErrClosed = errors.New("engine: context closed")

// Context owns a fixed set of I/O threads.
type Context struct {
	threads []*Thread
	// procs is how many I/O threads New added to the raise of
	// GOMAXPROCS; Close takes them off. Guarded by procsMu.
	procs int
	// fallback is why auto did not choose io_uring; nil if it did.
	fallback error
	// bg counts the goroutines that work for sessions off the I/O
	// threads: ws:// and wss:// dials and upgrades, wss:// bridges, and the name
	// lookups before a reconnect (resolve.go). Close waits for them: a
	// bridge still writing what a lingering socket sent must finish
	// before the process may exit, and none may post to a stopped thread.
	bg sync.WaitGroup
}

// New starts the I/O threads. Off Linux it returns an error matching
// errors.ErrUnsupported.
func New(o Options) (*Context, error) {
	if err := checkPlatform(); err != nil {
		return nil, err
	}
	n := o.IOThreads
	if n <= 0 {
		n = 1
	}
	kind, err := pollerKind(o.Poller)
	if err != nil {
		return nil, err
	}
	c := &Context{}
	for i := 0; i < n; i++ {
		cpu := -1
		if len(o.CPUs) > 0 {
			cpu = o.CPUs[i%len(o.CPUs)]
		}
		t, err := newThread(i, cpu, kind)
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("engine: start I/O thread %d: %w", i, err)
		}
		t.eng = c
		c.threads = append(c.threads, t)
		if t.fallback != nil {
			c.fallback = t.fallback
		}
	}
	if o.RaiseGOMAXPROCS {
		c.raiseProcs(n)
	}
	return c, nil
}

// pollerKind resolves the backend choice: the option, else $ZRING_POLLER.
func pollerKind(k poll.Kind) (poll.Kind, error) {
	if k == "" {
		k = poll.Kind(os.Getenv(PollerEnv))
	}
	kind, err := poll.ParseKind(string(k))
	if err != nil {
		return "", fmt.Errorf("engine: poller: %w", err)
	}
	return kind, nil
}

// Poller returns the name of the I/O threads' backend ("uring" or "epoll")
// and, when the automatic choice fell back to epoll, why io_uring was not
// used.
func (c *Context) Poller() (name string, fallback error) {
	if len(c.threads) == 0 {
		return "", c.fallback
	}
	return c.threads[0].poller.Name(), c.fallback
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
	c.bg.Wait() // their sessions are gone; they post nothing more
	for _, t := range c.threads {
		t.stop()
	}
	c.lowerProcs()
	return nil
}
