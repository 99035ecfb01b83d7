// Package engine runs zring's I/O threads and, on them, the per-connection
// ZMTP engines (libzmq's word): sessions (Session), connections (Conn),
// listeners (Listener), reconnection, heartbeats, the security handshake
// and the ZAP requests it makes, endpoint parsing and resolution, dial and
// listen, and the TCP options.
//
// This is the lower-level API under the root package zring, public for
// those who embed the engine; it may change between releases. The engine
// reaches the socket a session serves only through the Socket interface
// (socket.go), which states which thread calls each method; the socket
// reaches a session through the pipe (internal/pipe) and the exported
// methods of Session, Listener and Conn.
//
// # Threads
//
// A Context owns a fixed set of Threads. Each Thread is a goroutine locked to
// its own OS thread (and optionally pinned to a CPU) running one event loop:
//
//	for {
//		drain the command mailbox (capped per pass)
//		run deferred work (capped per pass)
//		run due timers
//		wait in the poller (edge-triggered) unless work is pending
//		dispatch readiness events to Handlers, dropping stale ones
//	}
//
// Other goroutines talk to a Thread only through Post, which appends a func
// to the mailbox and wakes the thread through a coalescing eventfd: the
// eventfd is written only when the thread has declared itself asleep, so a
// burst of posts costs one syscall. Everything else on a Thread (Register,
// AddTimer, Defer, ...) must be called from the thread itself, that is from a
// Handler, a timer or a posted func. That single-owner rule is what lets the
// hot path run without locks.
//
// Each Thread names its OS thread zring/io/N (N its index in the Context),
// as libzmq names its ZMQbg/IO/N, so that top -H, perf and flame graphs
// show the I/O threads by name; the name lives and dies with the loop
// (thread_name.go). Its goroutine carries the profiler labels zring=io and
// thread=N (LabelKey, LabelIO, LabelThreadKey), so that go tool pprof
// -tagfocus cuts a CPU profile to the I/O threads' work.
//
// The engine needs Linux (epoll or io_uring, and eventfd). Elsewhere the
// package compiles, but New returns an error matching errors.ErrUnsupported.
package engine
