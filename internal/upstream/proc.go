//go:build linux

package upstream

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Proc is an upstream program running in its own process group, with its
// output (stdout and stderr together) collected.
type Proc struct {
	name string
	cmd  *exec.Cmd
	out  output
	done chan struct{}
	err  error // the exit status, once done is closed
}

// Start runs bin with args in dir until ctx ends or the test ends,
// whichever is first; its whole process group is killed then. A test that
// fails logs the program's last lines.
func Start(ctx context.Context, t testing.TB, dir, bin string, args ...string) *Proc {
	t.Helper()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	p := &Proc{name: filepath.Base(bin), cmd: cmd, out: output{changed: make(chan struct{})}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = &p.out, &p.out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", p.name, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.Kill()
		if t.Failed() {
			t.Logf("%s output:\n%s", p.name, lastLines(p.Output(), 30))
		}
	})
	return p
}

// Kill ends the process group and waits for the program.
func (p *Proc) Kill() {
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.done
}

// Done is closed when the program has exited.
func (p *Proc) Done() <-chan struct{} { return p.done }

// Wait waits for the program to exit and returns its exit status, or
// ctx's error when ctx ends first.
func (p *Proc) Wait(ctx context.Context) error {
	select {
	case <-p.done:
		return p.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Finish waits for the program to exit and returns its output; a nonzero
// exit status fails the test.
func (p *Proc) Finish(t testing.TB) string {
	t.Helper()
	<-p.done
	if p.err != nil {
		t.Fatalf("%s: %v\n%s", p.name, p.err, p.Output())
	}
	return p.Output()
}

// Output is what the program printed so far.
func (p *Proc) Output() string {
	s, _ := p.out.snapshot()
	return s
}

// WaitFor waits until the output holds substr n times, and returns it.
// The program's exit first, or timeout, fails the test.
func (p *Proc) WaitFor(t testing.TB, substr string, n int, timeout time.Duration) string {
	t.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		out, changed := p.out.snapshot()
		if strings.Count(out, substr) >= n {
			return out
		}
		select {
		case <-changed:
		case <-p.done:
			if out := p.Output(); strings.Count(out, substr) >= n {
				return out
			}
			t.Fatalf("%s exited (%v) before printing %q %d times:\n%s", p.name, p.err, substr, n, p.Output())
		case <-timer.C:
			t.Fatalf("%s did not print %q %d times in %v:\n%s", p.name, substr, n, timeout, p.Output())
		}
	}
}

// output collects a program's output and tells waiters when it grows.
type output struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func (o *output) Write(b []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf.Write(b)
	close(o.changed)
	o.changed = make(chan struct{})
	return len(b), nil
}

func (o *output) snapshot() (string, <-chan struct{}) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String(), o.changed
}

func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
