//go:build !linux

package engine

import "runtime"

// checkPlatform returns an error matching errors.ErrUnsupported: New cannot
// start I/O threads off Linux.
func checkPlatform() error { return unsupportedError(runtime.GOOS) }
