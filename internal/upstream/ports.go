//go:build linux

package upstream

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// LockPorts takes, until the test ends, the one machine-wide lock that
// every test running an upstream program holds: those programs hard-code
// their TCP ports (the Guide's 5555 and 5556, go-zeromq's 5559, pebbe's
// 9000, ...), and go test runs several packages' test binaries at once.
// It then waits up to 10 s for each of ports to be free, so that a program
// never talks to a stray process that does not take the lock, and fails
// the test if one stays taken.
func LockPorts(t testing.TB, ports ...int) {
	t.Helper()
	start := time.Now()
	f, err := os.OpenFile(filepath.Join(os.TempDir(), "zring-fixed-ports.lock"), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() }) // closing the file releases the lock
	if d := time.Since(start); d > time.Second {
		t.Logf("waited %v for the fixed ports' lock", d.Round(time.Millisecond))
	}
	deadline := time.Now().Add(10 * time.Second)
	for _, port := range ports {
		for {
			l, err := net.Listen("tcp", fmt.Sprintf("0.0.0.0:%d", port))
			if err == nil {
				l.Close()
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("port %d, which an upstream program hard-codes, stays taken: %v", port, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}
