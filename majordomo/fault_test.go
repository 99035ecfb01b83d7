//go:build linux

package majordomo_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/zring/zring"
	"github.com/zring/zring/majordomo"
)

// The test binary doubles as the broker and worker processes of the fault
// test: with ZRING_MDP_ROLE set it runs that role instead of the tests.
func TestMain(m *testing.M) {
	if role := os.Getenv("ZRING_MDP_ROLE"); role != "" {
		if err := runRole(role, os.Getenv("ZRING_MDP_ENDPOINT")); err != nil {
			fmt.Fprintln(os.Stderr, role+":", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

const faultHeartbeat = 100 * time.Millisecond

func runRole(role, endpoint string) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	zctx, err := zring.NewContext()
	if err != nil {
		return err
	}
	defer zctx.Close()
	hb := majordomo.Heartbeat{Interval: faultHeartbeat}
	switch role {
	case "broker":
		b, err := majordomo.NewBroker(zctx, majordomo.BrokerPolicy{Heartbeat: hb}, nil)
		if err != nil {
			return err
		}
		defer b.Close()
		// The killed broker's port may linger a moment.
		deadline := time.Now().Add(10 * time.Second)
		for err = b.Bind(endpoint); errors.Is(err, zring.ErrAddrInUse) && time.Now().Before(deadline); err = b.Bind(endpoint) {
			time.Sleep(10 * time.Millisecond)
		}
		if err != nil {
			return err
		}
		return b.Run(ctx)
	case "worker":
		w, err := majordomo.NewWorker(zctx, endpoint, "echo", majordomo.WorkerPolicy{Heartbeat: hb, Reconnect: faultHeartbeat})
		if err != nil {
			return err
		}
		if err := echo(ctx, w); err != nil && ctx.Err() == nil {
			return err
		}
		return nil
	}
	return fmt.Errorf("unknown role %q", role)
}

// peer is one broker or worker process, restartable.
type peer struct {
	t        *testing.T
	role     string
	endpoint string
	mu       sync.Mutex
	cmd      *exec.Cmd
	done     chan struct{}
	kills    int
}

func (p *peer) start() {
	p.t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "ZRING_MDP_ROLE="+p.role, "ZRING_MDP_ENDPOINT="+p.endpoint)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		p.t.Fatalf("start %s: %v", p.role, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	p.mu.Lock()
	p.cmd, p.done = cmd, done
	p.mu.Unlock()
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *peer) kill() {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.kills++
	p.mu.Unlock()
	cmd.Process.Signal(syscall.SIGKILL)
	<-done
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// A broker and two workers in their own processes, SIGKILLed and
// restarted under load from four clients: every request ends answered
// with its own reply, or failed with ErrNoReply, none hangs (each is
// bounded by a context deadline), and once the peers are back every
// client is answered again.
func TestFaultsInProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes and kills them")
	}
	endpoint := "tcp://127.0.0.1:" + freePort(t)
	broker := &peer{t: t, role: "broker", endpoint: endpoint}
	workers := []*peer{{t: t, role: "worker", endpoint: endpoint}, {t: t, role: "worker", endpoint: endpoint}}
	broker.start()
	for _, w := range workers {
		w.start()
	}
	defer func() {
		broker.kill()
		for _, w := range workers {
			w.kill()
		}
	}()

	zctx := newContext(t)
	ctx := testContext(t, 60*time.Second)
	policy := majordomo.ClientPolicy{Timeout: 300 * time.Millisecond, Retries: 10}
	var answered atomic.Int64 // progress, for the chaos below
	chaosDone := make(chan struct{})
	const clients = 4
	stats := make([]majordomo.ClientStats, clients)
	var wg sync.WaitGroup
	for i := range clients {
		c, err := majordomo.NewClient(zctx, endpoint, policy)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			request := func(seq int) error {
				rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				defer cancel()
				want := fmt.Sprintf("client %d request %d", i, seq)
				reply, err := c.Request(rctx, "echo", []byte(want))
				if err != nil {
					return err
				}
				if len(reply) != 1 || string(reply[0]) != want {
					t.Errorf("%s: reply %q", want, reply)
				}
				answered.Add(1)
				return nil
			}
			seq := 0
			for ; ; seq++ {
				select {
				case <-chaosDone:
				default:
					if err := request(seq); err != nil && !errors.Is(err, majordomo.ErrNoReply) {
						t.Errorf("client %d request %d: %v", i, seq, err)
						return
					}
					continue
				}
				break
			}
			// The peers are back: the next requests are answered.
			for range 10 {
				seq++
				if err := request(seq); err != nil {
					t.Errorf("client %d after the faults, request %d: %v", i, seq, err)
				}
			}
			stats[i] = c.Stats()
		}()
	}

	// Chaos: wait for some answers, kill, restart, and again.
	progress := func(n int64) {
		target := answered.Load() + n
		for answered.Load() < target {
			select {
			case <-ctx.Done():
				t.Errorf("no progress: %d answered", answered.Load())
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}
	pause := 3 * faultHeartbeat
	// The last outage outlasts a request's 11 attempts of 300 ms: those
	// requests fail with ErrNoReply.
	outage := time.Duration(policy.Retries+2) * policy.Timeout
	steps := []struct {
		what  string
		peers []*peer
		pause time.Duration
	}{
		{"broker", []*peer{broker}, pause},
		{"worker 0", workers[:1], pause},
		{"both workers", workers, pause},
		{"broker and worker 1", []*peer{broker, workers[1]}, pause},
		{"broker", []*peer{broker}, pause},
		{"both workers, for longer than the retries", workers, outage},
	}
	for _, step := range steps {
		progress(100)
		before := answered.Load()
		for _, p := range step.peers {
			p.kill()
		}
		time.Sleep(step.pause) // long enough for requests to time out
		for _, p := range step.peers {
			p.start()
		}
		t.Logf("killed %s with %d answered", step.what, before)
	}
	progress(100)
	close(chaosDone)
	wg.Wait()

	var total majordomo.ClientStats
	for i, s := range stats {
		if s.Sent != s.Answered+s.Failed {
			t.Errorf("client %d: %d sent, %d answered, %d failed", i, s.Sent, s.Answered, s.Failed)
		}
		total.Sent += s.Sent
		total.Answered += s.Answered
		total.Retried += s.Retried
		total.Failed += s.Failed
	}
	t.Logf("%d clients: sent %d, answered %d, retried %d, failed %d; kills: broker %d, workers %d+%d",
		clients, total.Sent, total.Answered, total.Retried, total.Failed, broker.kills, workers[0].kills, workers[1].kills)
	if total.Retried == 0 || total.Failed == 0 {
		t.Errorf("%d retried, %d failed: the faults did not bite", total.Retried, total.Failed)
	}
}
