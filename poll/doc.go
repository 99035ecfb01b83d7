// Package poll is zring's readiness-notification layer: a small Poller
// contract (poll.go) with one backend per kernel interface, selected by
// file-name suffix.
//
// The only backend today is edge-triggered epoll (epoll_linux.go). An
// io_uring backend will implement the same contract later; New picks the
// best backend available on the running kernel.
//
// A Poller is owned by exactly one I/O thread: the goroutine that called
// runtime.LockOSThread (and usually affinity.Pin) and runs the event loop.
// Registrations carry a Token (slot index plus generation) instead of a Go
// pointer, in the same spirit as the runtime's pollDesc fdseq tag, so that
// events for a closed and reused slot can be recognised and dropped.
package poll
