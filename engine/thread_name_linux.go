package engine

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// osThreadNameBytes is the size of a Linux thread name, NUL included
// (TASK_COMM_LEN).
const osThreadNameBytes = 16

// nameOSThread gives the calling OS thread the name name (PR_SET_NAME) and
// returns the one it had, for restoreOSThreadName. The caller is locked to
// its thread. Names longer than 15 bytes are cut by the kernel.
func nameOSThread(name string) (old string, err error) {
	var buf [osThreadNameBytes]byte
	if err := unix.Prctl(unix.PR_GET_NAME, uintptr(unsafe.Pointer(&buf[0])), 0, 0, 0); err != nil {
		return "", os.NewSyscallError("prctl PR_GET_NAME", err)
	}
	old = unix.ByteSliceToString(buf[:])
	return old, setOSThreadName(name)
}

// restoreOSThreadName puts back the name nameOSThread returned.
func restoreOSThreadName(old string) error { return setOSThreadName(old) }

func setOSThreadName(name string) error {
	p, err := unix.BytePtrFromString(name)
	if err != nil {
		return err
	}
	return os.NewSyscallError("prctl PR_SET_NAME", unix.Prctl(unix.PR_SET_NAME, uintptr(unsafe.Pointer(p)), 0, 0, 0))
}

// onMainThread reports whether the caller runs on the process's main
// thread, whose thread id is the process id. A variable, so that a test
// can make a thread look like the main one.
var onMainThread = func() bool { return unix.Gettid() == unix.Getpid() }
