package perfutil

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

var localThr = Tool{Name: "local_thr", Endpoint: "bind-to", Count: "message-count", MinCount: 1}

func TestParseArgs(t *testing.T) {
	cfg, err := ParseArgs(localThr, []string{"-io-threads", "2", "-cpus", "0, 1", "-cpuprofile", "p.out", "--poller=uring",
		"-raise-procs", "tcp://127.0.0.1:5555", "64", "1000"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Endpoint != "tcp://127.0.0.1:5555" || cfg.Size != 64 || cfg.Count != 1000 ||
		cfg.IOThreads != 2 || !slices.Equal(cfg.CPUs, []int{0, 1}) || cfg.CPUProfile != "p.out" || cfg.Poller != "uring" ||
		!cfg.RaiseProcs {
		t.Fatalf("got %+v", cfg)
	}

	cfg, err = ParseArgs(localThr, []string{"tcp://127.0.0.1:5555", "0", "1"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.IOThreads != 1 || cfg.CPUs != nil || cfg.CPUProfile != "" || cfg.Size != 0 || cfg.RaiseProcs {
		t.Fatalf("defaults: got %+v", cfg)
	}
}

func TestParseArgsErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"tcp://127.0.0.1:5555", "64"},
		{"tcp://127.0.0.1:5555", "64", "10", "extra"},
		{"tcp://127.0.0.1:5555", "-1", "10"},
		{"tcp://127.0.0.1:5555", "64", "0"}, // below MinCount
		{"tcp://127.0.0.1:5555", "x", "10"},
		{"-poller", "kqueue", "tcp://127.0.0.1:5555", "64", "10"},
		{"-connections", "2", "tcp://127.0.0.1:5555", "64", "10"}, // not a remote_thr
		{"-io-threads", "0", "tcp://127.0.0.1:5555", "64", "10"},
		{"-cpus", "0,a", "tcp://127.0.0.1:5555", "64", "10"},
		{"-nosuchflag", "tcp://127.0.0.1:5555", "64", "10"},
	} {
		var usage bytes.Buffer
		if _, err := ParseArgs(localThr, args, &usage); err == nil {
			t.Errorf("ParseArgs(%q): no error", args)
		}
	}
}

var inprocThr = Tool{Name: "inproc_thr", Count: "message-count", MinCount: 1, NoEndpoint: true}

func TestParseArgsNoEndpoint(t *testing.T) {
	cfg, err := ParseArgs(inprocThr, []string{"-io-threads", "2", "-cpus", "1", "64", "1000"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Endpoint != "" || cfg.Size != 64 || cfg.Count != 1000 ||
		cfg.IOThreads != 2 || !slices.Equal(cfg.CPUs, []int{1}) || cfg.CPUProfile != "" {
		t.Fatalf("got %+v", cfg)
	}
}

func TestParseArgsNoEndpointErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"64"},
		{"inproc://thr_test", "64", "10"}, // no endpoint argument
		{"-1", "10"},
		{"64", "0"}, // below MinCount
		{"64", "x"},
		{"-io-threads", "0", "64", "10"},
	} {
		var usage bytes.Buffer
		if _, err := ParseArgs(inprocThr, args, &usage); err == nil {
			t.Errorf("ParseArgs(%q): no error", args)
		}
	}
}

func TestUsageLine(t *testing.T) {
	for _, tc := range []struct {
		tool Tool
		want string
	}{
		{localThr, "usage: local_thr [flags] <bind-to> <message-size> <message-count>\n"},
		{inprocThr, "usage: inproc_thr [flags] <message-size> <message-count>\n"},
	} {
		var usage bytes.Buffer
		if _, err := ParseArgs(tc.tool, nil, &usage); err == nil {
			t.Fatalf("%s: no error without arguments", tc.tool.Name)
		}
		if !strings.HasPrefix(usage.String(), tc.want) {
			t.Errorf("%s: usage starts %q, want %q", tc.tool.Name, usage.String(), tc.want)
		}
	}
}

func TestParseCPUs(t *testing.T) {
	for in, want := range map[string][]int{"": nil, " ": nil, "3": {3}, "0,1": {0, 1}, "1, 0": {1, 0}} {
		got, err := ParseCPUs(in)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("ParseCPUs(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{",", "0,", "-1", "a"} {
		if _, err := ParseCPUs(in); err == nil {
			t.Errorf("ParseCPUs(%q): no error", in)
		}
	}
}

func TestPrintThroughput(t *testing.T) {
	var b bytes.Buffer
	PrintThroughput(&b, 64, 2000000, 800000) // 2M messages in 0.8 s
	want := "message size: 64 [B]\n" +
		"message count: 2000000\n" +
		"mean throughput: 2500000 [msg/s]\n" +
		"mean throughput: 1280.000 [Mb/s]\n"
	if b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}

	b.Reset()
	PrintThroughput(&b, 1, 1, 0) // zero elapsed counts as 1 µs
	if want := "mean throughput: 1000000 [msg/s]\n"; !bytes.Contains(b.Bytes(), []byte(want)) {
		t.Fatalf("got\n%s\nwant a line %q", b.String(), want)
	}
}

