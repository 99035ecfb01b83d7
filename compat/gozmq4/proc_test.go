//go:build linux

package zmq4_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
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

// lockPorts holds a machine-wide lock while upstream programs run: they
// hard-code their TCP ports (5555, 5559, 5563, 5671), which the tests of
// another package running at the same time may want too. It then checks
// that the ports are free, for a clear failure if a process that does not
// take the lock holds one (a client would otherwise talk to it).
func lockPorts(t *testing.T, ports ...int) {
	t.Helper()
	// compat/pebbe's zguide programs use the same ports under the first
	// lock; the second is this package's own.
	for _, name := range []string{"zring-zguide-ports.lock", "zring-upstream-ports.lock"} {
		f, err := os.OpenFile(filepath.Join(os.TempDir(), name), os.O_CREATE|os.O_RDWR, 0o666)
		if err != nil {
			t.Fatal(err)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() }) // closing releases the lock
	}
	for _, port := range ports {
		l, err := net.Listen("tcp", fmt.Sprintf("0.0.0.0:%d", port))
		if err != nil {
			t.Fatalf("port %d, which upstream's example programs hard-code, is taken by another process: %v", port, err)
		}
		l.Close()
	}
}

// output collects a program's stdout and stderr and tells waiters when it
// grows.
type output struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf.Write(p)
	close(o.changed)
	o.changed = make(chan struct{})
	return len(p), nil
}

func (o *output) snapshot() (string, <-chan struct{}) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String(), o.changed
}

// proc is an upstream program running.
type proc struct {
	name string
	cmd  *exec.Cmd
	out  *output
	done chan struct{}
	err  error // the exit status, once done is closed
}

// run starts bin; it is killed when the test ends if still running.
func run(t *testing.T, bin string) *proc {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), programTimeout)
	p := &proc{name: filepath.Base(bin), out: &output{changed: make(chan struct{})}, done: make(chan struct{})}
	p.cmd = exec.CommandContext(ctx, bin)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		cancel()
		t.Fatalf("%s: %v", p.name, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		cancel()
		close(p.done)
	}()
	t.Cleanup(func() { p.kill() })
	return p
}

// kill ends a long-running program and waits for it.
func (p *proc) kill() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

// wait waits for the program to exit and returns its output; a nonzero
// exit status fails the test.
func (p *proc) wait(t *testing.T) string {
	t.Helper()
	<-p.done
	out, _ := p.out.snapshot()
	if p.err != nil {
		t.Fatalf("%s: %v\n%s", p.name, p.err, out)
	}
	return out
}

// waitFor waits until the output holds substr n times, and returns it.
// The program's exit or timeout first fails the test.
func (p *proc) waitFor(t *testing.T, substr string, n int) string {
	t.Helper()
	timeout := time.NewTimer(programTimeout)
	defer timeout.Stop()
	for {
		out, changed := p.out.snapshot()
		if strings.Count(out, substr) >= n {
			return out
		}
		select {
		case <-changed:
		case <-p.done:
			out, _ := p.out.snapshot()
			if strings.Count(out, substr) >= n {
				return out
			}
			t.Fatalf("%s exited (%v) before printing %q %d times:\n%s", p.name, p.err, substr, n, out)
		case <-timeout.C:
			t.Fatalf("%s did not print %q %d times in %v:\n%s", p.name, substr, n, programTimeout, out)
		}
	}
}
