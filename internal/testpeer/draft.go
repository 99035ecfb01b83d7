package testpeer

import (
	"crypto/sha256"
	_ "embed" // draftpeer.c is compiled by the tests that use it
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

//go:embed draftpeer/draftpeer.c
var draftSource []byte

// DraftPrefixEnv names the environment variable holding the install prefix
// of libzmq 4.3.5 built with the draft API; unset, it is .peers/libzmq at
// the module's root, where `make peers` (and so `make test`) builds it
// with ../shared/peers/build-libzmq.sh.
const DraftPrefixEnv = "ZRING_LIBZMQ_DRAFT"

const draftHint = "build it with: make peers (libzmq 4.3.5 with drafts, into .peers/libzmq)"

var draftBuild struct {
	sync.Mutex
	bin string
}

// StartDraft is Start for the draft socket types (CLIENT, SERVER, RADIO,
// DISH, ...): the peer is draftpeer.c, built against libzmq 4.3.5 with the
// draft API, speaking the command protocol's draft subset (doc.go). A
// missing libzmq 4.3.5 fails the test; it is never skipped.
func StartDraft(t testing.TB, socketType string) *Peer {
	t.Helper()
	p := launchCmd(t, exec.Command(draftBinary(t)), draftHint)
	p.MustDo("socket " + socketType)
	return p
}

// draftBinary compiles draftpeer.c once per source version, into the
// prefix's bin directory, and returns its path.
func draftBinary(t testing.TB) string {
	t.Helper()
	draftBuild.Lock()
	defer draftBuild.Unlock()
	if draftBuild.bin != "" {
		return draftBuild.bin
	}
	prefix := os.Getenv(DraftPrefixEnv)
	if prefix == "" {
		root, err := moduleRoot()
		if err != nil {
			t.Fatalf("testpeer: %v", err)
		}
		prefix = filepath.Join(root, ".peers", "libzmq")
	}
	lib := filepath.Join(prefix, "lib")
	if _, err := os.Stat(filepath.Join(lib, "libzmq.so")); err != nil {
		t.Fatalf("testpeer: libzmq 4.3.5 with drafts not found (%v); %s", err, draftHint)
	}
	sum := sha256.Sum256(draftSource)
	bin := filepath.Join(prefix, "bin", "zring-draftpeer-"+hex.EncodeToString(sum[:6]))
	if _, err := os.Stat(bin); err != nil {
		dir := t.TempDir()
		src := filepath.Join(dir, "draftpeer.c")
		if err := os.WriteFile(src, draftSource, 0o600); err != nil {
			t.Fatalf("testpeer: %v", err)
		}
		if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
			t.Fatalf("testpeer: %v", err)
		}
		tmp := filepath.Join(dir, "draftpeer")
		out, err := exec.Command("cc", "-O1", "-Wall", "-o", tmp, src, "-I"+filepath.Join(prefix, "include"),
			"-L"+lib, "-Wl,-rpath,"+lib, "-lzmq").CombinedOutput()
		if err != nil {
			t.Fatalf("testpeer: compiling draftpeer.c: %v\n%s", err, out)
		}
		if err := os.Rename(tmp, bin); err != nil {
			t.Fatalf("testpeer: %v", err)
		}
	}
	draftBuild.bin = bin
	return bin
}

// moduleRoot is the nearest directory up from the working directory with
// a go.mod: the tests' module.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
