// Command inproc_thr is zring's equivalent of libzmq's inproc_thr:
//
//	inproc_thr [flags] <message-size> <message-count>
//
// A worker goroutine's PUSH socket connects to inproc://thr_test and sends
// message-count messages of message-size bytes; the main goroutine's PULL
// socket binds inproc://thr_test and receives them. As in local_thr, the
// stopwatch starts after the first message and throughput is
// count/elapsed; the output lines are local_thr's. -batch N moves the
// messages with SendBatch and RecvBatch, N a call.
package main

import (
	"os"

	"github.com/zring/zring"
	"github.com/zring/zring/perf/internal/perfutil"
	"github.com/zring/zring/perf/perfmt"
)

const endpoint = "inproc://thr_test"

func main() {
	cfg := perfutil.Parse(perfutil.Tool{Name: "inproc_thr", Count: "message-count", MinCount: 1, NoEndpoint: true, Batch: true})
	cfg.StartProfile()
	ctx := cfg.Context()
	s := cfg.Open(ctx, zring.Pull, true, endpoint)

	done := make(chan struct{})
	go func() { // the worker: a PUSH that sends everything, then closes
		defer close(done)
		w := cfg.Open(ctx, zring.Push, false, endpoint)
		cfg.Send(w)
		cfg.CloseSocket(w)
	}()
	// Receive takes all Count: inproc loses nothing.
	elapsed, _ := cfg.Receive(s)
	<-done // like libzmq's join of the worker thread

	perfmt.PrintThroughput(os.Stdout, cfg.Size, cfg.Count, elapsed)
	cfg.CloseSocket(s)
	cfg.CloseContext(ctx)
}
