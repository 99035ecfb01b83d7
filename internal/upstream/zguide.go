//go:build linux

package upstream

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
)

// python is Debian's python3, which has python3-zmq (pyzmq on libzmq 4.3).
const python = "/usr/bin/python3"

// ZguideDir returns the folder of the ZeroMQ Guide's Python programs:
// $ZRING_ZGUIDE_PY, else ../shared/peers/zguide-python beside the module
// root. A missing folder or python3 fails the test: these are interop
// tests.
func ZguideDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("ZRING_ZGUIDE_PY")
	if dir == "" {
		dir = filepath.Join(moduleRoot(t), "..", "shared", "peers", "zguide-python")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "MDP.py")); err != nil {
		t.Fatalf("the Guide's Python programs are not at %s (set ZRING_ZGUIDE_PY): %v", dir, err)
	}
	if _, err := os.Stat(python); err != nil {
		t.Fatalf("no %s (Debian's python3-zmq is needed): %v", python, err)
	}
	return dir
}

// StartPython runs one of the Guide's Python programs, unchanged, from its
// folder (so its imports of MDP.py and the like resolve), until ctx or the
// test ends.
func StartPython(ctx context.Context, t testing.TB, script string, args ...string) *Proc {
	t.Helper()
	p := Start(ctx, t, ZguideDir(t), python, append([]string{"-u", script}, args...)...)
	p.name = script // for the test's log; read only at cleanup
	return p
}

// SupervisePython runs one of the Guide's Python programs again each time
// it exits, as a process supervisor would, until the test ends; it returns
// a function that says how many times it started it. The Guide's Paranoid
// Pirate worker, for one, simulates crashes by exiting.
func SupervisePython(t testing.TB, script string) (starts func() int) {
	t.Helper()
	dir := ZguideDir(t)
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	n := 0
	out := &output{changed: make(chan struct{})}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			cmd := exec.CommandContext(ctx, python, "-u", script)
			cmd.Dir = dir
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
			cmd.Stdout, cmd.Stderr = out, out
			if err := cmd.Start(); err != nil {
				t.Errorf("start %s: %v", script, err)
				return
			}
			mu.Lock()
			n++
			mu.Unlock()
			_ = cmd.Wait()
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		if t.Failed() {
			s, _ := out.snapshot()
			t.Logf("%s output:\n%s", script, lastLines(s, 30))
		}
	})
	return func() int {
		mu.Lock()
		defer mu.Unlock()
		return n
	}
}
