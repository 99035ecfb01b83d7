// Command plot draws bench/run reports as SVG bar charts, for
// docs/performance.md and bench/README.md (`bench/run plot REPORT...`).
//
//	go run ./bench/plot [-o DIR] [-baseline IMPL] REPORT...
//
// Each REPORT ("-" for stdin) is the stdout of a bench/run comparison. Its
// results table (header "size measure IMPL... a/b... IMPL%floor...") gives
// one group of bars per row; each bar is an implementation's median
// divided by the baseline's median in the same row (the baseline is the
// dashed line at 1×). Throughput and latency get charts of their own, both
// higher-is-better: latency bars are the baseline's latency divided by the
// implementation's (a speed-up). A report with %floor columns gets a third
// chart, each implementation's share of the raw-TCP floor. The charts go to
// DIR/NAME-thr.svg, NAME-lat.svg and NAME-floor.svg, NAME being the
// report's file name without its extension ("stdin" for "-"); the paths
// written are printed on stdout, notes on stderr.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	dir := flag.String("o", "docs/charts", "directory the SVG files are written to")
	baseline := flag.String("baseline", "libzmq", "implementation the others are divided by (if a report has no such column: its first implementation column)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: plot [-o DIR] [-baseline IMPL] REPORT... (- for stdin)\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*dir, *baseline, flag.Args(), os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "plot:", err)
		os.Exit(1)
	}
}

// run parses every report before writing any chart, so a bad report
// leaves DIR untouched.
func run(dir, baseline string, paths []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var reps []*Report
	names := map[string]string{}
	for _, p := range paths {
		rep, err := parseFile(p, stdin)
		if err != nil {
			return err
		}
		if prev, ok := names[rep.Name]; ok {
			return fmt.Errorf("%s and %s would write the same chart files (%s-*.svg)", prev, p, rep.Name)
		}
		names[rep.Name] = p
		reps = append(reps, rep)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, rep := range reps {
		charts, notes := Charts(rep, baseline)
		for _, n := range notes {
			fmt.Fprintln(stderr, "plot:", n)
		}
		if len(charts) == 0 {
			fmt.Fprintf(stderr, "plot: %s: nothing to chart\n", rep.Name)
		}
		for _, c := range charts {
			out := filepath.Join(dir, rep.Name+"-"+c.Kind+".svg")
			if err := os.WriteFile(out, c.SVG(), 0o644); err != nil {
				return err
			}
			fmt.Fprintln(stdout, out)
		}
	}
	return nil
}

func parseFile(path string, stdin io.Reader) (*Report, error) {
	if path == "-" {
		return Parse("stdin", stdin)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	base := filepath.Base(path)
	return Parse(strings.TrimSuffix(base, filepath.Ext(base)), f)
}
