package main

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// sample is a report as bench/run prints it, with the columns other modes
// add: several implementations, two ratios, %floor columns (one named
// without its zring- prefix), "-" values, and a second table after the
// first, which must be ignored.
const sample = `date:    2026-12-02 05:00 UTC
machine: 2 CPUs, AMD EPYC, Linux 6.18.44 x86_64
load:    1.00 1.00 1.00 (1/5/15 min)
zring:   commit abc1234 (dirty)

TCP loopback, libzmq perf semantics; median of 5 run(s), interleaved.

size     measure              libzmq  zring-epoll  zring-uring       rawtcp uring/epoll epoll/libzmq epoll%floor zring-uring%floor  (higher is better for thr, lower for lat)
64 B     thr [msg/s]         4000000      5000000      6000000     12000000       1.20x        1.25x       41.7%       50.0%
1024 B   thr [msg/s]          600000      1500000            -      2500000           -        2.50x       60.0%           -
64 B     lat [us]             80.000       40.000       20.000       10.000       0.50x        0.50x       25.0%       50.0%
64 B     ilat [us]                 -        4.000        5.000            -       1.25x            -           -           -

size     measure    impl          p50      p99
64 B     lat [us]   libzmq     70.1     95.0

raw per-run figures:
  64 B     thr  libzmq      4000000
`

