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

func TestFanIn(t *testing.T) {
	for _, endpoint := range []string{"inproc://fanin", "tcp://127.0.0.1:*"} {
		t.Run(endpoint, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
			defer cancel()
			cfg := config{Endpoint: endpoint, Sources: 3, Samples: 200}
			var out bytes.Buffer
			if err := run(ctx, &out, cfg); err != nil {
				t.Fatalf("run: %v\n%s", err, out.String())
			}
			var want strings.Builder
			for i := range cfg.Sources {
				scale := i + 1
				sum := scale * cfg.Samples * (cfg.Samples + 1) / 2
				fmt.Fprintf(&want, "source-%d: %d samples, sum %d, min %d, max %d\n",
					i, cfg.Samples, sum, scale, scale*cfg.Samples)
			}
			if out.String() != want.String() {
				t.Errorf("got\n%s\nwant\n%s", out.String(), want.String())
			}
		})
	}
}
