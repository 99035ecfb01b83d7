//go:build linux

package pirate_test

// Helpers to run the ZeroMQ Guide's Python programs (unchanged) as peers.
// They hard-code tcp ports 5555 and 5556, so every test that runs one
// holds a lock file shared by every package's test binary.

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// zguideDir returns the folder of the Guide's Python programs:
// $ZRING_ZGUIDE_PY, else ../shared/peers/zguide-python beside the module
// root. A missing folder fails the test: these are interop tests.
func zguideDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("ZRING_ZGUIDE_PY")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "peers", "zguide-python")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "MDP.py")); err != nil {
		t.Fatalf("the Guide's Python programs are not at %s (set ZRING_ZGUIDE_PY): %v", dir, err)
	}
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		t.Fatalf("no /usr/bin/python3 (Debian's python3-zmq is needed): %v", err)
	}
	return dir
}

// lockPorts takes the machine-wide lock for ports 5555 and 5556 until
// the test ends, and waits until nothing listens on them.
func lockPorts(t *testing.T) {
	t.Helper()
	zguideDir(t) // fail at once when the programs are missing
	start := time.Now()
	f, err := os.OpenFile(filepath.Join(os.TempDir(), "zring-zguide-ports.lock"), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	})
	if d := time.Since(start); d > time.Second {
		t.Logf("waited %v for the ports' lock", d.Round(time.Millisecond))
	}
	deadline := time.Now().Add(10 * time.Second)
	for _, port := range []string{"5555", "5556"} {
		for {
			l, err := net.Listen("tcp", "0.0.0.0:"+port)
			if err == nil {
				l.Close()
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("port %s stays busy: %v", port, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for a process's writes and the test's
// reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// pyProc is a running Guide program in its own process group.
type pyProc struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
	err  error
}

// startPy runs script from the Guide's folder until ctx ends or the test
// ends, whichever is first; its whole process group is killed then.
func startPy(ctx context.Context, t *testing.T, script string, args ...string) *pyProc {
	t.Helper()
	dir := zguideDir(t)
	cmd := exec.CommandContext(ctx, "/usr/bin/python3", append([]string{"-u", script}, args...)...)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	p := &pyProc{cmd: cmd, out: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", script, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("%s output:\n%s", script, lastLines(p.out.String(), 30))
		}
	})
	return p
}

// kill ends the process group and waits for the process.
func (p *pyProc) kill() {
	syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.done
}

func lastLines(s string, n int) string {
	lines := bytes.Split([]byte(s), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

// supervise runs script again each time it exits, as a process supervisor
// would, until the test ends; it returns how many times it started it.
func supervise(t *testing.T, script string) func() int {
	t.Helper()
	dir := zguideDir(t)
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	starts := 0
	out := &syncBuffer{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			cmd := exec.CommandContext(ctx, "/usr/bin/python3", "-u", script)
			cmd.Dir = dir
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
			cmd.Stdout, cmd.Stderr = out, out
			if err := cmd.Start(); err != nil {
				t.Errorf("start %s: %v", script, err)
				return
			}
			mu.Lock()
			starts++
			mu.Unlock()
			cmd.Wait()
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		if t.Failed() {
			t.Logf("%s output:\n%s", script, lastLines(out.String(), 30))
		}
	})
	return func() int {
		mu.Lock()
		defer mu.Unlock()
		return starts
	}
}
