package perfout

import (
	"bytes"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	a, err := Parse([]string{"remote_lat", "tcp://127.0.0.1:5555", "64", "1000"})
	if err != nil || a != (Args{Tool: RemoteLat, Endpoint: "tcp://127.0.0.1:5555", Size: 64, Count: 1000}) {
		t.Fatalf("got %+v, %v", a, err)
	}
	if a, err = Parse([]string{"local_thr", "ipc:///tmp/x", "0", "1"}); err != nil || a.Size != 0 {
		t.Fatalf("size 0: got %+v, %v", a, err)
	}
	for _, args := range [][]string{
		{},
		{"local_thr", "tcp://127.0.0.1:5555", "64"},
		{"local_thr", "tcp://127.0.0.1:5555", "64", "10", "1"},
		{"inproc_thr", "tcp://127.0.0.1:5555", "64", "10"},
		{"local_thr", "tcp://127.0.0.1:5555", "-1", "10"},
		{"local_thr", "tcp://127.0.0.1:5555", "64", "0"},
		{"local_lat", "tcp://127.0.0.1:5555", "x", "10"},
	} {
		if _, err := Parse(args); err == nil {
			t.Errorf("Parse(%q): no error", args)
		}
	}
}

func TestSplitEndpoint(t *testing.T) {
	for in, want := range map[string][2]string{
		"tcp://127.0.0.1:5555": {"tcp", "127.0.0.1:5555"},
		"ipc:///tmp/peer.sock": {"unix", "/tmp/peer.sock"},
	} {
		n, a, err := SplitEndpoint(in)
		if err != nil || n != want[0] || a != want[1] {
			t.Errorf("SplitEndpoint(%q) = %q, %q, %v; want %q", in, n, a, err, want)
		}
	}
	for _, in := range []string{"", "tcp://", "127.0.0.1:5555", "inproc://x", "udp://1.2.3.4:5"} {
		if _, _, err := SplitEndpoint(in); err == nil {
			t.Errorf("SplitEndpoint(%q): no error", in)
		}
	}
}

func TestPrintThroughputAndLatency(t *testing.T) {
	var b bytes.Buffer
	PrintThroughput(&b, 64, 2000000, 800000)
	PrintLatency(&b, 64, 20000, 1234567)
	want := "message size: 64 [B]\nmessage count: 2000000\nmean throughput: 2500000 [msg/s]\nmean throughput: 1280.000 [Mb/s]\n" +
		"message size: 64 [B]\nroundtrip count: 20000\naverage latency: 30.864 [us]\n"
	if b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// TestPercentile checks the nearest-rank rule on 1..1000 µs (shuffled by
// the sort in PrintPercentiles) and on small inputs.
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
	// N = 10: p50 is rank 5, p99 and p99.9 are rank 10 (ceil(9.9), ceil(9.99)).
	ten := sorted[:10]
	for perMille, want := range map[int]time.Duration{500: 5, 990: 10, 999: 10} {
		if got := Percentile(ten, perMille); got != want*time.Microsecond {
			t.Errorf("Percentile(1..10, %d) = %v, want %v", perMille, got, want*time.Microsecond)
		}
	}
	if got := Percentile(nil, 500); got != 0 {
		t.Errorf("Percentile(nil) = %v, want 0", got)
	}

	rev := make([]time.Duration, 1000)
	for i := range rev {
		rev[i] = time.Duration(2000-2*i) * time.Microsecond // 2000, 1998, ..., 2 µs round trips
	}
	var b bytes.Buffer
	PrintPercentiles(&b, rev)
	if want := "latency percentiles: p50 500.000 p99 990.000 p99.9 999.000 [us]\n"; b.String() != want {
		t.Fatalf("got %q, want %q", b.String(), want)
	}
}

func TestLaps(t *testing.T) {
	l := NewLaps(3)
	l.Start()
	for range 5 { // two beyond capacity: dropped
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