func parseSample(t *testing.T) *Report {
	t.Helper()
	rep, err := Parse("sample", strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestParse(t *testing.T) {
	rep := parseSample(t)
	if got, want := strings.Join(rep.Impls, " "), "libzmq zring-epoll zring-uring rawtcp"; got != want {
		t.Errorf("Impls = %q, want %q", got, want)
	}
	if got, want := strings.Join(rep.Floors, " "), "zring-epoll zring-uring"; got != want {
		t.Errorf("Floors = %q, want %q (epoll%%floor resolved to zring-epoll)", got, want)
	}
	if rep.Date != "2026-12-02 05:00 UTC" || rep.Machine != "2 CPUs, AMD EPYC, Linux 6.18.44 x86_64" ||
		rep.Commit != "abc1234 (dirty)" || rep.Runs != "median of 5 run(s)" {
		t.Errorf("facts = %q, %q, %q, %q", rep.Date, rep.Machine, rep.Commit, rep.Runs)
	}
	if len(rep.Rows) != 4 {
		t.Fatalf("%d rows, want 4 (the second table ignored): %+v", len(rep.Rows), rep.Rows)
	}
	r := rep.Rows[1]
	if r.Size != "1024 B" || r.Kind != "thr" || r.Unit != "msg/s" || !r.IsThr() || r.IsLat() {
		t.Errorf("row 1 = %q %q %q", r.Size, r.Kind, r.Unit)
	}
	if v, ok := r.Median["zring-uring"]; ok {
		t.Errorf("1024 B zring-uring: got %v for \"-\"", v)
	}
	if r.Median["zring-epoll"] != 1500000 || r.Floor["zring-epoll"] != 60 {
		t.Errorf("1024 B zring-epoll: median %v, floor %v", r.Median["zring-epoll"], r.Floor["zring-epoll"])
	}
	if _, ok := r.Floor["zring-uring"]; ok {
		t.Error("1024 B zring-uring floor: got a value for \"-\"")
	}
	if r := rep.Rows[3]; r.Kind != "ilat" || !r.IsLat() || r.Median["zring-uring"] != 5 {
		t.Errorf("row 3 = %+v", r)
	}
}

func TestParseErrors(t *testing.T) {
	for name, text := range map[string]string{
		"no table":      "date: x\nraw per-run figures:\n",
		"no rows":       "size measure libzmq zring\n\n",
		"short row":     "size measure libzmq zring\n64 B thr [msg/s] 1\n",
		"not a number":  "size measure libzmq zring\n64 B thr [msg/s] 1 FAIL\n",
		"ratio without": "size measure libzmq zring zring/libzmq\n64 B thr [msg/s] 1 2 2.00\n",
	} {
		if _, err := Parse(name, strings.NewReader(text)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// element is the part of an SVG element the tests look at.
type element struct {
	name  string
	attrs map[string]string
	text  string
}

// decode parses an SVG with encoding/xml, failing the test if it is not
// well-formed, and returns its elements in document order.
func decode(t *testing.T, svg []byte) []element {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	var els []element
	var open []int
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := element{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			els = append(els, e)
			open = append(open, len(els)-1)
		case xml.CharData:
			if len(open) > 0 {
				els[open[len(open)-1]].text += string(tok)
			}
		case xml.EndElement:
			open = open[:len(open)-1]
		}
	}
	if len(els) == 0 || els[0].name != "svg" {
		t.Fatalf("root is not svg: %s", svg)
	}
	for _, e := range els {
		switch e.name {
		case "svg", "title", "text", "rect", "line":
		default:
			t.Errorf("element %s: want only svg, title, text, rect and line", e.name)
		}
	}
	if els[0].attrs["font-family"] != "sans-serif" || els[0].attrs["width"] != "800" {
		t.Errorf("svg attributes = %v", els[0].attrs)
	}
	return els
}

// key is a bar's or label's (group, implementation).
func key(e element) string { return e.attrs["data-group"] + "/" + e.attrs["data-impl"] }

func chartsOf(t *testing.T, rep *Report, baseline string) map[string]*Chart {
	t.Helper()
	charts, _ := Charts(rep, baseline)
	m := map[string]*Chart{}
	for _, c := range charts {
		m[c.Kind] = c
	}
	return m
}

func TestCharts(t *testing.T) {
	rep := parseSample(t)
	charts := chartsOf(t, rep, "libzmq")
	if len(charts) != 3 {
		t.Fatalf("charts %v, want thr, lat and floor", charts)
	}
	for _, tc := range []struct {
		kind    string
		bars    []string          // group/impl with a bar, sorted
		missing []string          // group/impl labelled "not measured", sorted
		values  map[string]string // group/impl -> label
		title   string
	}{{
		kind:    "thr",
		bars:    []string{"1024 B thr/rawtcp", "1024 B thr/zring-epoll", "64 B thr/rawtcp", "64 B thr/zring-epoll", "64 B thr/zring-uring"},
		missing: []string{"1024 B thr/zring-uring"},
		values:  map[string]string{"64 B thr/zring-uring": "1.50×", "64 B thr/rawtcp": "3.00×", "1024 B thr/zring-epoll": "2.50×"},
		title:   "Throughput relative to libzmq",
	}, {
		// latency bars are speed-ups: libzmq's latency / the implementation's
		kind:    "lat",
		bars:    []string{"64 B lat/rawtcp", "64 B lat/zring-epoll", "64 B lat/zring-uring"},
		missing: []string{"64 B ilat/rawtcp", "64 B ilat/zring-epoll", "64 B ilat/zring-uring"},
		values:  map[string]string{"64 B lat/zring-epoll": "2.00×", "64 B lat/zring-uring": "4.00×", "64 B lat/rawtcp": "8.00×"},
		title:   "Latency speed-up over libzmq",
	}, {
		kind:    "floor",
		bars:    []string{"1024 B thr/zring-epoll", "64 B lat/zring-epoll", "64 B lat/zring-uring", "64 B thr/zring-epoll", "64 B thr/zring-uring"},
		missing: []string{"1024 B thr/zring-uring"},
		values:  map[string]string{"64 B thr/zring-epoll": "41.7%", "1024 B thr/zring-epoll": "60.0%"},
		title:   "raw-TCP floor",
	}} {
		c := charts[tc.kind]
		if c == nil {
			t.Errorf("no %s chart", tc.kind)
			continue
		}
		els := decode(t, c.SVG())
		var bars, missing []string
		labels := map[string]string{}
		legend := map[string]bool{}
		titled, ref := false, false
		for _, e := range els {
			switch class := e.attrs["class"]; {
			case e.name == "rect" && class == "bar":
				bars = append(bars, key(e))
				if e.attrs["fill"] != colour(e.attrs["data-impl"]) {
					t.Errorf("%s: bar %s has fill %s", tc.kind, key(e), e.attrs["fill"])
				}
			case e.name == "text" && class == "value":
				labels[key(e)] = e.text
			case e.name == "text" && class == "value missing":
				missing = append(missing, key(e))
			case e.name == "text" && class == "legend":
				legend[e.text] = true
			case e.name == "line" && class == "ref":
				ref = true
			case e.name == "text" && strings.Contains(e.text, tc.title) && strings.Contains(e.text, "higher is better"):
				titled = true
			}
		}
		sort.Strings(bars)
		sort.Strings(missing)
		if strings.Join(bars, ",") != strings.Join(tc.bars, ",") {
			t.Errorf("%s: bars %q, want %q", tc.kind, bars, tc.bars)
		}
		if strings.Join(missing, ",") != strings.Join(tc.missing, ",") {
			t.Errorf("%s: not measured %q, want %q", tc.kind, missing, tc.missing)
		}
		for _, b := range bars {
			if labels[b] == "" {
				t.Errorf("%s: bar %s has no value label", tc.kind, b)
			}
		}
		for k, want := range tc.values {
			if labels[k] != want {
				t.Errorf("%s: %s labelled %q, want %q", tc.kind, k, labels[k], want)
			}
		}
		for _, i := range c.Impls {
			if !legend[i] {
				t.Errorf("%s: %s not in the legend %v", tc.kind, i, legend)
			}
		}
		if !ref || !titled {
			t.Errorf("%s: reference line %v, title with %q and \"higher is better\" %v", tc.kind, ref, tc.title, titled)
		}
		if !strings.Contains(string(c.SVG()), "zring abc1234 (dirty)") {
			t.Errorf("%s: no caption with the commit", tc.kind)
		}
	}
}

func TestBaselineFallback(t *testing.T) {
	rep := parseSample(t)
	charts, notes := Charts(rep, "pebbe")
	if len(notes) == 0 || !strings.Contains(notes[0], "libzmq") {
		t.Errorf("notes %q do not name the fallback", notes)
	}
	for _, c := range charts {
		if c.Kind != "floor" && !strings.Contains(c.Title, "libzmq (no pebbe in the report") {
			t.Errorf("%s title %q does not say the baseline fell back", c.Kind, c.Title)
		}
		if c.Kind == "thr" && contains(c.Impls, "libzmq") {
			t.Errorf("thr: the fallback baseline libzmq has bars")
		}
	}
	// another baseline that is present: libzmq gets bars, in its colour
	c := chartsOf(t, rep, "zring-epoll")["thr"]
	if !contains(c.Impls, "libzmq") || contains(c.Impls, "zring-epoll") || !strings.Contains(c.Title, "relative to zring-epoll,") {
		t.Errorf("baseline zring-epoll: impls %q, title %q", c.Impls, c.Title)
	}
	if colour("libzmq") != "#4e79a7" || !contains(spare, colour("some-new-impl")) {
		t.Errorf("colours: libzmq %s, an unknown name %s", colour("libzmq"), colour("some-new-impl"))
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pass1.txt")
	if err := os.WriteFile(path, []byte(sample), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "charts")
	var stdout, stderr bytes.Buffer
	if err := run(out, "libzmq", []string{path, "-"}, strings.NewReader(sample), &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, n := range []string{"pass1", "stdin"} {
		for _, k := range []string{"thr", "lat", "floor"} {
			want = append(want, filepath.Join(out, n+"-"+k+".svg"))
		}
	}
	if got := strings.Fields(stdout.String()); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("wrote %q, want %q", got, want)
	}
	for _, w := range want {
		b, err := os.ReadFile(w)
		if err != nil {
			t.Fatal(err)
		}
		decode(t, b)
	}
	if err := run(out, "libzmq", []string{path, path}, nil, io.Discard, io.Discard); err == nil {
		t.Error("two reports of one name: no error")
	}
}
