//go:build !plan9

package zerr

import "syscall"

// errnoHostUnreachable is the errno ErrHostUnreachable also matches.
var errnoHostUnreachable error = syscall.EHOSTUNREACH
