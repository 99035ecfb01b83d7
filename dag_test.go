//go:build linux

package zring_test

import (
	"bufio"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/zring/zring"

// The import DAG of the library's packages is the one docs/architecture.md
// draws: every arrow between this module's packages appears in the
// drawing's edge list, and every listed arrow exists. The compiler already
// refuses cycles; this keeps the layers where the drawing puts them, such
// as the engine and the patterns never importing the root package or each
// other.
func TestImportDAGMatchesArchitecture(t *testing.T) {
	want := drawnEdges(t, "docs/architecture.md")
	got := actualEdges(t)
	for _, e := range got {
		if !slices.Contains(want, e) {
			t.Errorf("import %s is not in docs/architecture.md's drawing", e)
		}
	}
	for _, e := range want {
		if !slices.Contains(got, e) {
			t.Errorf("docs/architecture.md draws %s, which no longer exists", e)
		}
	}
}

// drawnEdges reads the block of "pkg -> dep dep ..." lines that follows the
// "import-dag" marker in the document; "." is the root package.
func drawnEdges(t *testing.T, doc string) []string {
	f, err := os.Open(doc)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var edges []string
	in, seen := false, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.Contains(line, "<!-- import-dag -->"):
			seen = true
		case seen && !in && strings.HasPrefix(line, "```"):
			in = true
		case in && strings.HasPrefix(line, "```"):
			return edges
		case in && line != "":
			from, to, ok := strings.Cut(line, "->")
			if !ok {
				t.Fatalf("%s: not an edge line: %q", doc, line)
			}
			for _, dep := range strings.Fields(to) {
				edges = append(edges, strings.TrimSpace(from)+" -> "+dep)
			}
		}
	}
	t.Fatalf("%s has no complete import-dag block", doc)
	return nil
}

// actualEdges lists the imports between the module's library packages:
// everything but the perf tools, the demo, the example programs (they
// import only the root package) and test-only packages.
func actualEdges(t *testing.T) []string {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	short := func(p string) (string, bool) {
		if p == module {
			return ".", true
		}
		rest, ok := strings.CutPrefix(p, module+"/")
		if !ok || strings.HasPrefix(rest, "perf") || strings.HasPrefix(rest, "cmd/") || strings.HasPrefix(rest, "examples/") || rest == "internal/testpeer" {
			return "", false
		}
		return rest, true
	}
	var edges []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		from, ok := short(fields[0])
		if !ok {
			continue
		}
		for _, imp := range fields[1:] {
			if to, ok := short(imp); ok {
				edges = append(edges, from+" -> "+to)
			}
		}
	}
	return edges
}

// The example programs use only the public API: of this module, they
// import the root package and the patterns built on it (majordomo,
// pirate), never the layers below.
func TestExamplesUseOnlyThePublicAPI(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./examples/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 6 {
		t.Fatalf("only %d example programs", len(lines))
	}
	for _, line := range lines {
		fields := strings.Fields(line)
		for _, imp := range fields[1:] {
			if strings.HasPrefix(imp, module+"/") && imp != module+"/majordomo" && imp != module+"/pirate" {
				t.Errorf("%s imports %s, not only %s and its patterns", fields[0], imp, module)
			}
		}
	}
}
