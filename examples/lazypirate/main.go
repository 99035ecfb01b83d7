// Command lazypirate shows the Lazy Pirate pattern (zguide chapter 4,
// "Reliable Request-Reply Patterns"): a REQ client that does not trust its
// server. It waits a bounded time for each reply; on a timeout it closes
// its REQ socket (a REQ that sent and got nothing back cannot send again),
// opens a fresh one and resends, up to a retry limit.
//
// The server runs in the same process and is flaky on purpose: every
// DropEvery-th request it receives is lost, because the server "crashes"
// and restarts on the same endpoint without replying.
//
//	go run ./examples/lazypirate -requests 10 -drop 3
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
)

type config struct {
	Endpoint  string        // where the server binds and the client connects
	Requests  int           // requests the client sends
	Retries   int           // resends of one request before giving up
	Timeout   time.Duration // how long the client waits for each reply
	DropEvery int           // the server loses every DropEvery-th request (0: never)
}

func main() {
	var cfg config
	flag.StringVar(&cfg.Endpoint, "endpoint", "tcp://127.0.0.1:5555", "server endpoint")
	flag.IntVar(&cfg.Requests, "requests", 10, "requests to send")
	flag.IntVar(&cfg.Retries, "retries", 3, "retries per request")
	flag.DurationVar(&cfg.Timeout, "timeout", 500*time.Millisecond, "reply timeout")
	flag.IntVar(&cfg.DropEvery, "drop", 3, "server drops every n-th request (0: none)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "lazypirate:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	zctx, err := zring.NewContext()
	if err != nil {
		return err
	}
	defer zctx.Close()

	server, err := bindServer(zctx, cfg.Endpoint)
	if err != nil {
		return err
	}
	// A tcp endpoint with port * resolves to a real port; restarts and
	// the client use that one.
	endpoint := server.Endpoint()
	done := make(chan error, 1)
	go func() { done <- serve(ctx, zctx, server, endpoint, cfg.DropEvery) }()

	clientErr := client(ctx, out, zctx, endpoint, cfg)
	zctx.Close() // ends the server's blocked receive
	if err := <-done; err != nil && clientErr == nil {
		return err
	}
	return clientErr
}

func bindServer(zctx *zring.Context, endpoint string) (*zring.Socket, error) {
	s, err := zctx.NewSocket(zring.Rep, zring.WithLinger(0))
	if err != nil {
		return nil, err
	}
	if err := s.Bind(endpoint); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// serve echoes requests on a REP socket, losing every dropEvery-th one: it
// closes the socket without replying and binds a new one, as a server that
// crashed and was restarted would. It returns nil when the context closes.
func serve(ctx context.Context, zctx *zring.Context, s *zring.Socket, endpoint string, dropEvery int) error {
	for n := 1; ; n++ {
		req, err := s.RecvMultiContext(ctx, 0)
		if err != nil {
			s.Close()
			return quiet(err)
		}
		if dropEvery > 0 && n%dropEvery == 0 {
			s.Close()
			if s, err = rebind(ctx, zctx, endpoint); err != nil {
				return quiet(err)
			}
			continue
		}
		if err := s.SendMulti(req, 0); err != nil {
			s.Close()
			return quiet(err)
		}
	}
}

// rebind binds a fresh server socket at endpoint. The old socket's close
// completes in the background, so the address may be busy for a moment.
func rebind(ctx context.Context, zctx *zring.Context, endpoint string) (*zring.Socket, error) {
	for {
		s, err := bindServer(zctx, endpoint)
		if !errors.Is(err, zring.ErrAddrInUse) {
			return s, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Millisecond):
		}
	}
}

// client sends cfg.Requests numbered requests, each answered or retried.
func client(ctx context.Context, out io.Writer, zctx *zring.Context, endpoint string, cfg config) error {
	req, err := dial(zctx, endpoint, cfg.Timeout)
	if err != nil {
		return err
	}
	defer func() { req.Close() }()
	for seq := 1; seq <= cfg.Requests; seq++ {
		body := strconv.Itoa(seq)
		for attempt := 0; ; attempt++ {
			if err := req.SendString(body, 0); err != nil {
				return err
			}
			reply, err := req.RecvStringContext(ctx, 0)
			if err == nil {
				if reply != body {
					return fmt.Errorf("request %s: malformed reply %q", body, reply)
				}
				fmt.Fprintf(out, "I: server replied OK (%s)\n", reply)
				break
			}
			if !errors.Is(err, zring.ErrTimeout) {
				return err
			}
			if attempt == cfg.Retries {
				return fmt.Errorf("request %s: server seems to be offline, abandoning", body)
			}
			fmt.Fprintf(out, "W: no response from server, retrying (%s)\n", body)
			// The REQ socket is stuck waiting for a reply: replace it.
			// Linger 0 drops the unanswered request with it.
			req.Close()
			if req, err = dial(zctx, endpoint, cfg.Timeout); err != nil {
				return err
			}
		}
	}
	return nil
}

func dial(zctx *zring.Context, endpoint string, timeout time.Duration) (*zring.Socket, error) {
	s, err := zctx.NewSocket(zring.Req, zring.WithRcvTimeout(timeout), zring.WithLinger(0))
	if err != nil {
		return nil, err
	}
	if err := s.Connect(endpoint); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// quiet maps the errors that mean "shut down" to nil.
func quiet(err error) error {
	if errors.Is(err, zring.ErrTerminated) || errors.Is(err, zring.ErrClosed) || errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
