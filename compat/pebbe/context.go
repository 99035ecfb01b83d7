package zmq4

import (
	"math"
	"runtime"
	"sync"

	"github.com/zring/zring"
)

// Defaults of the context options, as libzmq's.
const (
	MaxSocketsDflt = 1023
	IoThreadsDflt  = 1
)

// maxMsgszDflt is libzmq's default ZMQ_MAX_MSGSZ (INT_MAX).
const maxMsgszDflt = math.MaxInt32

/*
A Context is a context that is not the default context: a zring.Context
and the options libzmq keeps in a context.

Its zring.Context (and so its I/O threads) is made by NewContext, and
made again when SetIoThreads changes the number before the context's first
socket, as libzmq applies ZMQ_IO_THREADS only then.
*/
type Context struct{ c *ctxState }

// ctxState is a Context's state, apart from the Context so that a cleanup
// can terminate it once the Context is unreachable.
type ctxState struct {
	mu         sync.Mutex
	z          *zring.Context // nil until started
	opened     bool           // false after Term
	err        error          // Term's error, returned again by later calls
	made       bool           // a socket was made: the I/O threads are fixed
	sockets    int            // sockets open (MaxSockets counts them)
	ioThreads  int
	maxSockets int
	maxMsgsz   int
	ipv6       bool
	blocky     bool
	retryEINTR bool
}

func newCtxState() *ctxState {
	return &ctxState{opened: true, ioThreads: IoThreadsDflt, maxSockets: MaxSocketsDflt,
		maxMsgsz: maxMsgszDflt, blocky: true, retryEINTR: true}
}

// defaultCtx is the package's default context, used by the functions
// without a context receiver. It starts its zring.Context at its first
// socket, so that a program that imports the package starts no threads.
var defaultCtx = &Context{newCtxState()}

// NewContext creates a new context.
func NewContext() (ctx *Context, err error) {
	st := newCtxState()
	ctx = &Context{st}
	st.mu.Lock()
	err = st.start()
	if err != nil {
		st.opened = false
		st.err = err
	}
	st.mu.Unlock()
	if err == nil {
		runtime.AddCleanup(ctx, func(st *ctxState) { st.term() }, st)
	}
	return ctx, err
}

// start makes the zring.Context if there is none; st.mu is held.
func (st *ctxState) start() error {
	if st.z != nil {
		return nil
	}
	z, err := zring.NewContext(zring.WithIOThreads(max(st.ioThreads, 1)))
	if err != nil {
		return errget(err)
	}
	st.z = z
	return nil
}

// state returns the context's state, or an error for a nil or terminated
// Context.
func (ctx *Context) state() (*ctxState, error) {
	if ctx == nil || ctx.c == nil {
		return nil, EFAULT // libzmq's answer for a NULL context
	}
	return ctx.c, nil
}

/*
Term terminates the default context.

Blocked calls on its sockets return ETERM; sockets still open are closed
(libzmq waits for the application to close them), after their queued
messages are delivered or their linger expires, as in libzmq.
*/
func Term() error {
	return defaultCtx.Term()
}

/*
Term terminates the context.

Blocked calls on its sockets return ETERM; sockets still open are closed
(libzmq waits for the application to close them), after their queued
messages are delivered or their linger expires, as in libzmq.
*/
func (ctx *Context) Term() error {
	st, err := ctx.state()
	if err != nil {
		return err
	}
	return st.term()
}

func (st *ctxState) term() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.opened {
		st.opened = false
		if st.z != nil {
			st.err = errget(st.z.Close())
		}
	}
	return st.err
}

