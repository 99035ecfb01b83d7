//go:build linux

package zmq4_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zring/zring/internal/upstream"
)

// notMapped are upstream's exported names the adapter leaves out, each
// for a reason docs/migrating.md gives: they are upstream's own
// ZMTP and transport machinery, which zring keeps in its engine.
var notMapped = []string{
	"Conn.Close", "Conn.Closed", "Conn.Read", "Conn.RecvMsg", "Conn.SendMsg", "Conn.SetClosed", "Conn.Write",
	"Metadata", "Metadata.MarshalZMTP", "Metadata.UnmarshalZMTP",
	"Open", "Property", "Property.Read", "Property.Write",
	"RegisterTransport",
}

// Every exported name of upstream's package (its czmq4-tagged file too)
// is in the adapter, or in notMapped; and the same for security/null and
// security/plain.
func TestUpstreamAPICovered(t *testing.T) {
	dir := upstream.Module(t, upstreamModule, upstreamVersion)
	for _, sub := range []string{".", "security/null", "security/plain"} {
		up, ours := exported(t, filepath.Join(dir, sub)), exported(t, sub)
		for _, name := range up {
			mapped := slices.Contains(ours, name)
			listed := sub == "." && slices.Contains(notMapped, name)
			switch {
			case !mapped && !listed:
				t.Errorf("%s: upstream's %s is neither mirrored nor listed as not mapped", sub, name)
			case mapped && listed:
				t.Errorf("%s: %s is mirrored but listed as not mapped", sub, name)
			}
		}
	}
}

// exported returns the exported top-level names of the Go package in dir,
// methods as Type.Method, test files left out.
func exported(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			names = append(names, declNames(d)...)
		}
	}
	if len(names) == 0 {
		t.Fatalf("no exported names in %s", dir)
	}
	return names
}

func declNames(d ast.Decl) []string {
	var names []string
	switch d := d.(type) {
	case *ast.FuncDecl:
		if !d.Name.IsExported() {
			return nil
		}
		if d.Recv == nil {
			return []string{d.Name.Name}
		}
		typ := d.Recv.List[0].Type
		if star, ok := typ.(*ast.StarExpr); ok {
			typ = star.X
		}
		if id, ok := typ.(*ast.Ident); ok && id.IsExported() {
			return []string{id.Name + "." + d.Name.Name}
		}
	case *ast.GenDecl:
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				if s.Name.IsExported() {
					names = append(names, s.Name.Name)
				}
			case *ast.ValueSpec:
				for _, n := range s.Names {
					if n.IsExported() {
						names = append(names, n.Name)
					}
				}
			}
		}
	}
	return names
}
