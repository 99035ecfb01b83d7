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
	"os"
	"strconv"
	"strings"

	"github.com/zring/zring/perf/perfmt"
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

// The stopwatch, the result lines and the percentiles are perf/perfmt's,
// the same code zring's perf tools print with.
type (
	// Stopwatch is perfmt.Stopwatch.
	Stopwatch = perfmt.Stopwatch
	// Laps is perfmt.Laps.
	Laps = perfmt.Laps
)

// Re-exported from perf/perfmt, so that the peers' tools need one import.
var (
	StartStopwatch   = perfmt.StartStopwatch
	PrintThroughput  = perfmt.PrintThroughput
	PrintLatency     = perfmt.PrintLatency
	NewLaps          = perfmt.NewLaps
	Percentile       = perfmt.Percentile
	PrintPercentiles = perfmt.PrintPercentiles
)

// TimeReceives times a.Count receives as libzmq's local_thr does, the
// stopwatch starting after the first message, and prints its lines. recv
// receives one message and checks its size.
func TimeReceives(a Args, recv func() error) error {
	var watch Stopwatch
	for i := range a.Count {
		if err := recv(); err != nil {
			return err
		}
		if i == 0 {
			watch = StartStopwatch()
		}
	}
	PrintThroughput(os.Stdout, a.Size, a.Count, watch.Micros())
	return nil
}

// TimeRoundtrips times a.Count round trips from now, as libzmq's remote_lat
// does (the caller has just connected), recording each one, and prints
// remote_lat's lines and the percentiles. roundtrip sends one request and
// receives and checks its reply.
func TimeRoundtrips(a Args, roundtrip func() error) error {
	laps := NewLaps(a.Count)
	watch := StartStopwatch()
	laps.Start()
	for range a.Count {
		if err := roundtrip(); err != nil {
			return err
		}
		laps.Mark()
	}
	PrintLatency(os.Stdout, a.Size, a.Count, watch.Micros())
	PrintPercentiles(os.Stdout, laps.Roundtrips())
	return nil
}
