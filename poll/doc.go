// Package poll is zring's readiness-notification layer: a small Poller
// contract (poll.go) with one backend per kernel interface, selected by
// file-name suffix.
//
// Two backends exist on Linux: edge-triggered epoll (epoll_linux.go) and
// io_uring (uring_linux.go, over the small binding in poll/uring), which
// sleeps in io_uring_enter and takes readiness from an epoll interest list
// nested in the ring. Open picks one by Kind: auto tries io_uring and falls
// back to epoll, reporting why (kernel too old, kernel.io_uring_disabled,
// a seccomp filter, a missing feature). Other platforms have neither: the
// package compiles there (poll_other.go), but NewEpoll, NewUring and Open
// return errors matching ErrUnsupported and errors.ErrUnsupported.
//
// A Poller is owned by exactly one I/O thread: the goroutine that called
// runtime.LockOSThread (and usually affinity.Pin) and runs the event loop.
// Registrations carry a Token (slot index plus generation) instead of a Go
// pointer, in the same spirit as the runtime's pollDesc fdseq tag, so that
// events for a closed and reused slot can be recognised and dropped.
//
// This is a lower-level API under the root package zring, public for those
// who embed the engine; it may change between releases. Applications use
// zring.
package poll
