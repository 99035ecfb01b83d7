//go:build linux

package majordomo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/zring/zring"
	"github.com/zring/zring/majordomo"
)

func newContext(t *testing.T) *zring.Context {
	t.Helper()
	zctx, err := zring.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { zctx.Close() })
	return zctx
}

// startBroker runs a broker on a free loopback port until the test ends.
func startBroker(t *testing.T, zctx *zring.Context, policy majordomo.BrokerPolicy) *majordomo.Broker {
	t.Helper()
	b, err := majordomo.NewBroker(zctx, policy, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Bind("tcp://127.0.0.1:*"); err != nil {
		t.Fatal(err)
	}
	serve(t, b)
	return b
}

// serve runs b until the test ends, then closes it.
func serve(t *testing.T, b *majordomo.Broker) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("broker Run: %v", err)
		}
		b.Close()
	})
}

// echo serves requests with w until ctx ends, replying with the body.
func echo(ctx context.Context, w *majordomo.Worker) error {
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

// startEcho runs an echo worker for service until the test ends.
func startEcho(t *testing.T, zctx *zring.Context, endpoint, service string, policy majordomo.WorkerPolicy) *majordomo.Worker {
	t.Helper()
	w, err := majordomo.NewWorker(zctx, endpoint, service, policy)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- echo(ctx, w) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, zring.ErrTerminated) {
			t.Errorf("echo worker: %v", err)
		}
	})
	return w
}

// rawDealer is a DEALER connected to endpoint, to speak MDP frame by
// frame; closed when the test ends.
func rawDealer(t *testing.T, zctx *zring.Context, endpoint string) *zring.Socket {
	t.Helper()
	d, err := zctx.NewSocket(zring.Dealer, zring.WithLinger(0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Connect(endpoint); err != nil {
		t.Fatal(err)
	}
	return d
}

func testContext(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// waitFor polls cond until it holds or ctx ends.
func waitFor(ctx context.Context, t *testing.T, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
}
