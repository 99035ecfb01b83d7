// Package uring is a small io_uring binding over golang.org/x/sys, with no
// cgo: ring setup with feature probing, the mmap'd submission and
// completion queues, io_uring_enter, and the registrations zring uses.
//
// A Ring belongs to one OS thread for its whole life: the goroutine that
// called runtime.LockOSThread and then New, because rings are created with
// IORING_SETUP_SINGLE_ISSUER (and DEFER_TASKRUN, whose completion work runs
// only inside that thread's io_uring_enter) where the kernel has them.
// Nothing in a Ring is synchronised; only the kernel shares its memory.
//
// Memory the kernel reads or writes after a call returns (the rings
// themselves, provided-buffer rings and their buffers, BufRing) lives in
// mmap'd regions that the
// garbage collector neither moves nor scans. A submission's user data is
// an opaque 64-bit value; callers put an index plus a generation there,
// never a Go pointer.
//
// Blocking waits enter the kernel through unix.Syscall6, which lets the Go
// scheduler hand the thread's P to other goroutines, and an EINTR (the
// runtime's preemption signal) is reported as zero completions, not as an
// error.
package uring
