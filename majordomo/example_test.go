//go:build linux

package majordomo_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/zring/zring"
	"github.com/zring/zring/majordomo"
)

// A broker, a worker offering "upper" and a client in one program, as the
// Guide's mdbroker, mdworker and mdclient are in three.
func Example() {
	zctx, err := zring.NewContext()
	if err != nil {
		panic(err)
	}
	defer zctx.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	broker, err := majordomo.NewBroker(zctx, majordomo.BrokerPolicy{}, nil)
	if err != nil {
		panic(err)
	}
	defer broker.Close()
	if err := broker.Bind("tcp://127.0.0.1:*"); err != nil {
		panic(err)
	}
	endpoint := broker.Endpoint()
	brokerCtx, stopBroker := context.WithCancel(ctx)
	brokerDone := make(chan error, 1)
	go func() { brokerDone <- broker.Run(brokerCtx) }()

	worker, err := majordomo.NewWorker(zctx, endpoint, "upper", majordomo.WorkerPolicy{})
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
			worker.Reply(req, []byte(strings.ToUpper(string(req.Body[0]))))
		}
	}()

	client, err := majordomo.NewClient(zctx, endpoint, majordomo.ClientPolicy{Timeout: 2 * time.Second, Retries: 2})
	if err != nil {
		panic(err)
	}
	defer client.Close()
	for _, word := range []string{"hello", "majordomo"} {
		reply, err := client.Request(ctx, "upper", []byte(word))
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s -> %s\n", word, reply[0])
	}
	for _, service := range []string{"upper", "lower"} {
		reply, err := client.Request(ctx, "mmi.service", []byte(service))
		if err != nil {
			panic(err)
		}
		fmt.Printf("mmi.service %s: %s\n", service, reply[0])
	}
	fmt.Printf("%+v\n", client.Stats())

	stopWorker()
	<-workerDone
	stopBroker()
	if err := <-brokerDone; err != nil {
		panic(err)
	}
	// Output:
	// hello -> HELLO
	// majordomo -> MAJORDOMO
	// mmi.service upper: 200
	// mmi.service lower: 404
	// {Sent:4 Answered:4 Retried:0 Failed:0}
}

// Under MDP/0.2 a worker answers one request with PARTIAL replies, then a
// FINAL one; the client ranges over them as they come.
func ExampleClient_RequestStream() {
	zctx, err := zring.NewContext()
	if err != nil {
		panic(err)
	}
	defer zctx.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	broker, err := majordomo.NewBroker(zctx, majordomo.BrokerPolicy{}, nil)
	if err != nil {
		panic(err)
	}
	defer broker.Close()
	if err := broker.Bind("tcp://127.0.0.1:*"); err != nil {
		panic(err)
	}
	brokerCtx, stopBroker := context.WithCancel(ctx)
	brokerDone := make(chan error, 1)
	go func() { brokerDone <- broker.Run(brokerCtx) }()

	v02 := majordomo.WorkerPolicy{Version: majordomo.V02}
	worker, err := majordomo.NewWorker(zctx, broker.Endpoint(), "words", v02)
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
			words := strings.Fields(string(req.Body[0]))
			for _, w := range words {
				worker.ReplyPartial(req, []byte(w))
			}
			worker.Reply(req, fmt.Appendf(nil, "%d words", len(words)))
		}
	}()

	client, err := majordomo.NewClient(zctx, broker.Endpoint(), majordomo.ClientPolicy{Version: majordomo.V02})
	if err != nil {
		panic(err)
	}
	defer client.Close()
	for body, err := range client.RequestStream(ctx, "words", []byte("one request, many replies")) {
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s\n", body[0])
	}

	stopWorker()
	<-workerDone
	stopBroker()
	if err := <-brokerDone; err != nil {
		panic(err)
	}
	// Output:
	// one
	// request,
	// many
	// replies
	// 4 words
}
