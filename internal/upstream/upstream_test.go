//go:build linux

package upstream

import (
	"bytes"
	"testing"
)

// Apply changes the import's path and not one other byte, comments and
// layout included.
func TestApplyChangesOnlyTheImport(t *testing.T) {
	src := []byte("// c\npackage main\n\nimport (\n\tzmq \"github.com/pebbe/zmq4\" // the library\n\n\t\"fmt\"\n)\n\nfunc main() { fmt.Println(zmq.REQ) /* \"github.com/pebbe/zmq4\" */ }\n")
	want := bytes.Replace(src, []byte(`"github.com/pebbe/zmq4" //`), []byte(`"github.com/zring/zring/compat/pebbe" //`), 1)
	got, err := Apply(src, Rewrite{From: "github.com/pebbe/zmq4", To: "github.com/zring/zring/compat/pebbe"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestApplyRefusesAFileWithoutTheImport(t *testing.T) {
	if _, err := Apply([]byte("package main\n\nimport \"fmt\"\n"), Rewrite{From: "github.com/pebbe/zmq4", To: "x"}); err == nil {
		t.Fatal("a file that does not import the library was accepted")
	}
}
