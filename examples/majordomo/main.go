// Command majordomo runs the Majordomo pattern (zguide chapter 4,
// "Service-Oriented Reliable Queuing"; spec 7/MDP) in one program: a
// broker, workers offering the "echo" service, and a client that sends
// requests through the broker and checks each reply. It asks the broker's
// mmi.service first, as a client finding out whether a service exists.
//
//	go run ./examples/majordomo -requests 100 -workers 3
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"time"

	"github.com/zring/zring"
	"github.com/zring/zring/majordomo"
)

type config struct {
	Endpoint string // where the broker binds
	Requests int    // requests the client sends
	Workers  int    // workers offering "echo"
}

func main() {
	var cfg config
	flag.StringVar(&cfg.Endpoint, "endpoint", "tcp://127.0.0.1:5555", "broker endpoint")
	flag.IntVar(&cfg.Requests, "requests", 10, "requests to send")
	flag.IntVar(&cfg.Workers, "workers", 2, "echo workers")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "majordomo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	zctx, err := zring.NewContext()
	if err != nil {
		return err
	}
	defer zctx.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	broker, err := majordomo.NewBroker(zctx, majordomo.BrokerPolicy{}, nil)
	if err != nil {
		return err
	}
	defer broker.Close()
	if err := broker.Bind(cfg.Endpoint); err != nil {
		return err
	}
	endpoint := broker.Endpoint() // a wildcard port resolved
	brokerDone := make(chan error, 1)
	go func() { brokerDone <- broker.Run(ctx) }()

	workersDone := make(chan error, cfg.Workers)
	for range cfg.Workers {
		w, err := majordomo.NewWorker(zctx, endpoint, "echo", majordomo.WorkerPolicy{})
		if err != nil {
			return err
		}
		go func() { workersDone <- serve(ctx, w) }()
	}

	client, err := majordomo.NewClient(zctx, endpoint, majordomo.ClientPolicy{Timeout: time.Second, Retries: 3})
	if err != nil {
		return err
	}
	defer client.Close()
	if err := awaitService(ctx, client, "echo"); err != nil {
		return err
	}
	for i := range cfg.Requests {
		body := "request " + strconv.Itoa(i)
		reply, err := client.Request(ctx, "echo", []byte(body))
		if err != nil {
			return err
		}
		if len(reply) != 1 || string(reply[0]) != body {
			return fmt.Errorf("request %d answered %q", i, reply)
		}
	}
	st := client.Stats()
	fmt.Fprintf(out, "%d requests, %d answered, %d retried, %d failed\n", st.Sent, st.Answered, st.Retried, st.Failed)

	cancel()
	for range cfg.Workers {
		if err := <-workersDone; err != nil {
			return err
		}
	}
	if err := <-brokerDone; err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// serve answers each request with its own body until ctx ends.
func serve(ctx context.Context, w *majordomo.Worker) error {
	defer w.Close()
	for {
		req, err := w.Recv(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if err := w.Reply(req, req.Body...); err != nil {
			return err
		}
	}
}

// awaitService asks the broker's mmi.service until service has workers:
// they register a moment after they start.
func awaitService(ctx context.Context, c *majordomo.Client, service string) error {
	for {
		reply, err := c.Request(ctx, "mmi.service", []byte(service))
		if err != nil {
			return err
		}
		if len(reply) == 1 && string(reply[0]) == "200" {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}
