package engine

import (
	"context"
	"runtime/pprof"
	"strconv"
)

// The profiler labels every I/O thread's goroutine carries, so that a CPU
// profile can be cut to the I/O threads' work (go tool pprof -tagfocus
// zring=io) or to one of them (-tagfocus thread=N, the N of zring/io/N).
// Goroutines an I/O thread starts inherit them: a wss:// connection's
// bridge copies and a ws:// or wss:// dial count as that thread's work.
const (
	LabelKey       = "zring"  // the key marking zring's goroutines
	LabelIO        = "io"     // its value on an I/O thread
	LabelThreadKey = "thread" // the key of the thread's index in its Context
)

// labelThread sets the calling goroutine's profiler labels to those of
// I/O thread id.
func labelThread(id int) {
	pprof.SetGoroutineLabels(pprof.WithLabels(context.Background(),
		pprof.Labels(LabelKey, LabelIO, LabelThreadKey, strconv.Itoa(id))))
}
