package perfutil

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"testing"

	"github.com/google/pprof/profile"
	"github.com/zring/zring"
	"github.com/zring/zring/engine"
)

// skipIfProfiled skips a test that starts the CPU profile or the trace
// when go test itself runs them: there can be only one of each.
func skipIfProfiled(t *testing.T) {
	for _, name := range []string{"test.cpuprofile", "test.trace"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			t.Skipf("go test runs -%s", strings.TrimPrefix(name, "test."))
		}
	}
}

// StartProfile and StopProfile write every profile asked for, around
// round trips over TCP.
func TestProfilesWritten(t *testing.T) {
	skipIfProfiled(t)
	files := profileFiles(t.TempDir())
	cfg, err := ParseArgs(localThr, append(profileArgs(files), "tcp://127.0.0.1:*", "64", "2000"), os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	cfg.StartProfile()
	ctx := cfg.Context()
	rep := cfg.Open(ctx, cfg.RepType(), true, cfg.Endpoint)
	req := cfg.Open(ctx, cfg.ReqType(), false, rep.Endpoint())
	go cfg.Echo(rep)
	cfg.Roundtrips(req, nil)
	for _, s := range []*zring.Socket{rep, req} {
		cfg.CloseSocket(s)
	}
	cfg.CloseContext(ctx) // stops and writes the profiles
	checkProfileFiles(t, files)
	cfg.StopProfile() // a second call does nothing
}

// A short run of a real tool (inproc_lat) writes every profile at its end.
func TestToolWritesProfiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a tool")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "inproc_lat")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/zring/zring/perf/inproc_lat").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	files := profileFiles(dir)
	out, err := exec.Command(bin, append(profileArgs(files), "64", "1000")...).CombinedOutput()
	if err != nil {
		t.Fatalf("inproc_lat: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "average latency: ") {
		t.Errorf("inproc_lat printed no latency:\n%s", out)
	}
	checkProfileFiles(t, files)
}

// inLoop reports whether s was taken in an I/O thread's loop.
func inLoop(s *profile.Sample) bool {
	return hasFrame(s, "github.com/zring/zring/engine.(*Thread).run")
}

// inApplication reports whether s was taken in the test's own goroutines,
// the sender's and the receiver's.
func inApplication(s *profile.Sample) bool {
	return hasFrame(s, "github.com/zring/zring/perf/internal/perfutil.(*Config).Send",
		"github.com/zring/zring/perf/internal/perfutil.(*Config).Receive")
}

// hasFrame reports whether s's stack has a frame of one of the functions.
func hasFrame(s *profile.Sample, funcs ...string) bool {
	for _, loc := range s.Location {
		for _, l := range loc.Line {
			if slices.Contains(funcs, l.Function.Name) {
				return true
			}
		}
	}
	return false
}

// A CPU profile taken while messages flow over TCP carries the I/O
// thread's labels, so that go tool pprof -tagfocus zring=io (or thread=0)
// keeps its work: its loop's samples are labelled, the sending and
// receiving goroutines' are not.
// Rounds of 100,000 messages go on until the profile has such samples (a
// round costs the I/O thread about 10 ms of CPU, a sample's worth).
func TestCPUProfileLabels(t *testing.T) {
	skipIfProfiled(t)
	ctx, err := zring.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	cfg := &Config{Size: 64, Count: 100000, Conns: 1}
	pull := cfg.Open(ctx, zring.Pull, true, "tcp://127.0.0.1:*")
	push := cfg.Open(ctx, zring.Push, false, pull.Endpoint())
	defer cfg.CloseSocket(push)
	defer cfg.CloseSocket(pull)
	const rounds = 50
	for range rounds {
		var b bytes.Buffer
		if err := pprof.StartCPUProfile(&b); err != nil {
			t.Fatal(err)
		}
		go cfg.Send(push)
		cfg.Receive(pull)
		pprof.StopCPUProfile()
		p, err := profile.Parse(&b)
		if err != nil {
			t.Fatal(err)
		}
		labelled := 0
		for _, s := range p.Sample {
			io := slices.Equal(s.Label[engine.LabelKey], []string{engine.LabelIO}) &&
				slices.Equal(s.Label[engine.LabelThreadKey], []string{"0"})
			switch {
			case io && inApplication(s):
				t.Errorf("a sample of the application's goroutines is labelled %v", s.Label)
			case !io && inLoop(s):
				t.Errorf("a sample of the I/O loop is labelled %v, want %s=%s, %s=0", s.Label, engine.LabelKey, engine.LabelIO, engine.LabelThreadKey)
			case io:
				labelled++
			}
		}
		if t.Failed() || labelled > 0 {
			return
		}
	}
	t.Fatalf("%d rounds of %d messages and no sample labelled %s=%s", rounds, cfg.Count, engine.LabelKey, engine.LabelIO)
}
