// Command mdbroker runs a Majordomo broker, as the Guide's mdbroker: one
// ROUTER socket for clients and workers of MDP/0.1 and MDP/0.2.
//
//	mdbroker -bind tcp://*:5555 -heartbeat 2.5s -v
//
// It runs until SIGINT or SIGTERM, then tells its workers DISCONNECT and
// prints its counters.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/zring/zring"
	"github.com/zring/zring/majordomo"
)

func main() {
	bind := flag.String("bind", "tcp://*:5555", "endpoint to bind")
	verbose := flag.Bool("v", false, "log workers coming and going, and dropped messages")
	heartbeat := flag.Duration("heartbeat", majordomo.DefaultHeartbeat, "heartbeat interval; a worker silent for 3 of them is forgotten")
	flag.Parse()
	if err := run(*bind, *verbose, *heartbeat); err != nil {
		fmt.Fprintln(os.Stderr, "mdbroker:", err)
		os.Exit(1)
	}
}

func run(bind string, verbose bool, heartbeat time.Duration) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	level := slog.LevelWarn
	if verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	zctx, err := zring.NewContext()
	if err != nil {
		return err
	}
	defer zctx.Close()
	b, err := majordomo.NewBroker(zctx, majordomo.BrokerPolicy{Heartbeat: majordomo.Heartbeat{Interval: heartbeat}}, logger)
	if err != nil {
		return err
	}
	defer b.Close()
	if err := b.Bind(bind); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "I: MDP broker/0.1 is active at", b.Endpoint())
	err = b.Run(ctx)
	fmt.Fprintf(os.Stderr, "I: %+v\n", b.Stats())
	return err
}
