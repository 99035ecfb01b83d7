//go:build linux

package upstream

import (
	"encoding/json"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Rewrite is the one change made to an upstream file: its import of From
// becomes an import of To, under the same name.
type Rewrite struct{ From, To string }

// Module downloads module path@version through the Go module proxy (a
// no-op once it is in the module cache) and returns its directory there.
// A machine that cannot reach the proxy fails the test: the upstream
// programs are the point of it.
func Module(t testing.TB, path, version string) string {
	t.Helper()
	cmd := exec.Command("go", "mod", "download", "-json", path+"@"+version)
	cmd.Dir = t.TempDir() // outside this module: its go.mod is left alone
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := cmd.Output()
	var info struct{ Dir, Error string }
	if jerr := json.Unmarshal(out, &info); jerr != nil || info.Dir == "" {
		t.Fatalf("go mod download %s@%s (the Go module proxy must be reachable): %v %s %s", path, version, err, info.Error, stderr(err))
	}
	return info.Dir
}

// Program builds the upstream files (a main package) with rw applied and
// returns the path of the program.
func Program(t testing.TB, rw Rewrite, files ...string) string {
	t.Helper()
	dir := stage(t, rw, files)
	bin := filepath.Join(t.TempDir(), strings.TrimSuffix(filepath.Base(files[0]), ".go"))
	args := []string{"build", "-o", bin}
	for _, f := range files {
		args = append(args, filepath.Join(dir, filepath.Base(f)))
	}
	run(t, dir, args...)
	return bin
}

// Tests compiles the upstream test files (an external test package) with
// rw applied into a test binary and returns its path.
func Tests(t testing.TB, rw Rewrite, files ...string) string {
	t.Helper()
	dir := stage(t, rw, files)
	bin := filepath.Join(t.TempDir(), "upstream.test")
	run(t, dir, "test", "-c", "-o", bin, ".")
	return bin
}

// stage copies files, rewritten, into a new folder under this package's
// testdata: inside the module, so the import of rw.To resolves to the
// adapter of this checkout, yet outside ./... for vet and tests.
func stage(t testing.TB, rw Rewrite, files []string) string {
	t.Helper()
	root := filepath.Join(moduleRoot(t), "internal", "upstream", "testdata")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp(root, "build-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out, err := Apply(src, rw)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Apply returns src with its import of rw.From changed to rw.To and every
// other byte as it was. A file that does not import rw.From is an error:
// it would not test the adapter.
func Apply(src []byte, rw Rewrite) ([]byte, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ImportsOnly)
	if err != nil {
		return nil, err
	}
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == rw.From {
			at, end := int(imp.Path.Pos())-1, int(imp.Path.End())-1
			return slices.Concat(src[:at], []byte(strconv.Quote(rw.To)), src[end:]), nil
		}
	}
	return nil, fmt.Errorf("does not import %q", rw.From)
}

func moduleRoot(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	gomod := strings.TrimSpace(string(out))
	if err != nil || gomod == "" || gomod == os.DevNull {
		t.Fatalf("go env GOMOD: %q %v", gomod, err)
	}
	return filepath.Dir(gomod)
}

func run(t testing.TB, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func stderr(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}
