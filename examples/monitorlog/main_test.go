//go:build linux

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestMonitorLog(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, &out, config{Endpoint: "tcp://127.0.0.1:*"}); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	var events []string
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		events = append(events, strings.Fields(line)[0])
	}
	// These must appear in this order; others (CONNECT_DELAYED,
	// CONNECT_RETRIED, CLOSED) may come between them.
	want := []string{"CONNECTED", "HANDSHAKE_SUCCEEDED", "DISCONNECTED", "MONITOR_STOPPED"}
	i := 0
	for _, ev := range events {
		if i < len(want) && ev == want[i] {
			i++
		}
	}
	if i != len(want) {
		t.Errorf("events %v, want %v in that order", events, want)
	}
	if last := events[len(events)-1]; last != "MONITOR_STOPPED" {
		t.Errorf("last event %s, want MONITOR_STOPPED", last)
	}
}
