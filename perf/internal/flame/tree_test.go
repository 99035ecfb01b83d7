package flame

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/pprof/profile"
)

// stacks makes a CPU-like profile: one sample per stack, its value the
// count, each stack's frames written root first and separated by ";", a
// frame of "a+b" being a location where b was inlined into a. Labels go
// by stack.
func stacks(counts map[string]int64, labels map[string]map[string][]string) *profile.Profile {
	p := &profile.Profile{SampleType: []*profile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}}}
	funcs := map[string]*profile.Function{}
	fn := func(name string) *profile.Function {
		if f, ok := funcs[name]; ok {
			return f
		}
		f := &profile.Function{ID: uint64(len(funcs) + 1), Name: name}
		funcs[name] = f
		p.Function = append(p.Function, f)
		return f
	}
	for stack, n := range counts {
		var locs []*profile.Location
		for _, frame := range strings.Split(stack, ";") {
			loc := &profile.Location{ID: uint64(len(p.Location) + 1)}
			inlined := strings.Split(frame, "+")
			for i := len(inlined) - 1; i >= 0; i-- { // innermost first
				loc.Line = append(loc.Line, profile.Line{Function: fn(inlined[i])})
			}
			p.Location = append(p.Location, loc)
			locs = append([]*profile.Location{loc}, locs...) // leaf first
		}
		p.Sample = append(p.Sample, &profile.Sample{Location: locs, Value: []int64{n, n * 1e7}, Label: labels[stack]})
	}
	return p
}

// find returns the node at path (names from the root's child down).
func find(t *testing.T, root *Node, path ...string) *Node {
	t.Helper()
	n := root
	for _, name := range path {
		var next *Node
		for _, c := range n.Children {
			if c.Name == name {
				next = c
			}
		}
		if next == nil {
			t.Fatalf("no frame %q under %q", name, n.Name)
		}
		n = next
	}
	return n
}

func TestTree(t *testing.T) {
	p := stacks(map[string]int64{"main;b;c": 3, "main;b": 1, "main;a+x;d": 2, "gc": 4}, nil)
	root, err := Tree(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if root.Name != RootName || root.Value != 10 || root.Self() != 0 {
		t.Fatalf("root %q: value %d, self %d", root.Name, root.Value, root.Self())
	}
	if got := names(root.Children); got != "gc main" {
		t.Errorf("root's children %q, want them by name", got)
	}
	main := find(t, root, "main")
	if main.Value != 6 || names(main.Children) != "a b" {
		t.Errorf("main: value %d, children %q", main.Value, names(main.Children))
	}
	if b := find(t, root, "main", "b"); b.Value != 4 || b.Self() != 1 {
		t.Errorf("b: value %d, self %d", b.Value, b.Self())
	}
	// x was inlined into a: a frame of its own, between a and d.
	if d := find(t, root, "main", "a", "x", "d"); d.Value != 2 || len(d.Children) != 0 {
		t.Errorf("d: value %d, %d children", d.Value, len(d.Children))
	}
	if got := root.Depth(); got != 5 { // all, main, a, x, d
		t.Errorf("depth %d, want 5", got)
	}
	cpu, err := Tree(p, Options{SampleType: "cpu"})
	if err != nil || cpu.Value != 10*1e7 {
		t.Errorf("cpu: %v, %v", cpu, err)
	}
	if _, err := Tree(p, Options{SampleType: "alloc_space"}); err == nil || !strings.Contains(err.Error(), "samples, cpu") {
		t.Errorf("unknown sample type: %v", err)
	}
}

func TestTreeTag(t *testing.T) {
	io := map[string][]string{"zring": {"io"}, "thread": {"0"}}
	p := stacks(map[string]int64{"run;read": 5, "run;write": 2, "main;send": 7},
		map[string]map[string][]string{"run;read": io, "run;write": io})
	root, err := Tree(p, Options{TagKey: "zring", TagValue: "io"})
	if err != nil {
		t.Fatal(err)
	}
	if root.Value != 7 || names(root.Children) != "run" {
		t.Errorf("zring=io: value %d, children %q", root.Value, names(root.Children))
	}
	if _, err := Tree(p, Options{TagKey: "thread", TagValue: "1"}); !errors.Is(err, ErrNoSamples) {
		t.Errorf("thread=1: %v, want ErrNoSamples", err)
	}
}

func TestShortName(t *testing.T) {
	for name, want := range map[string]string{
		"github.com/zring/zring/engine.(*Thread).run":        "engine.(*Thread).run",
		"internal/runtime/syscall.Syscall6":                  "syscall.Syscall6",
		"runtime.mcall":                                      "runtime.mcall",
		"slices.Sort[go.shape.[]github.com/a/b.T]":           "slices.Sort[go.shape.[]github.com/a/b.T]",
		"github.com/zring/zring/ring.(*Ring[go.shape.*a/b])": "ring.(*Ring[go.shape.*a/b])",
	} {
		if got := ShortName(name); got != want {
			t.Errorf("ShortName(%q) = %q, want %q", name, got, want)
		}
	}
}

func names(ns []*Node) string {
	var s []string
	for _, n := range ns {
		s = append(s, n.Name)
	}
	return strings.Join(s, " ")
}
