package engine

import (
	"runtime"
	"sync"
)

// Ps for I/O threads.
//
// An I/O thread is a locked goroutine, so while it runs Go code it holds one
// of the runtime's GOMAXPROCS Ps, and while it sleeps in epoll_wait its P
// sits in a system call. With GOMAXPROCS equal to the CPU count that costs
// twice: a running I/O thread leaves the user's goroutines one P short, and
// with no P idle the runtime's sysmon retakes the sleeping thread's P every
// tick (20 µs) and starts an M to hold it, which finds nothing to do and
// sleeps again — two context switches per tick, for nothing. Measured on
// the 2-vCPU VM, 64 B TCP throughput went from 3.4 M to 5.8 M msg/s (7
// interleaved runs each) when the I/O thread had a P of its own.
//
// So a Context raises GOMAXPROCS by its number of I/O threads, and Close
// lowers it by the same amount, the way libzmq's I/O threads come on top of
// the application's own. The runtime still schedules at most GOMAXPROCS
// goroutines at once; the extra P only stops the I/O threads from
// competing with the user for Ps. Options.KeepGOMAXPROCS turns this off.
// Note that any call to runtime.GOMAXPROCS ends the runtime's automatic
// GOMAXPROCS updates (Go ≥ 1.25) for the life of the process.

// procsMu serialises the read-modify-write of GOMAXPROCS between contexts.
var procsMu sync.Mutex

// addProcs changes GOMAXPROCS by delta, never below 1.
func addProcs(delta int) {
	procsMu.Lock()
	defer procsMu.Unlock()
	runtime.GOMAXPROCS(max(runtime.GOMAXPROCS(0)+delta, 1))
}
