// Package perfout holds what the comparison peers' perf tools (bench/peers/cmd/*)
// share: the command line, the stopwatch, the per-round-trip recording, and
// the result lines of libzmq's perf tools.
//
// Every peer is one binary whose first argument names the tool; the rest are
// libzmq's positional arguments:
//
//	<bin> local_thr <bind-to> <message-size> <message-count>
//	<bin> remote_thr <connect-to> <message-size> <message-count>
//	<bin> local_lat <bind-to> <message-size> <roundtrip-count>
//	<bin> remote_lat <connect-to> <message-size> <roundtrip-count>
//
// The figures follow libzmq's formulas: local_thr's stopwatch starts at the
// first message and the rate is count/elapsed; remote_lat's starts after the
// connect and the latency is elapsed/(2*roundtrips). remote_lat also prints
// the percentiles of half the round-trip time (PrintPercentiles). The output
// lines are those of bench/c and perf/, so bench/run reads all of them alike.
package perfout

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The tool names a peer binary takes as its first argument.
const (
	LocalThr  = "local_thr"
	RemoteThr = "remote_thr"
	LocalLat  = "local_lat"
	RemoteLat = "remote_lat"
)

// Args is a parsed command line.
type Args struct {
	Tool     string // LocalThr, RemoteThr, LocalLat or RemoteLat
	Endpoint string // e.g. "tcp://127.0.0.1:5555" or "ipc:///tmp/x"
	Size     int    // message size in bytes
	Count    int    // message count (thr) or roundtrip count (lat), at least 1
}

// Usage is the usage text for the binary prog.
func Usage(prog string) string {
	return fmt.Sprintf("usage: %[1]s local_thr <bind-to> <message-size> <message-count>\n"+
		"       %[1]s remote_thr <connect-to> <message-size> <message-count>\n"+
		"       %[1]s local_lat <bind-to> <message-size> <roundtrip-count>\n"+
		"       %[1]s remote_lat <connect-to> <message-size> <roundtrip-count>\n", prog)
}

// Parse parses the arguments after the program name: the tool, then its
// three positional arguments.
func Parse(args []string) (Args, error) {
	if len(args) != 4 {
		return Args{}, fmt.Errorf("want 4 arguments, got %d", len(args))
	}
	a := Args{Tool: args[0], Endpoint: args[1]}
	countName := "message-count"
	switch a.Tool {
	case LocalThr, RemoteThr:
	case LocalLat, RemoteLat:
		countName = "roundtrip-count"
	default:
		return Args{}, fmt.Errorf("unknown tool %q (want local_thr, remote_thr, local_lat or remote_lat)", a.Tool)
	}
	var err error
	if a.Size, err = parseInt("message-size", args[2], 0); err != nil {
		return Args{}, err
	}
	if a.Count, err = parseInt(countName, args[3], 1); err != nil {
		return Args{}, err
	}
	return a, nil
}

func parseInt(name, s string, min int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < min {
		return 0, fmt.Errorf("invalid %s %q: want an integer >= %d", name, s, min)
	}
	return n, nil
}

// Tools are a peer's implementations of the four tools. Each writes its
// result lines to stdout and returns an error on any failure.
type Tools struct {
	LocalThr, RemoteThr, LocalLat, RemoteLat func(Args) error
}

// Main parses os.Args and runs the tool they name. A usage error or a
// failed tool prints a message to stderr and exits with status 1.
func Main(prog string, t Tools) {
	a, err := Parse(os.Args[1:])
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n%s", prog, err, Usage(prog))
		os.Exit(1)
	}
	run := map[string]func(Args) error{
		LocalThr: t.LocalThr, RemoteThr: t.RemoteThr, LocalLat: t.LocalLat, RemoteLat: t.RemoteLat,
	}[a.Tool]
	if err := run(a); err != nil {
		fmt.Fprintf(os.Stderr, "%s %s: %v\n", prog, a.Tool, err)
		os.Exit(1)
	}
}

// SplitEndpoint maps a ZeroMQ endpoint onto a Go network and address:
// tcp://HOST:PORT is ("tcp", "HOST:PORT") and ipc://PATH is ("unix", PATH).
func SplitEndpoint(endpoint string) (network, address string, err error) {
	scheme, addr, ok := strings.Cut(endpoint, "://")
	if !ok || addr == "" {
		return "", "", fmt.Errorf("invalid endpoint %q: want tcp://HOST:PORT or ipc://PATH", endpoint)
	}
	switch scheme {
	case "tcp":
		return "tcp", addr, nil
	case "ipc":
		return "unix", addr, nil
	}
	return "", "", fmt.Errorf("unsupported transport %q in %q: want tcp or ipc", scheme, endpoint)
}

// CheckSize returns the error of libzmq's tools for a message of got bytes
// where want were expected, or nil.
func CheckSize(got, want int) error {
	if got != want {
		return fmt.Errorf("message of incorrect size received: %d, want %d", got, want)
	}
	return nil
}

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
	if elapsedMicros == 0 {
		elapsedMicros = 1
	}
	throughput := uint64(float64(count) / float64(elapsedMicros) * 1e6)
	megabits := float64(throughput) * float64(size) * 8 / 1e6
	fmt.Fprintf(w, "message size: %d [B]\n", size)
	fmt.Fprintf(w, "message count: %d\n", count)
	fmt.Fprintf(w, "mean throughput: %d [msg/s]\n", throughput)
	fmt.Fprintf(w, "mean throughput: %.3f [Mb/s]\n", megabits)
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

// PrintPercentiles sorts roundtrips in place and prints remote_lat's
// percentile line: p50, p99 and p99.9 (nearest rank, see Percentile) of
// half the round-trip time, in microseconds, comparable with the average
// latency line.
func PrintPercentiles(w io.Writer, roundtrips []time.Duration) {
	slices.Sort(roundtrips)
	half := func(perMille int) float64 {
		return float64(Percentile(roundtrips, perMille)) / 2 / float64(time.Microsecond)
	}
	fmt.Fprintf(w, "latency percentiles: p50 %.3f p99 %.3f p99.9 %.3f [us]\n", half(500), half(990), half(999))
}
