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

func TestZeroCopyRelay(t *testing.T) {
	for _, tc := range []struct{ in, out string }{
		{"inproc://zc-in", "tcp://127.0.0.1:*"},
		{"tcp://127.0.0.1:*", "inproc://zc-out"},
	} {
		t.Run(tc.in+"->"+tc.out, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
			defer cancel()
			// Bodies above and below the inline size, to cross both paths.
			for _, size := range []int{10, 70 << 10} {
				cfg := config{In: tc.in, Out: tc.out, Messages: 20, Size: size}
				var out bytes.Buffer
				if err := run(ctx, &out, cfg); err != nil {
					t.Fatalf("size %d: run: %v\n%s", size, err, out.String())
				}
				var want strings.Builder
				for i := range cfg.Messages {
					fmt.Fprintf(&want, "msg-%d: 3 parts, %d body bytes intact\n", i, size)
				}
				fmt.Fprintf(&want, "relayed %d frames\n", 3*cfg.Messages)
				if out.String() != want.String() {
					t.Errorf("size %d: got\n%s\nwant\n%s", size, out.String(), want.String())
				}
			}
		})
	}
}
