// Package engine runs zring's I/O threads.
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
package engine
