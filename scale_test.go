//go:build linux && !race

package zring_test

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring/zmtp"
)

// Scale (built without -race, whose shadow memory would swamp the figures):
// one ROUTER holding many idle TCP connections, its memory compared
// with libzmq's. The ROUTER runs in its own process (this binary in helper
// mode, or pyzmq for libzmq) so its resident memory can be read from /proc;
// this process dials the connections and completes each handshake.

// scaleConns is how many connections to hold: 10,000, or fewer if the
// fd limit is lower (both processes hold one fd per connection).
func scaleConns(t *testing.T) int {
	var lim syscall.Rlimit
	require.NoError(t, syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim))
	lim.Cur = lim.Max // Go raises it at start-up, but be sure
	require.NoError(t, syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim))
	return int(min(10_000, lim.Max-256))
}

// rssKiB reads a process's resident set size.
func rssKiB(t *testing.T, pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(t, err)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			require.NoError(t, err)
			return n
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

// dialHandshaken opens n connections to ep, each sending a greeting and a
// DEALER READY, and returns them.
// The caller closes them with closeAll.
func dialHandshaken(t *testing.T, ep string, n int) []net.Conn {
	hello := zmtp.AppendReady(zmtp.AppendGreeting(nil, "NULL", false), zmtp.Dealer, nil)
	conns := make([]net.Conn, 0, n)
	for range n {
		c, err := net.Dial("tcp", ep[len("tcp://"):])
		if err != nil {
			closeAll(conns)
			require.NoError(t, err)
		}
		if _, err = c.Write(hello); err != nil {
			closeAll(append(conns, c))
			require.NoError(t, err)
		}
		conns = append(conns, c)
	}
	return conns
}

func closeAll(conns []net.Conn) {
	for _, c := range conns {
		c.Close()
	}
}

func TestScaleIdleConnections(t *testing.T) {
	n := scaleConns(t)
	ep := freeEndpoint(t)

	// zring: the helper process's ROUTER.
	router := startHelper(t, "router", ep)
	zBase := rssKiB(t, router.cmd.Process.Pid)
	start := time.Now()
	conns := dialHandshaken(t, ep, n)
	require.Eventually(t, func() bool {
		router.say(t, "count")
		return router.next(t) == strconv.Itoa(n)
	}, 60*time.Second, 100*time.Millisecond, "the ROUTER holds every connection")
	zPer := float64(rssKiB(t, router.cmd.Process.Pid)-zBase) * 1024 / float64(n)
	t.Logf("zring: %d connections dialled and attached in %v", n, time.Since(start).Round(time.Millisecond))
	closeAll(conns)
	router.kill()

	// libzmq: a pyzmq ROUTER in its own process, same connections.
	peer := startPeer(t, "ROUTER")
	peer.SetOption("BACKLOG", scaleBacklog)
	lep := peer.Bind("tcp://127.0.0.1:*")
	lBase := rssKiB(t, peer.PID())
	start = time.Now()
	conns = dialHandshaken(t, lep, n)
	t.Logf("libzmq: %d connections dialled in %v", n, time.Since(start).Round(time.Millisecond))
	defer closeAll(conns)
	time.Sleep(2 * time.Second) // libzmq cannot tell us; let it settle
	lPer := float64(rssKiB(t, peer.PID())-lBase) * 1024 / float64(n)

	t.Logf("%d idle connections on one ROUTER: zring %.0f B each, libzmq %.0f B each (resident memory growth)", n, zPer, lPer)
	// Idle connections hold no read or write buffer (they go back to the
	// pool when a connection drains), so a connection costs its engine
	// state and a pipe, whose two preallocated rings of 1024 slots are
	// 16 KiB when the heap hands out reused (zeroed, so resident) memory:
	// far from the 2 × 64 KiB buffers, and below libzmq measured alongside.
	require.Less(t, zPer, 24*1024.0, "memory per idle connection")
	require.Less(t, zPer, lPer, "memory per idle connection against libzmq's")
}
