// Package affinity pins I/O threads to CPUs and describes the CPU topology
// used to place them.
//
// The usual sequence for an I/O thread (engine.md §6) is:
//
//	go func() {
//		runtime.LockOSThread()
//		// Never call runtime.UnlockOSThread: see Pin.
//		if err := affinity.Pin(cpu); err != nil { ... }
//		loop()
//		// Returning while locked makes the runtime destroy the thread.
//	}()
//
// If the locked goroutine happens to run on the process's main thread, the
// runtime cannot destroy that thread on exit; it parks it for good instead,
// still pinned but idle. Allowed is written to be unaffected by such threads.
//
// CPUs are chosen once at startup with Plan over Allowed, which reflects
// taskset and cgroup cpusets. Pinning does not isolate a CPU: GC workers and
// other processes still run there unless cpusets, isolcpus or nohz_full are
// used. Threads the runtime creates later do not inherit a pin, because the
// runtime starts new threads from its template thread while the current one
// is locked.
//
// The contract (Pin, Allowed) lives in affinity.go; affinity_linux.go and
// affinity_other.go implement it.
//
// This is a lower-level API under the root package zring, public for those
// who embed the engine; it may change between releases. Applications use
// zring.
package affinity
