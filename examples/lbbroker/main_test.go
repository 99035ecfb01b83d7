//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestLoadBalancingBroker(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	cfg := config{Frontend: "inproc://lb-front", Backend: "tcp://127.0.0.1:*", Clients: 8, Workers: 3, Requests: 2}
	var out bytes.Buffer
	if err := run(ctx, &out, cfg); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	got := map[string]bool{}
	handled := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var req, worker string
		var n int
		switch {
		case strings.Contains(line, " served by "):
			if _, err := fmt.Sscanf(line, "%s served by %s", &req, &worker); err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			got[req] = true
		case strings.Contains(line, " handled "):
			if _, err := fmt.Sscanf(line, "%s handled %d", &worker, &n); err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			handled[worker] = n
		default:
			t.Errorf("unexpected line %q", line)
		}
	}
	for c := range cfg.Clients {
		for r := range cfg.Requests {
			if req := fmt.Sprintf("client-%d/%d", c, r); !got[req] {
				t.Errorf("no reply to %s", req)
			}
		}
	}
	// Every worker is idle before the first request, and a worker that
	// finishes queues behind them, so the first three requests go to
	// three different workers.
	total := 0
	for w := range cfg.Workers {
		n := handled[fmt.Sprintf("worker-%d", w)]
		total += n
		if n == 0 {
			t.Errorf("worker-%d handled no request\n%s", w, out.String())
		}
	}
	if total != cfg.Clients*cfg.Requests {
		t.Errorf("workers handled %d requests, want %d", total, cfg.Clients*cfg.Requests)
	}
}
