package engine

import "strconv"

// threadName is the name I/O thread id gives its OS thread, after
// libzmq's ZMQbg/IO/N, so that top -H, perf, flame graphs and
// /proc/PID/task/TID/comm tell the I/O threads from the Go runtime's.
// Linux keeps the first 15 bytes: ids up to 99999 fit.
func threadName(id int) string { return "zring/io/" + strconv.Itoa(id) }

// The OS thread of an I/O thread is named for as long as the loop runs,
// and only then. The rules that keep a name from leaking to other
// goroutines:
//
//   - The loop's goroutine stays locked to its OS thread until it exits,
//     so the Go runtime destroys that thread instead of handing it to
//     other goroutines (thread.go, run). The name dies with it.
//   - Threads the runtime starts while a locked goroutine runs are cloned
//     from its template thread, never from the locked one, so they do
//     not inherit the name either.
//   - The loop never runs on the process's main thread (hopOffMain): the
//     main thread's name is the process's own (ps, pgrep, killall), and
//     the runtime parks that thread for good rather than destroy it.
//   - The name is put back as the loop's last act, before Close returns,
//     so that nothing seen after Close carries it, although the thread
//     may take a moment more to go.
