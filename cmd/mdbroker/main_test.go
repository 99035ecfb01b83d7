//go:build linux

package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zring/zring"
	"github.com/zring/zring/majordomo"
)

// The binary serves a worker and a client, and on SIGTERM exits 0 with
// its counters.
func TestMdbrokerBinary(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "mdbroker")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := "tcp://127.0.0.1:" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-bind", endpoint, "-heartbeat", "200ms", "-v")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()

	zctx, err := zring.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	defer zctx.Close()
	w, err := majordomo.NewWorker(zctx, endpoint, "echo", majordomo.WorkerPolicy{Heartbeat: majordomo.Heartbeat{Interval: 200 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	wctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer w.Close()
		for {
			req, err := w.Recv(wctx)
			if err != nil {
				return
			}
			w.Reply(req, req.Body...)
		}
	}()
	c, err := majordomo.NewClient(zctx, endpoint, majordomo.ClientPolicy{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, body := range []string{"one", "two", "three"} {
		reply, err := c.Request(ctx, "echo", []byte(body))
		if err != nil || string(reply[0]) != body {
			t.Fatalf("%s: %q, %v\n%s", body, reply, err, stderr.String())
		}
	}
	stop()
	<-done
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("mdbroker: %v\n%s", err, stderr.String())
	}
	out := stderr.String()
	for _, want := range []string{"MDP broker/0.1 is active at " + endpoint, "Requests:3 ", "Replies:3 ", "worker ready"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	_ = os.Remove(bin)
}
