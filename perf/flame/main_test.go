package main

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	a, err := parse([]string{"-tag", "zring=io", "dir/local_thr.pprof"}, io.Discard)
	if err != nil || a.in != "dir/local_thr.pprof" || a.out != "dir/local_thr.svg" || a.title != "local_thr.pprof" || a.tag != "zring=io" {
		t.Fatalf("got %+v, %v", a, err)
	}
	a, err = parse([]string{"-o", "x.svg", "-title", "T", "-sample-type", "cpu", "p"}, io.Discard)
	if err != nil || a.out != "x.svg" || a.title != "T" || a.sampleType != "cpu" {
		t.Fatalf("got %+v, %v", a, err)
	}
	for _, args := range [][]string{{}, {"a", "b"}, {"-tag", "zring", "p"}, {"-nosuch", "p"}} {
		var usage bytes.Buffer
		if _, err := parse(args, &usage); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}

// The command writes a well-formed SVG of a real profile, whole and cut to
// the I/O threads, and fails on a file that is not a profile.
func TestRender(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join("..", "internal", "flame", "testdata", "local_thr.pprof")
	for _, tag := range []string{"", "zring=io"} {
		out := filepath.Join(dir, "g"+tag+".svg")
		if err := render(args{in: in, out: out, title: "t", tag: tag}); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if err := xml.Unmarshal(b, new(struct{})); err != nil {
			t.Errorf("-tag %q: not XML: %v", tag, err)
		}
		if !strings.Contains(string(b), "engine.(*Thread).run") {
			t.Errorf("-tag %q: no I/O thread loop in the graph", tag)
		}
		if want := "labelled zring=io"; tag != "" && !strings.Contains(string(b), want) {
			t.Errorf("-tag %q: the subtitle does not say %q", tag, want)
		}
	}
	if err := render(args{in: "main.go", out: filepath.Join(dir, "x.svg")}); err == nil {
		t.Error("main.go rendered as a profile")
	}
	if err := render(args{in: in, out: filepath.Join(dir, "y.svg"), tag: "thread=7"}); err == nil {
		t.Error("no error for a tag no sample carries")
	}
}