func TestPrintLatency(t *testing.T) {
	var b bytes.Buffer
	PrintLatency(&b, 64, 20000, 1234567)
	want := "message size: 64 [B]\n" +
		"roundtrip count: 20000\n" +
		"average latency: 30.864 [us]\n"
	if b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestConnectionsFlag(t *testing.T) {
	remote := Tool{Name: "remote_thr", Endpoint: "connect-to", Count: "message-count", Connections: true}
	cfg, err := ParseArgs(remote, []string{"-connections", "100", "tcp://127.0.0.1:5555", "64", "10"}, io.Discard)
	if err != nil || cfg.Conns != 100 {
		t.Fatalf("got %+v, %v", cfg, err)
	}
	if cfg, err = ParseArgs(remote, []string{"tcp://127.0.0.1:5555", "64", "10"}, io.Discard); err != nil || cfg.Conns != 1 {
		t.Fatalf("default: got %+v, %v", cfg, err)
	}
	if _, err = ParseArgs(remote, []string{"-connections", "0", "tcp://127.0.0.1:5555", "64", "10"}, io.Discard); err == nil {
		t.Fatal("-connections 0 accepted")
	}
}

// TestParseArgsCurve: local_thr and remote_thr take libzmq's optional
// [curve] argument, read like atoi: non-zero turns CURVE on.
func TestParseArgsCurve(t *testing.T) {
	tool := localThr
	tool.Curve = true
	for arg, want := range map[string]bool{"1": true, "7": true, "0": false, "x": false} {
		cfg, err := ParseArgs(tool, []string{"tcp://127.0.0.1:5555", "64", "10", arg}, io.Discard)
		if err != nil || cfg.Curve != want {
			t.Fatalf("[curve] %q: got %+v, %v; want Curve=%v", arg, cfg, err, want)
		}
	}
	cfg, err := ParseArgs(tool, []string{"tcp://127.0.0.1:5555", "64", "10"}, io.Discard)
	if err != nil || cfg.Curve {
		t.Fatalf("no [curve]: got %+v, %v", cfg, err)
	}
	if _, err := ParseArgs(tool, []string{"tcp://127.0.0.1:5555", "64", "10", "1", "extra"}, io.Discard); err == nil {
		t.Fatal("five arguments accepted")
	}
}

// TestPercentile checks the nearest-rank rule (rank ceil(perMille*N/1000))
// at exact ranks on 1..1000 µs and on 1..10 µs.
func TestPercentile(t *testing.T) {
	sorted := make([]time.Duration, 1000)
	for i := range sorted {
		sorted[i] = time.Duration(i+1) * time.Microsecond
	}
	for perMille, want := range map[int]time.Duration{500: 500, 990: 990, 999: 999, 1000: 1000, 1: 1, 0: 1} {
		if got := Percentile(sorted, perMille); got != want*time.Microsecond {
			t.Errorf("Percentile(1..1000, %d) = %v, want %v", perMille, got, want*time.Microsecond)
		}
	}
	// N = 10: p50 is rank 5; p99 and p99.9 are rank 10 (ceil(9.9), ceil(9.99)).
	for perMille, want := range map[int]time.Duration{500: 5, 990: 10, 999: 10} {
		if got := Percentile(sorted[:10], perMille); got != want*time.Microsecond {
			t.Errorf("Percentile(1..10, %d) = %v, want %v", perMille, got, want*time.Microsecond)
		}
	}
	if got := Percentile(nil, 500); got != 0 {
		t.Errorf("Percentile(nil) = %v, want 0", got)
	}
}

// TestPrintPercentiles: the line gives half the round trip, from unsorted
// input (round trips of 2000, 1998, ..., 2 µs).
func TestPrintPercentiles(t *testing.T) {
	rt := make([]time.Duration, 1000)
	for i := range rt {
		rt[i] = time.Duration(2000-2*i) * time.Microsecond
	}
	var b bytes.Buffer
	PrintPercentiles(&b, rt)
	if want := "latency percentiles: p50 500.000 p99 990.000 p99.9 999.000 [us]\n"; b.String() != want {
		t.Fatalf("got %q, want %q", b.String(), want)
	}
}

// TestLaps: marks become per-round-trip durations, marks past the capacity
// are dropped, and marking allocates nothing.
func TestLaps(t *testing.T) {
	l := NewLaps(3)
	l.Start()
	for range 5 {
		time.Sleep(time.Millisecond)
		l.Mark()
	}
	rt := l.Roundtrips()
	if len(rt) != 3 {
		t.Fatalf("got %d round trips, want 3", len(rt))
	}
	for i, d := range rt {
		if d < time.Millisecond || d > time.Second {
			t.Errorf("round trip %d took %v, want about 1ms", i, d)
		}
	}
	l.Start()
	if allocs := testing.AllocsPerRun(100, l.Mark); allocs != 0 {
		t.Errorf("Mark allocates %v times", allocs)
	}
}
