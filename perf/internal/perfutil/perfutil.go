// Package perfutil holds what zring's perf tools (perf/local_thr,
// perf/remote_thr, perf/local_lat, perf/remote_lat, perf/inproc_thr,
// perf/inproc_lat, and the fan-out pair perf/pub_thr and perf/sub_thr)
// share: command-line parsing, profiling (profile.go), and the zring
// set-up and message loops (zring.go, fanout.go). The stopwatch and the
// result lines are perf/perfmt's, shared with the comparison peers in
// bench/peers.
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
	"slices"
	"strconv"
	"strings"

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
	// Batch adds the -batch flag (the throughput tools): move messages
	// with SendBatch and RecvBatch, that many per call, instead of one
	// SendFrame or RecvFrame per message.
	Batch bool
	// Router adds the -router flag (the latency tools): ROUTER and DEALER
	// in place of REP and REQ.
	Router bool
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
	Poller     string // -poller: auto, epoll or uring; "" means $ZRING_POLLER, else auto
	RaiseProcs bool   // -raise-procs: the context raises GOMAXPROCS by its I/O threads
	Conns      int    // -connections (Tool.Connections); 1 otherwise
	Batch      int    // -batch (Tool.Batch): messages per SendBatch/RecvBatch; 0 means one call per message
	Router     bool   // -router (Tool.Router): ROUTER/DEALER round trips instead of REP/REQ
	Curve      bool   // [curve] was given and is not 0 (Tool.Curve)
	// Pattern is -pattern (the throughput and latency tools): "push"
	// (PUSH/PULL) or "req" (REQ/REP, DEALER/ROUTER with -router), the
	// defaults; "client" (CLIENT/SERVER, both kinds); "radio" (RADIO/DISH
	// in group "perf", throughput only, lossless under XPUB_NODROP).
	Pattern string
	Subs    int // <subscribers> or [subscribers] (Tool.Subscribers); 1 otherwise

	// The profiles of the run (profile.go), each a file name; "" means
	// none.
	CPUProfile   string // -cpuprofile: CPU samples, the I/O threads' labelled
	MemProfile   string // -memprofile: allocations (the allocs profile), written at the end
	Trace        string // -trace: the execution trace (go tool trace)
	MutexProfile string // -mutexprofile: contended mutexes, written at the end
	BlockProfile string // -blockprofile: blocking events, written at the end

	profiles profiles
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
	if t.Batch {
		fs.IntVar(&cfg.Batch, "batch", 0, "move up to this many messages per SendBatch/RecvBatch call; 0: SendFrame/RecvFrame, one per message")
	}
	if t.Router {
		fs.BoolVar(&cfg.Router, "router", false, "round trips between a DEALER and a ROUTER instead of a REQ and a REP")
	}
	patterns := t.patterns()
	if len(patterns) > 0 {
		fs.StringVar(&cfg.Pattern, "pattern", patterns[0], "socket pattern: "+strings.Join(patterns, ", ")+" (libzmq's draft types: bench/bin/draft/ for the C side)")
	}
	profileFlags(fs, cfg)
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
	if cfg.Batch < 0 {
		return nil, fmt.Errorf("-batch must not be negative, got %d", cfg.Batch)
	}
	if patterns := t.patterns(); len(patterns) > 0 {
		switch {
		case !slices.Contains(patterns, cfg.Pattern):
			return nil, fmt.Errorf("-pattern %q: want one of %s", cfg.Pattern, strings.Join(patterns, ", "))
		case cfg.Pattern != patterns[0] && (cfg.Batch > 0 || cfg.Router):
			return nil, fmt.Errorf("-pattern %s goes with neither -batch nor -router", cfg.Pattern)
		}
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

// patterns lists the -pattern values of t, its default first: the
// throughput tools (those with -batch) and the latency tools (those with
// -router) take one; the others none.
func (t Tool) patterns() []string {
	switch {
	case t.Batch:
		return []string{"push", "client", "radio"}
	case t.Router:
		return []string{"req", "client"}
	}
	return nil
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

// Fatalf stops and writes the profiles, prints the message to stderr and
// exits with status 1.
func (c *Config) Fatalf(format string, args ...any) {
	c.StopProfile()
	fmt.Fprintf(os.Stderr, c.Tool.Name+": "+format+"\n", args...)
	os.Exit(1)
}
