//go:build linux

package main

import (
	"bytes"
	"context"
	"testing"
	"time"
)

func TestMajordomo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, &out, config{Endpoint: "tcp://127.0.0.1:*", Requests: 50, Workers: 3}); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if got, want := out.String(), "51 requests, 51 answered, 0 retried, 0 failed\n"; got != want {
		t.Fatalf("got %q, want %q (50 echo requests and the mmi.service one)", got, want)
	}
}
