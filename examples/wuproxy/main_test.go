//go:build linux

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestWeatherProxy(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	cfg := config{Publisher: "inproc://weather", Proxy: "tcp://127.0.0.1:*", Zip: 10003, Zips: 5, Updates: 20}
	var out bytes.Buffer
	if err := run(ctx, &out, cfg); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != cfg.Updates+1 {
		t.Fatalf("%d lines, want %d updates and an average:\n%s", len(lines), cfg.Updates, out.String())
	}
	for _, line := range lines[:cfg.Updates] {
		if !strings.HasPrefix(line, "update: 10003 ") {
			t.Errorf("got %q, want only zip code 10003", line)
		}
	}
	if last := lines[cfg.Updates]; !strings.HasPrefix(last, "average temperature for zip code 10003 was ") {
		t.Errorf("last line %q", last)
	}
}
