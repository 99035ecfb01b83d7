// Command flame draws a flame graph of a pprof profile (a perf tool's
// -cpuprofile, or any CPU profile) as a standalone SVG file:
//
//	flame [-o out.svg] [-title TEXT] [-tag KEY=VALUE] [-sample-type TYPE] profile
//
// It is not one of libzmq's tools: it renders their profiles, for make
// flame (docs/profiling.md). -o defaults to the profile's name with .svg
// for its extension. -tag keeps only the samples carrying that label, as
// go tool pprof -tagfocus does: -tag zring=io draws the I/O threads' work
// alone, -tag thread=0 the first I/O thread's. The layout and colours are
// perf/internal/flame's.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/pprof/profile"
	"github.com/zring/zring/perf/internal/flame"
)

// args is a parsed command line.
type args struct {
	in, out, title, tag, sampleType string
}

func main() {
	a, err := parse(os.Args[1:], os.Stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(os.Stderr, "flame: %v\n", err)
		}
		os.Exit(2)
	}
	if err := render(a); err != nil {
		fmt.Fprintf(os.Stderr, "flame: %v\n", err)
		os.Exit(1)
	}
}

// parse reads the command line; usage goes to stderr.
func parse(argv []string, stderr io.Writer) (args, error) {
	var a args
	fs := flag.NewFlagSet("flame", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&a.out, "o", "", "the SVG file to write (default: the profile's name with .svg)")
	fs.StringVar(&a.title, "title", "", "the graph's heading (default: the profile's file name)")
	fs.StringVar(&a.tag, "tag", "", "keep only the samples labelled KEY=VALUE (e.g. zring=io, thread=0)")
	fs.StringVar(&a.sampleType, "sample-type", "", `the sample value to count, e.g. "samples" or "cpu" (default: samples if present, else the last)`)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: flame [flags] profile")
		fs.PrintDefaults()
	}
	if err := fs.Parse(argv); err != nil {
		return a, err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return a, fmt.Errorf("want one profile, got %d arguments", fs.NArg())
	}
	a.in = fs.Arg(0)
	if a.tag != "" && !strings.Contains(a.tag, "=") {
		return a, fmt.Errorf("-tag %q: want KEY=VALUE", a.tag)
	}
	if a.out == "" {
		a.out = strings.TrimSuffix(a.in, filepath.Ext(a.in)) + ".svg"
	}
	if a.title == "" {
		a.title = filepath.Base(a.in)
	}
	return a, nil
}

// render reads the profile, merges its stacks and writes the SVG.
func render(a args) error {
	f, err := os.Open(a.in)
	if err != nil {
		return err
	}
	p, err := profile.Parse(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", a.in, err)
	}
	o := flame.Options{SampleType: a.sampleType}
	o.TagKey, o.TagValue, _ = strings.Cut(a.tag, "=")
	root, err := flame.Tree(p, o)
	if err != nil {
		return fmt.Errorf("%s: %w", a.in, err)
	}
	out, err := os.Create(a.out)
	if err != nil {
		return err
	}
	svg := flame.SVG{Title: a.title, Subtitle: subtitle(p, root, o)}
	if err := errors.Join(svg.Write(out, root), out.Close()); err != nil {
		return fmt.Errorf("%s: %w", a.out, err)
	}
	return nil
}

// subtitle says what the widths count: the samples' total, its unit and
// the tag filter.
func subtitle(p *profile.Profile, root *flame.Node, o flame.Options) string {
	s := fmt.Sprintf("%d", root.Value)
	if i, err := flame.SampleIndex(p, o.SampleType); err == nil {
		st := p.SampleType[i]
		s += " " + st.Type
		if st.Unit != "count" {
			s += " (" + st.Unit + ")"
		}
	}
	if o.TagKey != "" {
		s += fmt.Sprintf(" labelled %s=%s", o.TagKey, o.TagValue)
	}
	if p.DurationNanos > 0 {
		s += fmt.Sprintf(" over %.2f s", float64(p.DurationNanos)/1e9)
	}
	return s
}
