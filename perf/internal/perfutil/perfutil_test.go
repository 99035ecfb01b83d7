package perfutil

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"
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

// -pattern picks the draft types: CLIENT/SERVER and RADIO/DISH for the
// throughput tools, CLIENT/SERVER for the latency tools, and goes with
// neither -batch nor -router.
func TestParsePattern(t *testing.T) {
	thr := Tool{Name: "remote_thr", Endpoint: "connect-to", Count: "message-count", MinCount: 1, Batch: true}
	lat := Tool{Name: "remote_lat", Endpoint: "connect-to", Count: "roundtrip-count", Router: true}
	for _, tc := range []struct {
		tool     Tool
		args     []string
		pattern  string
		ok       bool
		req, rep string
	}{
		{thr, nil, "push", true, "PUSH", "PULL"},
		{thr, []string{"-pattern", "client"}, "client", true, "CLIENT", "SERVER"},
		{thr, []string{"-pattern", "radio"}, "radio", true, "RADIO", "DISH"},
		{thr, []string{"-pattern", "req"}, "", false, "", ""},
		{thr, []string{"-pattern", "radio", "-batch", "8"}, "", false, "", ""},
		{lat, nil, "req", true, "REQ", "REP"},
		{lat, []string{"-pattern", "client"}, "client", true, "CLIENT", "SERVER"},
		{lat, []string{"-pattern", "radio"}, "", false, "", ""},
		{lat, []string{"-pattern", "client", "-router"}, "", false, "", ""},
		{localThr, []string{"-pattern", "client"}, "", false, "", ""}, // a tool without -pattern
	} {
		args := append(slices.Clone(tc.args), "tcp://127.0.0.1:5555", "64", "10")
		cfg, err := ParseArgs(tc.tool, args, io.Discard)
		if (err == nil) != tc.ok {
			t.Errorf("%s %q: error %v, want ok=%v", tc.tool.Name, tc.args, err, tc.ok)
			continue
		}
		if !tc.ok {
			continue
		}
		req, rep := cfg.SenderType(), cfg.ReceiverType()
		if tc.tool.Router {
			req, rep = cfg.ReqType(), cfg.RepType()
		}
		if cfg.Pattern != tc.pattern || req.String() != tc.req || rep.String() != tc.rep {
			t.Errorf("%s %q: pattern %q, %v/%v; want %q, %s/%s", tc.tool.Name, tc.args, cfg.Pattern, req, rep, tc.pattern, tc.req, tc.rep)
		}
	}
}
