//go:build linux

package zring_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

// Kill-and-restart tests: the peer is a separate process (this test binary
// re-executed in helper mode), killed with SIGKILL and started again on the
// same endpoint. zring must heal by itself.

const helperEnv = "ZRING_TEST_HELPER"

// TestHelperProcess is not a test: it is the peer process. It runs only
// when re-executed with ZRING_TEST_HELPER set.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		return
	}
	ep := os.Getenv(helperEnv + "_EP")
	c, err := zring.NewContext()
	if err != nil {
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	say := func(s string) { fmt.Fprintln(out, s); out.Flush() }
	switch mode {
	case "pull": // print every message received
		s, _ := c.NewSocket(zring.Pull)
		if s.Bind(ep) != nil {
			os.Exit(3)
		}
		say("ready")
		for {
			m, err := s.RecvString(0)
			if err != nil {
				os.Exit(4)
			}
			say(m)
		}
	case "rep": // echo with a prefix
		s, _ := c.NewSocket(zring.Rep)
		if s.Bind(ep) != nil {
			os.Exit(3)
		}
		say("ready")
		for {
			m, err := s.RecvString(0)
			if err != nil {
				os.Exit(4)
			}
			_ = s.SendString("echo "+m, 0)
		}
	case "router":
		routerHelper(c, ep, say)
	case "push-exit": // send lingerMsgs, close everything, exit
		s, _ := c.NewSocket(zring.Push)
		if s.Connect(ep) != nil {
			os.Exit(3)
		}
		say("ready")
		msg := make([]byte, 64)
		for range lingerMsgs {
			if s.Send(msg, 0) != nil {
				os.Exit(4)
			}
		}
		if s.Close() != nil || c.Close() != nil {
			os.Exit(6)
		}
		os.Exit(0)
	case "pub": // publish forever
		s, _ := c.NewSocket(zring.Pub)
		if s.Bind(ep) != nil {
			os.Exit(3)
		}
		say("ready")
		gen := os.Getpid()
		for i := 0; ; i++ {
			_ = s.SendString(fmt.Sprintf("T %d %d", gen, i), 0)
			_ = s.SendString("other", 0)
			time.Sleep(time.Millisecond)
		}
	}
	os.Exit(5)
}

// peerProc is a running helper process.
type peerProc struct {
	cmd   *exec.Cmd
	stdin io.Writer
	lines chan string
}

func startHelper(t *testing.T, mode, ep string) *peerProc {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, helperEnv+"_EP="+ep)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	p := &peerProc{cmd: cmd, stdin: stdin, lines: make(chan string, 1024)}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
		close(p.lines)
	}()
	t.Cleanup(p.kill)
	require.Equal(t, "ready", p.next(t), "helper %s did not start", mode)
	return p
}

func (p *peerProc) next(t *testing.T) string {
	t.Helper()
	select {
	case l, ok := <-p.lines:
		require.True(t, ok, "helper exited")
		return l
	case <-time.After(10 * time.Second):
		t.Fatal("helper said nothing")
		return ""
	}
}

// kill sends SIGKILL and reaps the process.
func (p *peerProc) kill() {
	if p.cmd.ProcessState == nil {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		_ = p.cmd.Wait()
	}
}

func freeEndpoint(t *testing.T) string {
	return fmt.Sprintf("tcp://127.0.0.1:%d", freePort(t))
}

// PUSH keeps what it could not deliver while its peer was dead and delivers
// it once the peer is back.
func TestRestartPushPullResumes(t *testing.T) {
	ep := freeEndpoint(t)
	c := newContext(t)
	push := newSocket(t, c, zring.Push, zring.WithReconnectIvl(20*time.Millisecond))
	m := monitor(t, push)
	require.NoError(t, push.Connect(ep))
	peer := startHelper(t, "pull", ep)
	for i := range 5 {
		require.NoError(t, push.SendString(fmt.Sprint("before ", i), 0))
		assert.Equal(t, fmt.Sprint("before ", i), peer.next(t))
	}

	peer.kill()
	nextEvent(t, m, zring.EventDisconnected)
	for i := range 5 { // queued while the peer is down
		require.NoError(t, push.SendString(fmt.Sprint("during ", i), 0))
	}
	peer = startHelper(t, "pull", ep)
	for i := range 5 {
		assert.Equal(t, fmt.Sprint("during ", i), peer.next(t), "queued messages survive the restart")
	}
	require.NoError(t, push.SendString("after", 0))
	assert.Equal(t, "after", peer.next(t))
}

// The Lazy Pirate pattern: a REQ client that times out, reopens its socket
// and retries gets its answer once the server is back.
func TestRestartLazyPirate(t *testing.T) {
	ep := freeEndpoint(t)
	c := newContext(t)
	server := startHelper(t, "rep", ep)
	request := func(body string) (string, bool) {
		req := newSocket(t, c, zring.Req, zring.WithRcvTimeout(200*time.Millisecond), zring.WithLinger(0),
			zring.WithReconnectIvl(20*time.Millisecond))
		defer req.Close()
		if req.Connect(ep) != nil || req.SendString(body, 0) != nil {
			return "", false
		}
		reply, err := req.RecvString(0)
		return reply, err == nil
	}
	reply, ok := request("one")
	require.True(t, ok)
	assert.Equal(t, "echo one", reply)

	server.kill()
	_, ok = request("lost")
	assert.False(t, ok, "no server, no reply")
	startHelper(t, "rep", ep) // killed at cleanup
	for retry := 0; ; retry++ {
		require.Less(t, retry, 50, "the server never answered after its restart")
		if reply, ok = request("two"); ok {
			break
		}
	}
	assert.Equal(t, "echo two", reply)
}

// A SUB resubscribes by itself when its publisher process restarts.
func TestRestartSubResubscribes(t *testing.T) {
	ep := freeEndpoint(t)
	c := newContext(t)
	pub := startHelper(t, "pub", ep)
	sub := newSocket(t, c, zring.Sub, zring.WithReconnectIvl(20*time.Millisecond), zring.WithRcvTimeout(10*time.Second))
	require.NoError(t, sub.Subscribe("T "))
	require.NoError(t, sub.Connect(ep))
	msg, err := sub.RecvString(0)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(msg, "T "), "only the subscribed topic: %q", msg)

	pub.kill()
	pub = startHelper(t, "pub", ep)
	// Messages carry the publisher's pid: wait for the new process's.
	newGen := fmt.Sprintf("T %d ", pub.cmd.Process.Pid)
	for {
		msg, err := sub.RecvString(0)
		require.NoError(t, err, "no messages after the publisher restarted")
		require.True(t, strings.HasPrefix(msg, "T "), "only the subscribed topic: %q", msg)
		if strings.HasPrefix(msg, newGen) {
			break // resubscribed with the new process
		}
	}
}

// scaleBacklog lets both ROUTERs queue the burst of connects (the kernel
// caps it at net.core.somaxconn), so dialling does not wait for SYN
// retransmissions.
const scaleBacklog = 4096

// say sends a line to the helper's stdin.
func (p *peerProc) say(t *testing.T, line string) {
	t.Helper()
	_, err := fmt.Fprintln(p.stdin, line)
	require.NoError(t, err)
}

// routerHelper is the "router" helper mode: a ROUTER that answers "count"
// on stdin with its number of peers.
func routerHelper(c *zring.Context, ep string, say func(string)) {
	s, _ := c.NewSocket(zring.Router, zring.WithBacklog(scaleBacklog))
	if s.Bind(ep) != nil {
		os.Exit(3)
	}
	say("ready")
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		say(strconv.Itoa(s.PeerCount()))
	}
	os.Exit(0)
}
