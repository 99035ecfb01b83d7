// Command lbbroker shows the load-balancing broker (zguide chapter 3,
// "Advanced Request-Reply Patterns"). Clients (REQ) talk to a ROUTER
// frontend, workers (REQ) to a ROUTER backend. A worker says READY when
// it starts and hands back each result as its next request for work; the
// broker keeps the workers that are free in arrival order and gives each
// client request to the one that has waited longest. While no worker is
// free the broker stops reading the frontend, so clients queue there.
//
//	go run ./examples/lbbroker -clients 10 -workers 3
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"sync"

	"github.com/zring/zring"
)

type config struct {
	Frontend string // the clients' endpoint
	Backend  string // the workers' endpoint
	Clients  int
	Workers  int
	Requests int // requests per client
}

func main() {
	var cfg config
	flag.StringVar(&cfg.Frontend, "frontend", "inproc://frontend", "clients' endpoint")
	flag.StringVar(&cfg.Backend, "backend", "inproc://backend", "workers' endpoint")
	flag.IntVar(&cfg.Clients, "clients", 10, "client goroutines")
	flag.IntVar(&cfg.Workers, "workers", 3, "worker goroutines")
	flag.IntVar(&cfg.Requests, "requests", 1, "requests per client")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "lbbroker:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	if cfg.Clients < 1 || cfg.Workers < 1 || cfg.Requests < 1 {
		return errors.New("clients, workers and requests must be at least 1")
	}
	zctx, err := zring.NewContext()
	if err != nil {
		return err
	}
	defer zctx.Close()

	frontend, err := bound(zctx, cfg.Frontend)
	if err != nil {
		return err
	}
	backend, err := bound(zctx, cfg.Backend)
	if err != nil {
		return err
	}

	var workers, clients sync.WaitGroup
	errs := make(chan error, cfg.Clients+cfg.Workers)
	for i := range cfg.Workers {
		workers.Go(func() { errs <- worker(ctx, zctx, backend.Endpoint(), fmt.Sprintf("worker-%d", i)) })
	}
	replies := make(chan string, cfg.Clients*cfg.Requests)
	for i := range cfg.Clients {
		clients.Go(func() {
			errs <- client(ctx, zctx, frontend.Endpoint(), fmt.Sprintf("client-%d", i), cfg.Requests, replies)
		})
	}

	err = broker(ctx, frontend, backend, cfg.Workers, cfg.Clients*cfg.Requests)
	if err != nil {
		zctx.Close() // unblocks the clients still waiting
	}
	clients.Wait()
	zctx.Close() // ends the workers' blocked receives
	workers.Wait()
	close(errs)
	close(replies)
	for e := range errs {
		err = errors.Join(err, e)
	}
	if err != nil {
		return err
	}
	return report(out, replies)
}

// report prints every reply, then how many requests each worker served.
func report(out io.Writer, replies <-chan string) error {
	var lines []string
	perWorker := map[string]int{}
	for r := range replies {
		lines = append(lines, r)
		var client, worker string
		if _, err := fmt.Sscanf(r, "%s served by %s", &client, &worker); err != nil {
			return fmt.Errorf("reply %q: %w", r, err)
		}
		perWorker[worker]++
	}
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Fprintln(out, l)
	}
	var workers []string
	for w := range perWorker {
		workers = append(workers, w)
	}
	sort.Strings(workers)
	for _, w := range workers {
		fmt.Fprintf(out, "%s handled %d\n", w, perWorker[w])
	}
	return nil
}

func bound(zctx *zring.Context, endpoint string) (*zring.Socket, error) {
	s, err := zctx.NewSocket(zring.Router)
	if err != nil {
		return nil, err
	}
	return s, s.Bind(endpoint)
}

// broker routes until it has passed total replies back to clients. It
// serves no client before all workers have reported READY, so how the
// work spreads does not depend on start-up timing.
func broker(ctx context.Context, frontend, backend *zring.Socket, workers, total int) error {
	var free [][]byte // routing ids of idle workers, longest idle first
	poller, err := zring.NewPoller(
		zring.PollItem{Socket: backend, Events: zring.PollIn},
		zring.PollItem{Socket: frontend, Events: zring.PollIn})
	if err != nil {
		return err
	}
	defer poller.Close()
	ready := 0
	for served := 0; served < total; {
		// Read the frontend only when a worker can take the request.
		events := zring.PollEvents(0)
		if len(free) > 0 && ready == workers {
			events = zring.PollIn
		}
		if err := poller.SetEvents(1, events); err != nil {
			return err
		}
		polled, err := poller.WaitContext(ctx, -1)
		if err != nil {
			return err
		}
		for _, p := range polled {
			switch p.Socket {
			case backend:
				// [worker, "", "READY"] or [worker, "", client, "", reply]
				msg, err := backend.RecvMulti(0)
				if err != nil {
					return err
				}
				free = append(free, msg[0])
				if len(msg) == 3 && string(msg[2]) == "READY" {
					ready++
					continue
				}
				if len(msg) != 5 {
					return fmt.Errorf("malformed worker message: %q", msg)
				}
				if err := frontend.SendMulti(msg[2:], 0); err != nil {
					return err
				}
				served++
			case frontend:
				// [client, "", request] goes to the longest-idle worker.
				msg, err := frontend.RecvMulti(0)
				if err != nil {
					return err
				}
				w := free[0]
				free = free[1:]
				if err := backend.SendMulti(append([][]byte{w, nil}, msg...), 0); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// worker serves requests until the context closes.
func worker(ctx context.Context, zctx *zring.Context, endpoint, name string) error {
	s, err := zctx.NewSocket(zring.Req, zring.WithRoutingID([]byte(name)))
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Connect(endpoint); err != nil {
		return err
	}
	if err := s.SendString("READY", 0); err != nil {
		return err
	}
	for {
		msg, err := s.RecvMultiContext(ctx, 0) // [client, "", request]
		if err != nil {
			return quiet(err)
		}
		if len(msg) != 3 {
			return fmt.Errorf("%s: malformed request %q", name, msg)
		}
		reply := fmt.Sprintf("%s served by %s", msg[2], name)
		if err := s.SendMulti([][]byte{msg[0], nil, []byte(reply)}, 0); err != nil {
			return quiet(err)
		}
	}
}

// client sends n requests, one at a time, and passes each reply on.
func client(ctx context.Context, zctx *zring.Context, endpoint, name string, n int, replies chan<- string) error {
	s, err := zctx.NewSocket(zring.Req)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Connect(endpoint); err != nil {
		return err
	}
	for i := range n {
		req := fmt.Sprintf("%s/%d", name, i)
		if err := s.SendString(req, 0); err != nil {
			return err
		}
		reply, err := s.RecvStringContext(ctx, 0)
		if err != nil {
			return fmt.Errorf("%s: %w", req, err)
		}
		replies <- reply
	}
	return nil
}

func quiet(err error) error {
	if errors.Is(err, zring.ErrTerminated) || errors.Is(err, zring.ErrClosed) || errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
