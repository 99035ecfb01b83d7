//go:build linux

package engine

import (
	"bytes"
	"runtime/pprof"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// goroutineGroups returns the goroutine profile in its text form (debug=1):
// one block per group of goroutines alike in stack and labels, each with
// a "# labels: {...}" line when they carry labels.
func goroutineGroups(t *testing.T) []string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, pprof.Lookup("goroutine").WriteTo(&b, 1))
	return strings.Split(b.String(), "\n\n")
}

// Each I/O thread's loop goroutine carries the labels zring=io and
// thread=N, which the goroutine profile prints beside its stack.
func TestThreadLabels(t *testing.T) {
	c := newTestContext(t, Options{IOThreads: 2})
	for _, th := range c.Threads() {
		run(th, func() {}) // the loop is running, its labels set
	}
	for _, want := range []string{`"thread":"0"`, `"thread":"1"`} {
		found := false
		for _, g := range goroutineGroups(t) {
			if strings.Contains(g, "engine.(*Thread).run") && strings.Contains(g, want) && strings.Contains(g, `"zring":"io"`) {
				found = true
			}
		}
		if !found {
			t.Errorf("no I/O thread goroutine labelled zring=io, %s in:\n%s", want, strings.Join(goroutineGroups(t), "\n\n"))
		}
	}
}
