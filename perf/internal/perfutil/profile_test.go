package perfutil

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/pprof/profile"
)

// profileFiles are the profile flags and the file each names in dir.
func profileFiles(dir string) map[string]string {
	return map[string]string{
		"cpuprofile":   filepath.Join(dir, "cpu.pprof"),
		"memprofile":   filepath.Join(dir, "mem.pprof"),
		"trace":        filepath.Join(dir, "trace.out"),
		"mutexprofile": filepath.Join(dir, "mutex.pprof"),
		"blockprofile": filepath.Join(dir, "block.pprof"),
	}
}

// profileArgs are the flags asking for every profile in files.
func profileArgs(files map[string]string) []string {
	var args []string
	for flag, name := range files {
		args = append(args, "-"+flag, name)
	}
	return args
}

func TestParseProfileFlags(t *testing.T) {
	files := profileFiles("d")
	args := append(profileArgs(files), "tcp://127.0.0.1:5555", "64", "10")
	cfg, err := ParseArgs(localThr, args, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{
		"cpuprofile": cfg.CPUProfile, "memprofile": cfg.MemProfile, "trace": cfg.Trace,
		"mutexprofile": cfg.MutexProfile, "blockprofile": cfg.BlockProfile,
	}
	for flag, want := range files {
		if got[flag] != want {
			t.Errorf("-%s: got %q, want %q", flag, got[flag], want)
		}
	}
	cfg, err = ParseArgs(localThr, []string{"tcp://127.0.0.1:5555", "64", "10"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.CPUProfile+cfg.MemProfile+cfg.Trace+cfg.MutexProfile+cfg.BlockProfile != "" {
		t.Errorf("profiles by default: %+v", cfg)
	}
	var usage bytes.Buffer
	if _, err := ParseArgs(localThr, []string{"-h"}, &usage); err == nil {
		t.Fatal("-h: no error")
	}
	for flag := range files {
		if !bytes.Contains(usage.Bytes(), []byte("  -"+flag+" string")) {
			t.Errorf("usage lacks -%s:\n%s", flag, usage.String())
		}
	}
}

// checkProfileFiles fails t unless each file is a profile of its kind: a
// pprof profile that github.com/google/pprof/profile reads, of the sample
// types its flag asks for, or an execution trace, which starts with its
// "go 1.N trace" header.
func checkProfileFiles(t *testing.T, files map[string]string) {
	t.Helper()
	want := map[string]string{"cpuprofile": "cpu", "memprofile": "alloc_space", "mutexprofile": "delay", "blockprofile": "delay"}
	for flag, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("-%s: %v", flag, err)
			continue
		}
		if flag == "trace" {
			if !bytes.HasPrefix(b, []byte("go 1.")) {
				t.Errorf("-trace: %s starts %q, not with a trace header", name, b[:min(len(b), 16)])
			}
			continue
		}
		p, err := profile.ParseData(b)
		if err != nil {
			t.Errorf("-%s: %s: %v", flag, name, err)
			continue
		}
		var types []string
		for _, st := range p.SampleType {
			types = append(types, st.Type)
		}
		if !slices.Contains(types, want[flag]) {
			t.Errorf("-%s: %s has sample types %q, want %q among them", flag, name, types, want[flag])
		}
	}
}
