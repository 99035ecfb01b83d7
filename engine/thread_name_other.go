//go:build !linux

package engine

// Off Linux no I/O thread runs (New fails), so there is nothing to name.

func nameOSThread(string) (string, error) { return "", nil }

func restoreOSThreadName(string) error { return nil }

var onMainThread = func() bool { return false }
