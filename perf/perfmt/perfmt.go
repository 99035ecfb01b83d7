// Package perfmt holds what every zring perf tool and comparison peer
// prints and how it times: libzmq's stopwatch, the result lines of its perf
// tools (local_thr's four, remote_lat's three), and the latency percentiles
// zring's tools add. bench/run reads these lines from all of them alike,
// the C twins in bench/c included. It uses only the standard library, so the
// peers' module (bench/peers) shares it without linking zring.
package perfmt

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// Stopwatch measures elapsed time on the monotonic clock, like libzmq's
// zmq_stopwatch_start/zmq_stopwatch_stop.
type Stopwatch struct{ start time.Time }

// StartStopwatch starts a stopwatch.
func StartStopwatch() Stopwatch { return Stopwatch{start: time.Now()} }

// Micros returns the whole microseconds elapsed since the start.
func (s Stopwatch) Micros() uint64 {
	d := time.Since(s.start)
	if d < 0 {
		return 0
	}
	return uint64(d / time.Microsecond)
}

// PrintThroughput prints local_thr's four lines. As in libzmq, the rate is
// count/elapsed even though the stopwatch covered count-1 messages, and
// Mb/s counts payload bytes only.
func PrintThroughput(w io.Writer, size, count int, elapsedMicros uint64) {
	PrintRate(w, size, count, Rate(count, elapsedMicros))
}

// Rate is libzmq's throughput formula: n messages over elapsedMicros, in
// whole messages per second; a zero elapsed time counts as 1 µs.
func Rate(n int, elapsedMicros uint64) uint64 {
	if elapsedMicros == 0 {
		elapsedMicros = 1
	}
	return uint64(float64(n) / float64(elapsedMicros) * 1e6)
}

// PrintRate prints local_thr's four lines for a rate computed by the
// caller.
func PrintRate(w io.Writer, size, count int, throughput uint64) {
	megabits := float64(throughput) * float64(size) * 8 / 1e6
	fmt.Fprintf(w, "message size: %d [B]\n", size)
	fmt.Fprintf(w, "message count: %d\n", count)
	fmt.Fprintf(w, "mean throughput: %d [msg/s]\n", throughput)
	fmt.Fprintf(w, "mean throughput: %.3f [Mb/s]\n", megabits)
}

// PrintLoss prints the line a lossy (udp://) local_thr adds: lost of
// sent messages never arrived. libzmq's tools have no such line.
func PrintLoss(w io.Writer, lost, sent int) {
	fmt.Fprintf(w, "message loss: %d of %d (%.2f%%)\n", lost, sent, 100*float64(lost)/float64(max(sent, 1)))
}

// PrintLatency prints remote_lat's three lines. The latency is half the
// average round-trip time: elapsed/(2*roundtrips).
func PrintLatency(w io.Writer, size, roundtrips int, elapsedMicros uint64) {
	latency := float64(elapsedMicros) / (float64(roundtrips) * 2)
	fmt.Fprintf(w, "message size: %d [B]\n", size)
	fmt.Fprintf(w, "roundtrip count: %d\n", roundtrips)
	fmt.Fprintf(w, "average latency: %.3f [us]\n", latency)
}

// Laps records the time of every round trip into a slice allocated up
// front, so recording allocates nothing.
type Laps struct {
	start time.Time
	ends  []time.Duration // ends[i]: the end of round trip i, since start
}

// NewLaps makes room for n round trips.
func NewLaps(n int) *Laps { return &Laps{ends: make([]time.Duration, 0, n)} }

// Start starts the first round trip (call it where the stopwatch starts, so
// that the round trips add up to the elapsed time) and forgets any earlier
// ones.
func (l *Laps) Start() {
	l.ends = l.ends[:0]
	l.start = time.Now()
}

// Mark ends a round trip and starts the next. Marks beyond NewLaps's n are
// dropped rather than allocated for.
func (l *Laps) Mark() {
	if len(l.ends) < cap(l.ends) {
		l.ends = append(l.ends, time.Since(l.start))
	}
}

// Roundtrips turns the marks into the round trips' durations, in place,
// and returns them; call it once, after the last Mark.
func (l *Laps) Roundtrips() []time.Duration {
	var prev time.Duration
	for i, end := range l.ends {
		l.ends[i], prev = end-prev, end
	}
	return l.ends
}

// Percentile returns the perMille/1000 quantile of sorted (ascending) by the
// nearest-rank rule: the value of rank ceil(perMille*N/1000), counting from
// 1, at least rank 1. So for N = 1000, p50 (500) is the 500th value, p99
// (990) the 990th and p99.9 (999) the 999th. Integer per-mille keeps the
// rank exact (no floating-point rounding at 99.9). It returns 0 for an
// empty slice.
func Percentile(sorted []time.Duration, perMille int) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := (perMille*n + 999) / 1000
	rank = max(1, min(rank, n))
	return sorted[rank-1]
}

// PrintPercentiles sorts roundtrips in place and prints remote_lat's line
// after PrintLatency's: the p50, p90, p99 and p99.9 (nearest rank, see
// Percentile) and the maximum of half the round-trip time, in
// microseconds, comparable with the average latency. For example:
//
//	latency percentiles: p50 24.101 p90 27.310 p99 41.882 p99.9 80.404 max 412.020 [us]
func PrintPercentiles(w io.Writer, roundtrips []time.Duration) {
	slices.Sort(roundtrips)
	half := func(perMille int) float64 {
		return float64(Percentile(roundtrips, perMille)) / 2 / float64(time.Microsecond)
	}
	fmt.Fprintf(w, "latency percentiles: p50 %.3f p90 %.3f p99 %.3f p99.9 %.3f max %.3f [us]\n",
		half(500), half(900), half(990), half(999), half(1000))
}
