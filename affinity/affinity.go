package affinity

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/klauspost/cpuid/v2"
)

// Platform contract, implemented by affinity_<goos>.go:
//
//	func Pin(cpu int) error          // pins the calling OS thread
//	func Allowed() ([]int, error)     // sorted CPU IDs the process may use

// ErrInvalidCPU is returned by Pin for a CPU outside Allowed().
var ErrInvalidCPU = errors.New("affinity: cpu not allowed")

// ErrUnsupported is returned by Pin where thread affinity is not available.
// It matches errors.ErrUnsupported under errors.Is.
var ErrUnsupported = fmt.Errorf("affinity: thread pinning not supported: %w", errors.ErrUnsupported)

// defaultCacheLine is assumed when cpuid cannot report the line size.
const defaultCacheLine = 64

// Topology summarises the CPU as reported by cpuid for the current core.
// It describes the package's nominal layout, not the subset of CPUs this
// process may use (see Allowed).
type Topology struct {
	// LogicalCPUs is the number of hardware threads (runtime.NumCPU if unknown).
	LogicalCPUs int
	// PhysicalCores is the number of cores (LogicalCPUs/ThreadsPerCore if unknown).
	PhysicalCores int
	// ThreadsPerCore is the SMT width, at least 1.
	ThreadsPerCore int
	// CacheLine is the cache line size in bytes, 64 if unknown.
	CacheLine int
	// L1D is the level-1 data cache size in bytes, -1 if unknown.
	L1D int
	// L2 is the level-2 cache size in bytes, -1 if unknown.
	L2 int
	// L3 is the level-3 cache size in bytes, -1 if unknown.
	L3 int
}

// CacheLineSize returns the CPU's cache line size in bytes, or 64 when
// cpuid cannot tell.
func CacheLineSize() int {
	return positiveOr(cpuid.CPU.CacheLine, defaultCacheLine)
}

// Detect reads the topology from cpuid's package-level data, which was
// gathered at init. It has no side effects: unlike cpuid.ScanTopology it
// never moves the calling thread between CPUs.
func Detect() Topology {
	c := &cpuid.CPU
	t := Topology{
		LogicalCPUs:    positiveOr(c.LogicalCores, runtime.NumCPU()),
		ThreadsPerCore: positiveOr(c.ThreadsPerCore, 1),
		CacheLine:      CacheLineSize(),
		L1D:            positiveOr(c.Cache.L1D, -1),
		L2:             positiveOr(c.Cache.L2, -1),
		L3:             positiveOr(c.Cache.L3, -1),
	}
	t.PhysicalCores = positiveOr(c.PhysicalCores, max(1, t.LogicalCPUs/t.ThreadsPerCore))
	return t
}

// Plan chooses CPUs for n I/O threads from allowed (as returned by Allowed:
// distinct IDs in ascending order). The result has length n and is a new
// slice; allowed is not modified.
//
//   - n <= 0 or no allowed CPUs: nil.
//   - n >= len(allowed): every allowed CPU in order, then wrapping around, so
//     threads share CPUs only when they must.
//   - topo.ThreadsPerCore <= 1: the first n allowed CPUs.
//   - SMT: Linux sibling numbering is unknown (siblings may be adjacent, as
//     in 0/1, or half the list apart, as in 0/N), so the n CPUs are spread
//     evenly across the list, which avoids adjacent siblings whenever
//     n <= len(allowed)/2.
func Plan(n int, allowed []int, topo Topology) []int {
	if n <= 0 || len(allowed) == 0 {
		return nil
	}
	plan := make([]int, n)
	m := len(allowed)
	for i := range plan {
		switch {
		case n >= m:
			plan[i] = allowed[i%m]
		case topo.ThreadsPerCore <= 1:
			plan[i] = allowed[i]
		default:
			plan[i] = allowed[i*m/n]
		}
	}
	return plan
}

func positiveOr(v, fallback int) int {
	if v > 0 {
		return v
	}
	return fallback
}
