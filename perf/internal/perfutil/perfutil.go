// Package perfutil holds what zring's perf tools (perf/local_thr,
// perf/remote_thr, perf/local_lat, perf/remote_lat, perf/inproc_thr,
// perf/inproc_lat, and the fan-out pair perf/pub_thr and perf/sub_thr)
// share: command-line parsing, the stopwatch, CPU profiling, the result
// lines, and the zring set-up and message loops (zring.go, fanout.go).
//
// The tools take the same positional arguments and print the same lines as
// libzmq's perf tools, and compute their figures with the same formulas, so
// that their output can be compared side by side (see bench/run).
package perfutil

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/zring/zring/poll"
)

// Tool describes one perf tool's command line.
type Tool struct {
	Name     string // e.g. "local_thr"
	Endpoint string // name of the first argument: "bind-to" or "connect-to"
	Count    string // name of the last argument: "message-count" or "roundtrip-count"
	MinCount int    // smallest accepted count
	// NoEndpoint drops the endpoint argument, for tools that pick their
	// own (inproc_thr, inproc_lat): they take <message-size> <count>.
	NoEndpoint bool
	// Connections adds the -connections flag (remote_thr): connect that
	// many times, over as many TCP connections.
	Connections bool
	// Curve adds libzmq's optional [curve] argument (local_thr and
	// remote_thr; local_lat and remote_lat take it too, which libzmq's do
	// not): a non-zero integer runs the test over CURVE.
	Curve bool
	// Subscribers adds a fourth positional argument, the number of
	// subscribers: <subscribers> (SubscribersRequired, pub_thr) or
	// [subscribers], 1 when absent (SubscribersOptional, sub_thr). It
	// does not go with Curve.
	Subscribers SubscribersArg
}

// SubscribersArg says whether a tool takes a subscriber count.
type SubscribersArg int

// The kinds of subscriber-count argument.
const (
	NoSubscribers       SubscribersArg = iota // no such argument
	SubscribersRequired                       // <subscribers>, at least 1
	SubscribersOptional                       // [subscribers], at least 1, 1 when absent
)

// Config is a parsed command line.
type Config struct {
	Tool       Tool
	Endpoint   string // first argument, e.g. "tcp://127.0.0.1:5555"; "" with NoEndpoint
	Size       int    // message size in bytes
	Count      int    // message or roundtrip count
	IOThreads  int    // -io-threads
	CPUs       []int  // -cpus; nil means no pinning
	CPUProfile string // -cpuprofile; "" means no profile
	Poller     string // -poller: auto, epoll or uring; "" means $ZRING_POLLER, else auto
	RaiseProcs bool   // -raise-procs: the context raises GOMAXPROCS by its I/O threads
	Conns      int    // -connections (Tool.Connections); 1 otherwise
	Curve      bool   // [curve] was given and is not 0 (Tool.Curve)
	Subs       int    // <subscribers> or [subscribers] (Tool.Subscribers); 1 otherwise

	profile *os.File
}

// Parse parses os.Args for t. On a usage error it prints the usage to
// stderr and exits with status 1.
func Parse(t Tool) *Config {
	cfg, err := ParseArgs(t, os.Args[1:], os.Stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(os.Stderr, "%s: %v\n", t.Name, err)
		}
		os.Exit(1)
	}
	return cfg
}

// ParseArgs parses args (flags, then the positional arguments: three, two
// with t.NoEndpoint, four with SubscribersRequired, and one more that may
// be left out with Curve or SubscribersOptional) for t. Usage text goes to stderr when the
// arguments are wrong.
func ParseArgs(t Tool, args []string, stderr io.Writer) (*Config, error) {
	cfg := &Config{Tool: t}
	fs := flag.NewFlagSet(t.Name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&cfg.IOThreads, "io-threads", 1, "number of I/O threads")
	cpus := fs.String("cpus", "", "pin I/O threads to these CPUs, comma-separated (e.g. 0,1); empty: no pinning")
	fs.StringVar(&cfg.Poller, "poller", "", "I/O thread backend: auto, epoll or uring (default $ZRING_POLLER, else auto)")
	fs.BoolVar(&cfg.RaiseProcs, "raise-procs", false, "raise GOMAXPROCS by the I/O threads (zring.WithRaiseGOMAXPROCS); default: GOMAXPROCS untouched, as for any application")
	cfg.Conns = 1
	if t.Connections {
		fs.IntVar(&cfg.Conns, "connections", 1, "connect this many times (TCP connections, used round-robin)")
	}
	fs.StringVar(&cfg.CPUProfile, "cpuprofile", "", "write a CPU profile to this file (view: go tool pprof -http=: FILE)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s [flags] %s\nflags:\n", t.Name, t.positional())
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	pos := fs.Args()
	want := t.nargs()
	if t.Subscribers == SubscribersRequired {
		want++
	}
	optional := t.Curve || t.Subscribers == SubscribersOptional
	if len(pos) != want && (!optional || len(pos) != want+1) {
		fs.Usage()
		return nil, fmt.Errorf("want %d arguments, got %d", want, len(pos))
	}
	if cfg.IOThreads < 1 {
		return nil, fmt.Errorf("-io-threads must be at least 1, got %d", cfg.IOThreads)
	}
	if cfg.Conns < 1 {
		return nil, fmt.Errorf("-connections must be at least 1, got %d", cfg.Conns)
	}
	if _, err := poll.ParseKind(cfg.Poller); err != nil {
		return nil, err
	}
	var err error
	if cfg.CPUs, err = ParseCPUs(*cpus); err != nil {
		return nil, err
	}
	if !t.NoEndpoint {
		cfg.Endpoint, pos = pos[0], pos[1:]
	}
	if cfg.Size, err = parseCount("message-size", pos[0], 0); err != nil {
		return nil, err
	}
	if cfg.Count, err = parseCount(t.Count, pos[1], t.MinCount); err != nil {
		return nil, err
	}
	cfg.Subs = 1
	switch {
	case len(pos) > 2 && t.Subscribers != NoSubscribers:
		if cfg.Subs, err = parseCount("subscribers", pos[2], 1); err != nil {
			return nil, err
		}
	case len(pos) > 2:
		// libzmq reads it with atoi: anything but a non-zero number is off.
		n, _ := strconv.Atoi(pos[2])
		cfg.Curve = n != 0
	}
	return cfg, nil
}

