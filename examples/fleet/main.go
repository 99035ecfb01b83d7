// Command fleet shows one PUSH spanning every address of a host name, as
// a sender does for the pods behind a Kubernetes headless Service
// (docs/deploying.md): WithEveryAddress connects to each address the name
// resolves to and follows the name as addresses come and go, where libzmq
// would connect to the first one only.
//
// The workers run in the same process, one PULL bound on each address
// the name has now, and report how many tasks each got.
//
//	go run ./examples/fleet -name localhost -tasks 100
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"time"

	"github.com/zring/zring"
)

type config struct {
	Name     string        // the host name the workers are behind
	Port     int           // their port (0: a free one)
	Tasks    int           // tasks the sender pushes
	Interval time.Duration // how often the sender looks the name up again
	Resolver *net.Resolver // nil: the system's
}

func main() {
	var cfg config
	flag.StringVar(&cfg.Name, "name", "localhost", "host name whose every address runs a worker")
	flag.IntVar(&cfg.Port, "port", 0, "the workers' port (0: a free one)")
	flag.IntVar(&cfg.Tasks, "tasks", 30, "tasks to push")
	flag.DurationVar(&cfg.Interval, "interval", 5*time.Second, "how often the name is looked up again")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "fleet:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	r := cfg.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	ips, err := r.LookupIP(ctx, "ip4", cfg.Name)
	if err != nil {
		return err
	}
	port := cfg.Port
	if port == 0 {
		if port, err = freePort(ips[0]); err != nil {
			return err
		}
	}
	zctx, err := zring.NewContext()
	if err != nil {
		return err
	}
	defer zctx.Close()

	// The fleet: a PULL on each address of the name.
	workers := make([]*zring.Socket, len(ips))
	for i, ip := range ips {
		w, err := zctx.NewSocket(zring.Pull, zring.WithRcvTimeout(5*time.Second))
		if err != nil {
			return err
		}
		defer w.Close()
		if err := w.Bind("tcp://" + net.JoinHostPort(ip.String(), strconv.Itoa(port))); err != nil {
			return err
		}
		workers[i] = w
	}

	// The sender: one Connect to the name reaches them all.
	push, err := zctx.NewSocket(zring.Push, zring.WithEveryAddress(cfg.Interval), zring.WithResolver(cfg.Resolver))
	if err != nil {
		return err
	}
	defer push.Close()
	mon, err := push.Monitor(zring.EventAddressAdded)
	if err != nil {
		return err
	}
	defer mon.Close()
	if err := push.Connect("tcp://" + net.JoinHostPort(cfg.Name, strconv.Itoa(port))); err != nil {
		return err
	}
	var added []string
	for len(added) < len(ips) {
		select {
		case ev := <-mon.Events():
			added = append(added, ev.Endpoint)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	slices.Sort(added)
	for _, ep := range added {
		fmt.Fprintln(out, "connected to", ep)
	}
	for i := range cfg.Tasks {
		if err := push.SendString("task "+strconv.Itoa(i), 0); err != nil {
			return err
		}
	}
	// PUSH deals the tasks round-robin: each worker takes its share.
	share := cfg.Tasks / len(ips)
	for i, w := range workers {
		n := share
		if i < cfg.Tasks%len(ips) {
			n++
		}
		for range n {
			if _, err := w.RecvString(0); err != nil {
				return fmt.Errorf("worker at %s: %w", ips[i], err)
			}
		}
		fmt.Fprintf(out, "worker at %s got %d tasks\n", ips[i], n)
	}
	return nil
}

// freePort is a TCP port free on ip now.
func freePort(ip net.IP) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(ip.String(), "0"))
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
