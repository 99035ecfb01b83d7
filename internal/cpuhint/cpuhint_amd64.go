package cpuhint

import "unsafe"

// PrefetchWrite asks the CPU to bring the cache line at p into this core's
// cache, owned for writing (PREFETCHW). It never faults. A fence does not
// wait for a prefetch, so a line fetched this way ahead of use costs the
// hot path nothing, where a plain early write would stall the next atomic
// until the line arrived.
//
//go:noescape
func PrefetchWrite(p unsafe.Pointer)

// Pause spends n PAUSE instructions (each tens of nanoseconds on current
// CPUs) without touching memory, so a spinning reader leaves the line it
// polls to its writer for a while.
//
//go:noescape
func Pause(n int)
