package main

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// A Report is what bench/plot takes from one bench/run report: the facts
// that make the caption and the rows of the results table.
type Report struct {
	Name    string   // the report's base name, for the chart files
	Date    string   // the facts block's date: line
	Machine string   // the facts block's machine: line
	Commit  string   // the commit (and flags) from the facts block's zring: line
	Runs    string   // "median of N run(s)", if the report says so
	Impls   []string // implementation columns, in the report's order
	Floors  []string // implementations with a %floor column, in order
	Rows    []Row
}

// A Row is one line of the results table: a size and a measure.
type Row struct {
	Size   string             // "64 B"
	Kind   string             // "thr", "lat", "ithr", ...
	Unit   string             // "msg/s", "us"
	Median map[string]float64 // implementation -> median; absent if "-"
	Floor  map[string]float64 // implementation -> % of the raw-TCP floor
}

// Label is the row's group label in the charts, e.g. "64 B thr".
func (r Row) Label() string { return r.Size + " " + r.Kind }

// IsThr and IsLat tell throughput measures (thr, ithr, mthr, cthr, fthr,
// ...) from latency ones (lat, ilat, clat, ...).
func (r Row) IsThr() bool { return strings.HasSuffix(r.Kind, "thr") }
func (r Row) IsLat() bool { return strings.HasSuffix(r.Kind, "lat") }

// column kinds in the table's header
const (
	colImpl  = iota // an implementation's median: 4029260, 75.409
	colRatio        // a/b: 1.31x
	colFloor        // impl%floor: 42.0%
)

type column struct {
	name string // implementation name for colImpl and colFloor
	kind int
}

const floorSuffix = "%floor"

var runsRE = regexp.MustCompile(`median of (\d+) run`)

// Parse reads a bench/run report. The results table is the first block of
// lines that starts with a header whose first words are "size measure";
// it ends at the first line that is not a row. Lines outside it are
// ignored, except the facts (date:, machine:, zring:) and the "median of
// N run(s)" note, and so is any later table.
func Parse(name string, r io.Reader) (*Report, error) {
	rep := &Report{Name: name}
	var cols []column
	inTable, done := false, false
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		f := strings.Fields(line)
		if inTable {
			row, ok, err := parseRow(f, cols)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", name, n, err)
			}
			if ok {
				rep.Rows = append(rep.Rows, row)
				continue
			}
			inTable, done = false, true
		}
		switch {
		case !done && len(f) >= 2 && f[0] == "size" && f[1] == "measure":
			var err error
			if cols, err = parseHeader(f[2:]); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", name, n, err)
			}
			for _, c := range cols {
				switch c.kind {
				case colImpl:
					rep.Impls = append(rep.Impls, c.name)
				case colFloor:
					rep.Floors = append(rep.Floors, c.name)
				}
			}
			inTable = true
		case len(f) >= 2 && f[0] == "date:":
			rep.Date = strings.Join(f[1:], " ")
		case len(f) >= 2 && f[0] == "machine:":
			rep.Machine = strings.Join(f[1:], " ")
		case len(f) >= 3 && f[0] == "zring:" && f[1] == "commit":
			rep.Commit = strings.Join(f[2:], " ")
		default:
			if m := runsRE.FindStringSubmatch(line); m != nil && rep.Runs == "" {
				rep.Runs = m[0] + "(s)"
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if cols == nil {
		return nil, fmt.Errorf("%s: no results table (a line starting with \"size measure\")", name)
	}
	if len(rep.Rows) == 0 {
		return nil, fmt.Errorf("%s: the results table has no rows", name)
	}
	if len(rep.Impls) == 0 {
		return nil, fmt.Errorf("%s: the results table has no implementation columns", name)
	}
	return rep, nil
}

// parseHeader classifies the header's column names: a/b is a ratio,
// impl%floor a floor percentage, anything else an implementation. The
// header ends at a word in parentheses (bench/run's note on direction).
func parseHeader(f []string) ([]column, error) {
	var cols []column
	for _, w := range f {
		if strings.HasPrefix(w, "(") {
			break
		}
		switch {
		case strings.Contains(w, "/"):
			cols = append(cols, column{name: w, kind: colRatio})
		case strings.HasSuffix(w, floorSuffix) && len(w) > len(floorSuffix):
			cols = append(cols, column{name: strings.TrimSuffix(w, floorSuffix), kind: colFloor})
		default:
			cols = append(cols, column{name: w, kind: colImpl})
		}
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("table header names no columns")
	}
	var impls []string
	for _, c := range cols {
		if c.kind == colImpl {
			impls = append(impls, c.name)
		}
	}
	for i := range cols {
		if cols[i].kind == colFloor {
			cols[i].name = resolve(cols[i].name, impls)
		}
	}
	return cols, nil
}

// parseRow parses the words of a table row: a size ("64 B"), a measure
// with its unit in brackets ("thr [msg/s]") and one value per column.
// ok is false if the line is not a row (the table's end); err is set if
// it is one but its values do not match the header.
func parseRow(f []string, cols []column) (row Row, ok bool, err error) {
	u := -1
	for i, w := range f {
		if strings.HasPrefix(w, "[") && strings.HasSuffix(w, "]") {
			u = i
			break
		}
	}
	// size words, a kind, the unit: at least "64", "thr", "[msg/s]"
	if u < 2 || !startsWithDigit(f[0]) {
		return row, false, nil
	}
	row = Row{
		Size:   strings.Join(f[:u-1], " "),
		Kind:   f[u-1],
		Unit:   strings.Trim(f[u], "[]"),
		Median: map[string]float64{},
		Floor:  map[string]float64{},
	}
	vals := f[u+1:]
	if len(vals) != len(cols) {
		return row, false, fmt.Errorf("row %q has %d values for %d columns", row.Label(), len(vals), len(cols))
	}
	for i, c := range cols {
		v := vals[i]
		if v == "-" {
			continue
		}
		var suffix string
		switch c.kind {
		case colRatio:
			suffix = "x"
		case colFloor:
			suffix = "%"
		}
		if !strings.HasSuffix(v, suffix) {
			return row, false, fmt.Errorf("row %q, column %s: %q does not end in %q", row.Label(), c.name, v, suffix)
		}
		x, perr := strconv.ParseFloat(strings.TrimSuffix(v, suffix), 64)
		if perr != nil {
			return row, false, fmt.Errorf("row %q, column %s: %q is not a number", row.Label(), c.name, v)
		}
		switch c.kind {
		case colImpl:
			row.Median[c.name] = x
		case colFloor:
			row.Floor[c.name] = x
		}
	}
	return row, true, nil
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// resolve maps a %floor column's name to an implementation column: bench/run
// may drop the "zring-" prefix in derived headers, as it does in ratios.
func resolve(name string, impls []string) string {
	for _, i := range impls {
		if i == name {
			return name
		}
	}
	for _, i := range impls {
		if i == "zring-"+name {
			return i
		}
	}
	return name
}
