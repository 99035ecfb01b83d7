//go:build linux

package main

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLazyPirate(t *testing.T) {
	for _, endpoint := range []string{"tcp://127.0.0.1:*", "inproc://lazypirate"} {
		t.Run(endpoint, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
			defer cancel()
			var out bytes.Buffer
			cfg := config{Endpoint: endpoint, Requests: 6, Retries: 3, Timeout: 100 * time.Millisecond, DropEvery: 3}
			if err := run(ctx, &out, cfg); err != nil {
				t.Fatalf("run: %v\n%s", err, out.String())
			}
			var ok, retries int
			for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
				switch {
				case strings.HasPrefix(line, "I: server replied OK ("):
					ok++
					if want := "I: server replied OK (" + strconv.Itoa(ok) + ")"; line != want {
						t.Errorf("reply %d: got %q, want %q", ok, line, want)
					}
				case strings.HasPrefix(line, "W: no response from server, retrying"):
					retries++
				default:
					t.Errorf("unexpected line %q", line)
				}
			}
			if ok != cfg.Requests {
				t.Errorf("%d requests answered, want %d", ok, cfg.Requests)
			}
			// Every third request the server receives is lost: 6 requests
			// plus the resends make at least two losses.
			if retries < 2 {
				t.Errorf("%d retries, want at least 2\n%s", retries, out.String())
			}
		})
	}
}
