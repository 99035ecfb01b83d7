//go:build linux

package zring_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Peak memory, read as VmHWM from a fresh process running one test: the
// figure covers everything that process ever held, which no in-process
// counter can.

// rssChildEnv names the test a child process runs and reports on.
const rssChildEnv = "ZRING_RSS_CHILD"

// peakRSS runs test in a child process and returns its VmHWM in bytes.
func peakRSS(t *testing.T, test string) int64 {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), rssChildEnv+"="+test)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "child %s:\n%s", test, out)
	for line := range strings.Lines(string(out)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "VmHWM-bytes: "); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			require.NoError(t, err)
			return n
		}
	}
	t.Fatalf("child %s reported no VmHWM:\n%s", test, out)
	return 0
}

// reportRSS, in a child started by peakRSS, prints the process's VmHWM
// when the test ends. It reports whether this is that child.
func reportRSS(t *testing.T) bool {
	if os.Getenv(rssChildEnv) != t.Name() {
		return false
	}
	t.Cleanup(func() {
		f, err := os.Open("/proc/self/status")
		require.NoError(t, err)
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
				kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				require.NoError(t, err)
				fmt.Printf("VmHWM-bytes: %d\n", kb<<10)
			}
		}
	})
	return true
}
