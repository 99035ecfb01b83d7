//go:build !linux

package affinity

import "runtime"

// Pin returns ErrUnsupported: this platform has no thread affinity API that
// zring uses. See the Linux documentation for the LockOSThread rules.
func Pin(cpu int) error { return ErrUnsupported }

// Allowed returns 0..runtime.NumCPU()-1: without an affinity mask every CPU
// is assumed usable, so Plan still works.
func Allowed() ([]int, error) {
	cpus := make([]int, runtime.NumCPU())
	for i := range cpus {
		cpus[i] = i
	}
	return cpus, nil
}
