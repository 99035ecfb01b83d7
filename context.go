package zring

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"syscall"

	"github.com/zring/zring/affinity"
	"github.com/zring/zring/engine"
	"github.com/zring/zring/poll"
)

// Context owns the I/O threads that serve its sockets (libzmq's zmq_ctx).
// It is safe for concurrent use.
type Context struct {
	eng *engine.Context

	mu         sync.Mutex
	sockets    map[*Socket]struct{} // guarded by mu
	terminated bool                 // guarded by mu
	inproc     inprocRegistry       // guarded by mu
	// lingering counts sessions and listeners still alive; Close waits
	// for it so queued messages are delivered per each socket's linger.
	lingering sync.WaitGroup
	// zapc talks to the ZAP handler (zap_client.go), made on first use.
	zapOnce sync.Once
	zapc    *zapClient
	// logger gets the sockets' connection lifecycle (logger.go); nil for
	// none. Set at creation.
	logger *slog.Logger
}

// ContextOption configures a Context.
type ContextOption func(*contextOptions) error

// contextOptions is what ContextOptions set: the engine's options.
type contextOptions struct {
	eng    engine.Options
	logger *slog.Logger // WithLogger
}

// WithIOThreads sets the number of I/O threads (ZMQ_IO_THREADS, default 1).
func WithIOThreads(n int) ContextOption {
	return func(o *contextOptions) error {
		if n < 1 {
			return fmt.Errorf("%w: IO_THREADS %d", ErrInvalid, n)
		}
		o.eng.IOThreads = n
		return nil
	}
}

// WithCPUs pins I/O thread i to cpus[i % len(cpus)]. By default threads are
// not pinned. A negative CPU is ErrInvalid here; one the process may not
// run on makes NewContext fail with ErrInvalid.
func WithCPUs(cpus ...int) ContextOption {
	return func(o *contextOptions) error {
		for _, c := range cpus {
			if c < 0 {
				return fmt.Errorf("%w: CPU %d", ErrInvalid, c)
			}
		}
		o.eng.CPUs = append([]int(nil), cpus...)
		return nil
	}
}

// WithRaiseGOMAXPROCS(true) makes the context raise GOMAXPROCS by its
// number of I/O threads for its lifetime, the way libzmq's I/O threads come
// on top of the application's own. By default GOMAXPROCS is left alone.
//
// Opt in when the application's goroutines and the I/O threads compete for
// Ps on few cores, in a throughput-bound service: an I/O thread is a locked
// goroutine that holds a P while it runs, and on a 2-vCPU machine the raise
// took 64 B TCP throughput from 3.4 M to 5.8 M msg/s, and 1.28× in a later
// 27-run comparison (engine's procs.go, docs/performance.md). It does not
// help latency. The raise is counted
// process-wide: when the last raising context closes GOMAXPROCS is back at
// its value before the first, in whatever order they close. If the
// application sets GOMAXPROCS while a raising context is open, its value
// stands: zring neither overrides nor restores it. Setting GOMAXPROCS at all
// ends the runtime's automatic GOMAXPROCS updates for the process.
func WithRaiseGOMAXPROCS(raise bool) ContextOption {
	return func(o *contextOptions) error {
		o.eng.RaiseGOMAXPROCS = raise
		return nil
	}
}

// PollerKind names an I/O-thread backend for WithPoller.
type PollerKind string

// Poller kinds for WithPoller.
const (
	// PollerAuto uses io_uring where this process can, epoll otherwise.
	PollerAuto PollerKind = PollerKind(poll.KindAuto)
	// PollerEpoll is edge-triggered epoll.
	PollerEpoll PollerKind = PollerKind(poll.KindEpoll)
	// PollerUring is io_uring; NewContext fails, naming the cause, where
	// it cannot work.
	PollerUring PollerKind = PollerKind(poll.KindUring)
)

// WithPoller chooses the I/O threads' backend. By default it is the value
// of $ZRING_POLLER (auto, epoll or uring), and auto if that is unset;
// Context.Poller reports what was chosen and why auto fell back.
func WithPoller(k PollerKind) ContextOption {
	return func(o *contextOptions) error {
		if _, err := poll.ParseKind(string(k)); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		o.eng.Poller = poll.Kind(k)
		return nil
	}
}

// Poller returns the name of the backend the context's I/O threads use
// ("uring" or "epoll") and, when the automatic choice fell back to epoll,
// why io_uring could not be used.
func (c *Context) Poller() (name string, fallback error) { return c.eng.Poller() }

// NewContext starts a context and its I/O threads.
func NewContext(opts ...ContextOption) (*Context, error) {
	var o contextOptions
	for i, opt := range opts {
		if opt == nil {
			return nil, fmt.Errorf("%w: context option %d is nil", ErrInvalid, i)
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	eng, err := engine.New(o.eng)
	if err != nil {
		// A CPU the process may not run on is a bad argument; the
		// cause stays matchable (affinity.ErrInvalidCPU, an errno).
		if errors.Is(err, affinity.ErrInvalidCPU) || errors.Is(err, syscall.EINVAL) {
			err = fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		return nil, stepErr("new context", err)
	}
	return &Context{eng: eng, sockets: make(map[*Socket]struct{}), logger: o.logger}, nil
}

// NewSocket creates a socket of type t with the given options. A nil
// Context or a nil Option is ErrInvalid, a closed Context ErrTerminated.
func (c *Context) NewSocket(t Type, opts ...Option) (*Socket, error) {
	if c == nil {
		return nil, fmt.Errorf("%w: nil *Context", ErrInvalid)
	}
	s := newSocket(c, t)
	if s.pat == nil {
		s.discard()
		return nil, fmt.Errorf("%w: socket type %v", ErrNotSupported, t)
	}
	if err := s.applyLocked(opts); err != nil { // s is not shared yet
		s.discard()
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.terminated {
		s.discard()
		return nil, ErrTerminated
	}
	c.sockets[s] = struct{}{}
	return s, nil
}

func (c *Context) forget(s *Socket) {
	c.mu.Lock()
	delete(c.sockets, s)
	c.mu.Unlock()
}

// Close terminates the context (zmq_ctx_term). Blocked calls on its sockets
// return ErrTerminated, sockets still open are closed, and Close waits until
// every socket's queued messages are delivered or its linger expires, then
// stops the I/O threads. With the default infinite linger it waits until
// queued messages reach their peers, as libzmq does.
func (c *Context) Close() error {
	c.mu.Lock()
	if c.terminated {
		c.mu.Unlock()
		return nil
	}
	c.terminated = true
	open := make([]*Socket, 0, len(c.sockets))
	for s := range c.sockets {
		open = append(open, s)
	}
	c.mu.Unlock()
	for _, s := range open {
		s.close(ErrTerminated)
	}
	c.lingering.Wait()
	return c.eng.Close()
}
