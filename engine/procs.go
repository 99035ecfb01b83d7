package engine

import (
	"runtime"
	"sync"
)

// Ps for I/O threads (opt-in: Options.RaiseGOMAXPROCS).
//
// An I/O thread is a locked goroutine, so while it runs Go code it holds one
// of the runtime's GOMAXPROCS Ps, and while it sleeps in epoll_wait its P
// sits in a system call. With GOMAXPROCS equal to the CPU count that costs
// twice: a running I/O thread leaves the user's goroutines one P short, and
// with no P idle the runtime's sysmon retakes the sleeping thread's P every
// tick (20 µs) and starts an M to hold it, which finds nothing to do and
// sleeps again — two context switches per tick, for nothing. Measured on
// the 2-vCPU VM, 64 B TCP throughput went from 3.4 M to 5.8 M msg/s (7
// interleaved runs each) when the I/O thread had a P of its own; a later
// comparison (bench/run procs, 27 runs) gave 1.28×, with latency unchanged.
//
// GOMAXPROCS is a process-wide setting, and a library should not change it
// behind the application's back, so by default a Context leaves it alone.
// With Options.RaiseGOMAXPROCS a Context raises it by its number of I/O
// threads for its lifetime, the way libzmq's I/O threads come on top of the
// application's own. The runtime still schedules at most GOMAXPROCS
// goroutines at once; the extra P only stops the I/O threads from competing
// with the user for Ps. It pays where the application's goroutines and the
// I/O threads compete for few cores (throughput-bound services); it did not
// change latency.
//
// The raise is accounted process-wide, not per Context: held counts the I/O
// threads of the open raising contexts, base is GOMAXPROCS when held went
// from 0 to more, and GOMAXPROCS is set to base+held on every change, so
// when the last raising context closes it is back at base whatever the order
// the contexts were opened and closed in.
//
// If anything else sets GOMAXPROCS while held > 0 (the application, another
// library), that value stands: zring notices that GOMAXPROCS is no longer
// the value it set, stops touching it until held returns to 0, and then does
// not restore base either. An explicit choice is never overwritten, and the
// next context to raise it takes that choice as its base.
//
// Note that any call to runtime.GOMAXPROCS ends the runtime's automatic
// GOMAXPROCS updates (Go ≥ 1.25, when the CPU limit of the cgroup changes)
// for the life of the process, restoring base included: another reason the
// raise is not the default.

// procs is the process-wide account of the raise, guarded by procsMu.
var (
	procsMu sync.Mutex
	procs   struct {
		held int // I/O threads of the open contexts that raised GOMAXPROCS
		base int // GOMAXPROCS when held went from 0 to more
		// set is the value zring last gave GOMAXPROCS; 0 once something
		// else changed it, until held returns to 0.
		set int
	}
)

// raiseProcs adds c's n I/O threads to the raise.
func (c *Context) raiseProcs(n int) {
	procsMu.Lock()
	defer procsMu.Unlock()
	if procs.held == 0 {
		procs.base = runtime.GOMAXPROCS(0)
		procs.set = procs.base
	}
	procs.held += n
	c.procs = n
	applyProcs()
}

// lowerProcs takes c's I/O threads off the raise, once.
func (c *Context) lowerProcs() {
	procsMu.Lock()
	defer procsMu.Unlock()
	if c.procs == 0 {
		return
	}
	procs.held -= c.procs
	c.procs = 0
	applyProcs()
}

// applyProcs sets GOMAXPROCS to base+held, unless something else has
// changed it since zring last did. procsMu is held.
func applyProcs() {
	if procs.set == 0 {
		return
	}
	if runtime.GOMAXPROCS(0) != procs.set {
		procs.set = 0 // not ours any more
		return
	}
	procs.set = max(procs.base+procs.held, 1)
	runtime.GOMAXPROCS(procs.set)
}
