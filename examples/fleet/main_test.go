//go:build linux

package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/zring/zring/internal/dnstest"
)

// Three workers behind one name, served by a real DNS server: the sender
// connects to each, and each gets a third of the tasks.
func TestFleet(t *testing.T) {
	z := dnstest.Start(t)
	z.Set("workers.fleet.test", "127.0.0.2", "127.0.0.3", "127.0.0.4")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out bytes.Buffer
	cfg := config{Name: "workers.fleet.test", Tasks: 30, Interval: time.Second, Resolver: z.Resolver()}
	if err := run(ctx, &out, cfg); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, ip := range []string{"127.0.0.2", "127.0.0.3", "127.0.0.4"} {
		if want := "worker at " + ip + " got 10 tasks\n"; !bytes.Contains(out.Bytes(), []byte(want)) {
			t.Errorf("missing %q in\n%s", want, out.String())
		}
	}
	if n := bytes.Count(out.Bytes(), []byte("connected to tcp://127.0.0.")); n != 3 {
		t.Errorf("%d connections, want 3:\n%s", n, out.String())
	}
}
