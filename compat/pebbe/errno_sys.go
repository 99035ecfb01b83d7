//go:build !plan9

package zmq4

import (
	"errors"
	"syscall"
)

func sysErrnoText(e Errno) string { return syscall.Errno(e).Error() }

func sysErrnoIs(e Errno, target error) bool {
	if t, ok := target.(syscall.Errno); ok {
		return uintptr(t) == uintptr(e)
	}
	return syscall.Errno(e).Is(target)
}

func sysErrnoOf(err error) (Errno, bool) {
	var se syscall.Errno
	if errors.As(err, &se) && se != 0 {
		return Errno(se), true
	}
	return 0, false
}
