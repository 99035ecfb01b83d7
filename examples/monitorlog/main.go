// Command monitorlog shows a socket monitor used as a connection logger.
// The zguide has no listing for it (it follows the zmq_socket_monitor
// reference, which the guide's chapter 2 points to). It watches a client socket while it connects to a server,
// completes the ZMTP handshake, and loses the server when the server goes
// away; each event is printed as it arrives.
//
//	go run ./examples/monitorlog
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/zring/zring"
)

type config struct {
	Endpoint string // where the server binds, e.g. tcp://127.0.0.1:*
}

func main() {
	var cfg config
	flag.StringVar(&cfg.Endpoint, "endpoint", "tcp://127.0.0.1:*", "server endpoint")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "monitorlog:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	zctx, err := zring.NewContext()
	if err != nil {
		return err
	}
	defer zctx.Close()

	server, err := zctx.NewSocket(zring.Pull)
	if err != nil {
		return err
	}
	if err := server.Bind(cfg.Endpoint); err != nil {
		return err
	}
	client, err := zctx.NewSocket(zring.Push)
	if err != nil {
		return err
	}
	// Start the monitor before Connect so no event is missed.
	mon, err := client.Monitor(zring.EventAll)
	if err != nil {
		return err
	}
	defer mon.Close()
	if err := client.Connect(server.Endpoint()); err != nil {
		return err
	}

	if err := logUntil(ctx, out, mon, zring.EventHandshakeSucceeded); err != nil {
		return err
	}
	// The server goes away; the client notices and starts reconnecting.
	if err := server.Close(); err != nil {
		return err
	}
	if err := logUntil(ctx, out, mon, zring.EventDisconnected); err != nil {
		return err
	}
	if err := client.Close(); err != nil {
		return err
	}
	return logUntil(ctx, out, mon, zring.EventMonitorStopped)
}

// logUntil prints the monitor's events up to and including one of type want.
func logUntil(ctx context.Context, out io.Writer, mon *zring.Monitor, want zring.EventType) error {
	for {
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %v: %w", want, ctx.Err())
		case ev, ok := <-mon.Events():
			if !ok {
				return errors.New("monitor stopped before " + want.String())
			}
			line := fmt.Sprintf("%-20s %s", ev.Type, ev.Endpoint)
			if ev.Err != nil {
				line += " (" + ev.Err.Error() + ")"
			}
			fmt.Fprintln(out, line)
			if ev.Type == want {
				return nil
			}
		}
	}
}