// nargs is the number of positional arguments t takes.
func (t Tool) nargs() int {
	if t.NoEndpoint {
		return 2
	}
	return 3
}

// positional describes t's positional arguments for the usage line.
func (t Tool) positional() string {
	if t.NoEndpoint {
		return fmt.Sprintf("<message-size> <%s>", t.Count)
	}
	switch {
	case t.Subscribers == SubscribersRequired:
		return fmt.Sprintf("<%s> <message-size> <%s> <subscribers>", t.Endpoint, t.Count)
	case t.Subscribers == SubscribersOptional:
		return fmt.Sprintf("<%s> <message-size> <%s> [subscribers]", t.Endpoint, t.Count)
	case t.Curve:
		return fmt.Sprintf("<%s> <message-size> <%s> [curve]", t.Endpoint, t.Count)
	}
	return fmt.Sprintf("<%s> <message-size> <%s>", t.Endpoint, t.Count)
}

func parseCount(name, s string, min int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < min {
		return 0, fmt.Errorf("invalid %s %q: want an integer >= %d", name, s, min)
	}
	return n, nil
}

// ParseCPUs parses a comma-separated CPU list such as "0,1". The empty
// string yields nil (no pinning).
func ParseCPUs(s string) ([]int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	var cpus []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 0 {
			return nil, fmt.Errorf("invalid -cpus entry %q in %q", f, s)
		}
		cpus = append(cpus, n)
	}
	return cpus, nil
}

// StartProfile starts the CPU profile if -cpuprofile was given.
func (c *Config) StartProfile() {
	if c.CPUProfile == "" {
		return
	}
	f, err := os.Create(c.CPUProfile)
	if err != nil {
		c.Fatalf("cpuprofile: %v", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		c.Fatalf("cpuprofile: %v", err)
	}
	c.profile = f
}

// StopProfile stops and writes the CPU profile, if one is running.
func (c *Config) StopProfile() {
	if c.profile == nil {
		return
	}
	pprof.StopCPUProfile()
	if err := c.profile.Close(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: cpuprofile: %v\n", c.Tool.Name, err)
	}
	c.profile = nil
}

// Fatalf stops the profile, prints the message to stderr and exits with
// status 1.
func (c *Config) Fatalf(format string, args ...any) {
	c.StopProfile()
	fmt.Fprintf(os.Stderr, c.Tool.Name+": "+format+"\n", args...)
	os.Exit(1)
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
	printThroughput(w, size, count, Rate(count, elapsedMicros))
}

// Rate is libzmq's throughput formula: n messages over elapsedMicros, in
// whole messages per second; a zero elapsed time counts as 1 µs.
func Rate(n int, elapsedMicros uint64) uint64 {
	if elapsedMicros == 0 {
		elapsedMicros = 1
	}
	return uint64(float64(n) / float64(elapsedMicros) * 1e6)
}

// printThroughput prints local_thr's four lines for a rate computed by the
// caller.
func printThroughput(w io.Writer, size, count int, throughput uint64) {
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

// PrintPercentiles sorts roundtrips in place and prints remote_lat's line
// after PrintLatency's: p50, p99 and p99.9 (nearest rank, see Percentile)
// of half the round-trip time, in microseconds, comparable with the
// average latency.
func PrintPercentiles(w io.Writer, roundtrips []time.Duration) {
	slices.Sort(roundtrips)
	half := func(perMille int) float64 {
		return float64(Percentile(roundtrips, perMille)) / 2 / float64(time.Microsecond)
	}
	fmt.Fprintf(w, "latency percentiles: p50 %.3f p99 %.3f p99.9 %.3f [us]\n", half(500), half(990), half(999))
}
