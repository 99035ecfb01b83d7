//go:build !amd64

package cpuhint

import "unsafe"

// PrefetchWrite does nothing on this architecture.
func PrefetchWrite(p unsafe.Pointer) {}

// Pause does nothing on this architecture.
func Pause(n int) {}
