//go:build linux

package zmq4_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/zring/zring/internal/upstream"
)

const (
	upstreamModule  = "github.com/go-zeromq/zmq4"
	upstreamVersion = "v0.17.0"
	adapterImport   = "github.com/zring/zring/compat/gozmq4"
	// programTimeout bounds every upstream program run.
	programTimeout = 60 * time.Second
)

// example builds upstream's example/NAME.go with only its import of
// go-zeromq/zmq4 changed to the adapter, and returns the program.
func example(t *testing.T, name string) string {
	t.Helper()
	dir := upstream.Module(t, upstreamModule, upstreamVersion)
	return upstream.Program(t, upstream.Rewrite{From: upstreamModule, To: adapterImport},
		filepath.Join(dir, "example", name+".go"))
}

// run starts bin, bounded by programTimeout; it is killed when the test
// ends if still running.
func run(t *testing.T, bin string) *upstream.Proc {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), programTimeout)
	t.Cleanup(cancel)
	return upstream.Start(ctx, t, "", bin)
}
