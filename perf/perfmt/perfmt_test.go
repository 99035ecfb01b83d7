package perfmt

import (
	"bytes"
	"testing"
	"time"
)

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

// TestPercentile checks the nearest-rank rule (rank ceil(perMille*N/1000))
// at exact ranks on 1..1000 µs and on 1..10 µs.
func TestPercentile(t *testing.T) {
	sorted := make([]time.Duration, 1000)
	for i := range sorted {
		sorted[i] = time.Duration(i+1) * time.Microsecond
	}
	for perMille, want := range map[int]time.Duration{500: 500, 900: 900, 990: 990, 999: 999, 1000: 1000, 1: 1, 0: 1} {
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
	if want := "latency percentiles: p50 500.000 p90 900.000 p99 990.000 p99.9 999.000 max 1000.000 [us]\n"; b.String() != want {
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
