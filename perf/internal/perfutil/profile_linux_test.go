package perfutil

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zring/zring"
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