// get reads an option under the lock, for an open context.
func get[T any](ctx *Context, f func(*ctxState) T) (T, error) {
	var zero T
	st, err := ctx.state()
	if err != nil {
		return zero, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.opened {
		return zero, ErrorContextClosed
	}
	return f(st), nil
}

// set changes an option under the lock, for an open context.
func set(ctx *Context, f func(*ctxState) error) error {
	st, err := ctx.state()
	if err != nil {
		return err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.opened {
		return ErrorContextClosed
	}
	return f(st)
}

// GetIoThreads returns the number of I/O threads of the default context.
func GetIoThreads() (int, error) { return defaultCtx.GetIoThreads() }

// GetIoThreads returns the number of I/O threads.
func (ctx *Context) GetIoThreads() (int, error) {
	return get(ctx, func(st *ctxState) int { return st.ioThreads })
}

// GetMaxSockets returns the maximum number of sockets of the default
// context.
func GetMaxSockets() (int, error) { return defaultCtx.GetMaxSockets() }

// GetMaxSockets returns the maximum number of sockets open at once.
func (ctx *Context) GetMaxSockets() (int, error) {
	return get(ctx, func(st *ctxState) int { return st.maxSockets })
}

// GetMaxMsgsz returns the maximum message size of the default context.
func GetMaxMsgsz() (int, error) { return defaultCtx.GetMaxMsgsz() }

// GetMaxMsgsz returns the maximum message size: libzmq's default, INT_MAX,
// which is all zring offers (see SetMaxMsgsz).
func (ctx *Context) GetMaxMsgsz() (int, error) {
	return get(ctx, func(st *ctxState) int { return st.maxMsgsz })
}

// GetIpv6 returns the IPv6 option of the default context.
func GetIpv6() (bool, error) { return defaultCtx.GetIpv6() }

// GetIpv6 returns the IPv6 option: whether new sockets get IPv6.
func (ctx *Context) GetIpv6() (bool, error) {
	return get(ctx, func(st *ctxState) bool { return st.ipv6 })
}

// GetBlocky returns the blocky setting of the default context.
func GetBlocky() (bool, error) { return defaultCtx.GetBlocky() }

// GetBlocky returns the blocky setting: whether new sockets linger
// forever by default (true) or not at all (false).
func (ctx *Context) GetBlocky() (bool, error) {
	return get(ctx, func(st *ctxState) bool { return st.blocky })
}

// GetRetryAfterEINTR returns the retry-after-EINTR setting of the default
// context.
func GetRetryAfterEINTR() bool { return defaultCtx.GetRetryAfterEINTR() }

// GetRetryAfterEINTR returns the retry-after-EINTR setting. zring's calls
// are never interrupted by signals (there is no EINTR to retry), so the
// setting is kept for the API alone.
func (ctx *Context) GetRetryAfterEINTR() bool {
	st, err := ctx.state()
	if err != nil {
		return false
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.retryEINTR
}

/*
SetIoThreads sets the number of I/O threads of the default context.
See (*Context).SetIoThreads.
*/
func SetIoThreads(n int) error { return defaultCtx.SetIoThreads(n) }

/*
SetIoThreads sets the number of I/O threads. As in libzmq it applies only
before the context's first socket; after it, setting the number in force is
accepted and another number is an error matching ENOTSUP (libzmq ignores
it). zring needs an I/O thread even for inproc-only use, so 0 is an error
matching ENOTSUP too. Default value: 1.
*/
func (ctx *Context) SetIoThreads(n int) error {
	return set(ctx, func(st *ctxState) error {
		switch {
		case n < 0:
			return EINVAL
		case n == st.ioThreads:
			return nil
		case n == 0:
			return unsupported("IO_THREADS 0 (zring always runs at least one I/O thread)")
		case st.made:
			return unsupported("changing IO_THREADS from %d to %d after the context's first socket", st.ioThreads, n)
		}
		st.ioThreads = n
		if st.z == nil {
			return nil // the default context: started at its first socket
		}
		// No socket yet: start again with n threads.
		old := st.z
		st.z = nil
		_ = old.Close()
		return st.start()
	})
}

// SetThreadSchedPolicy sets the scheduling policy of the default
// context's I/O threads. See (*Context).SetThreadSchedPolicy.
func SetThreadSchedPolicy(n int) error { return defaultCtx.SetThreadSchedPolicy(n) }

// SetThreadSchedPolicy would set the scheduling policy of the I/O
// threads: zring's I/O threads are goroutines locked to OS threads, and
// have no such option, so any value but the default -1 is an error
// matching ENOTSUP.
func (ctx *Context) SetThreadSchedPolicy(n int) error {
	return set(ctx, func(*ctxState) error {
		if n == -1 {
			return nil
		}
		return unsupported("THREAD_SCHED_POLICY")
	})
}

// SetThreadPriority sets the scheduling priority of the default
// context's I/O threads. See (*Context).SetThreadPriority.
func SetThreadPriority(n int) error { return defaultCtx.SetThreadPriority(n) }

// SetThreadPriority would set the priority of the I/O threads: zring has
// no such option, so any value but the default -1 is an error matching
// ENOTSUP.
func (ctx *Context) SetThreadPriority(n int) error {
	return set(ctx, func(*ctxState) error {
		if n == -1 {
			return nil
		}
		return unsupported("THREAD_PRIORITY")
	})
}

// SetMaxMsgsz sets the maximum message size of the default context. See
// (*Context).SetMaxMsgsz.
func SetMaxMsgsz(n int) error { return defaultCtx.SetMaxMsgsz(n) }

// SetMaxMsgsz would set a context-wide maximum message size: zring has no
// context-wide limit (each socket's SetMaxmsgsize limits what it
// receives), so any value but the default, INT_MAX, is an error matching
// ENOTSUP. A negative value is EINVAL.
func (ctx *Context) SetMaxMsgsz(n int) error {
	return set(ctx, func(st *ctxState) error {
		switch {
		case n < 0:
			return EINVAL
		case n == st.maxMsgsz:
			return nil
		}
		return unsupported("MAX_MSGSZ %d (zring limits message size per socket: SetMaxmsgsize)", n)
	})
}

// SetMaxSockets sets the maximum number of sockets of the default context.
func SetMaxSockets(n int) error { return defaultCtx.SetMaxSockets(n) }

// SetMaxSockets sets the maximum number of sockets open at once; NewSocket
// beyond it fails with EMFILE, as in libzmq. zring has no limit of its own.
// Default value: 1023.
func (ctx *Context) SetMaxSockets(n int) error {
	return set(ctx, func(st *ctxState) error {
		if n < 1 {
			return EINVAL
		}
		st.maxSockets = n
		return nil
	})
}

// SetIpv6 sets the IPv6 option of the default context. See
// (*Context).SetIpv6.
func SetIpv6(i bool) error { return defaultCtx.SetIpv6(i) }

// SetIpv6 sets the IPv6 option of the sockets created in the context from
// now on. Default value: false.
func (ctx *Context) SetIpv6(i bool) error {
	return set(ctx, func(st *ctxState) error {
		st.ipv6 = i
		return nil
	})
}

// SetBlocky sets the blocky behaviour of the default context. See
// (*Context).SetBlocky.
func SetBlocky(i bool) error { return defaultCtx.SetBlocky(i) }

// SetBlocky sets the blocky behaviour: with false, sockets created from
// now on have a linger of 0 instead of forever, so Term does not wait for
// their messages, as in libzmq. Default value: true.
func (ctx *Context) SetBlocky(i bool) error {
	return set(ctx, func(st *ctxState) error {
		st.blocky = i
		return nil
	})
}

// SetRetryAfterEINTR sets the retry-after-EINTR setting of the default
// context.
func SetRetryAfterEINTR(retry bool) { defaultCtx.SetRetryAfterEINTR(retry) }

// SetRetryAfterEINTR sets the retry-after-EINTR setting. zring's calls are
// never interrupted by signals, so it changes nothing but what
// GetRetryAfterEINTR returns. Initial value: true.
func (ctx *Context) SetRetryAfterEINTR(retry bool) {
	if st, err := ctx.state(); err == nil {
		st.mu.Lock()
		st.retryEINTR = retry
		st.mu.Unlock()
	}
}

// newSocket makes a zring socket of type t with the context's defaults.
func (st *ctxState) newSocket(t Type) (*zring.Socket, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.opened {
		return nil, ErrorContextClosed
	}
	if _, ok := typeNames[t]; !ok {
		return nil, EINVAL
	}
	if st.sockets >= st.maxSockets {
		return nil, EMFILE
	}
	if err := st.start(); err != nil {
		return nil, err
	}
	var opts []zring.Option
	if st.ipv6 {
		opts = append(opts, zring.WithIPv6(true))
	}
	if !st.blocky {
		opts = append(opts, zring.WithLinger(0))
	}
	zs, err := st.z.NewSocket(zring.Type(t), opts...)
	if err != nil {
		return nil, errget(err)
	}
	st.made = true
	st.sockets++
	return zs, nil
}

// closed counts a socket closed.
func (st *ctxState) closed() {
	st.mu.Lock()
	st.sockets--
	st.mu.Unlock()
}
