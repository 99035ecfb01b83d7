//go:build linux

package pirate_test

import (
	"context"
	"fmt"
	"time"

	"github.com/zring/zring"
	"github.com/zring/zring/pirate"
)

// A Paranoid Pirate queue with one worker, and a Lazy Pirate client.
func Example() {
	zctx, err := zring.NewContext()
	if err != nil {
		panic(err)
	}
	defer zctx.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	queue, err := pirate.NewQueue(zctx, pirate.HeartbeatPolicy{})
	if err != nil {
		panic(err)
	}
	defer queue.Close()
	if err := queue.BindFrontend("tcp://127.0.0.1:*"); err != nil {
		panic(err)
	}
	if err := queue.BindBackend("tcp://127.0.0.1:*"); err != nil {
		panic(err)
	}
	queueCtx, stopQueue := context.WithCancel(ctx)
	queueDone := make(chan error, 1)
	go func() { queueDone <- queue.Run(queueCtx) }()

	worker, err := pirate.NewWorker(zctx, queue.BackendEndpoint(), pirate.WorkerPolicy{})
	if err != nil {
		panic(err)
	}
	workerCtx, stopWorker := context.WithCancel(ctx)
	workerDone := make(chan struct{})
	go func() {
		defer close(workerDone)
		defer worker.Close()
		for {
			req, err := worker.Recv(workerCtx)
			if err != nil {
				return
			}
			worker.Reply(req, append([]byte("echo: "), req.Body[0]...))
		}
	}()

	client, err := pirate.NewLazyClient(zctx, queue.FrontendEndpoint(), pirate.Policy{Timeout: 2 * time.Second, Retries: 3, Backoff: 100 * time.Millisecond})
	if err != nil {
		panic(err)
	}
	defer client.Close()
	for i := 1; i <= 3; i++ {
		reply, err := client.Request(ctx, []byte(fmt.Sprint(i)))
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s\n", reply[0])
	}
	fmt.Printf("%+v\n", client.Stats())

	stopWorker()
	<-workerDone
	stopQueue()
	if err := <-queueDone; err != nil {
		panic(err)
	}
	// Output:
	// echo: 1
	// echo: 2
	// echo: 3
	// {Sent:3 Answered:3 Retried:0 Failed:0}
}
