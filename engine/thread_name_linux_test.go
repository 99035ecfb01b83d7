package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// taskNames maps the thread ids of this process to their names
// (/proc/self/task/TID/comm). A thread that exits while it is read is left
// out.
func taskNames(t *testing.T) map[int]string {
	t.Helper()
	dirs, err := filepath.Glob("/proc/self/task/*")
	require.NoError(t, err)
	names := make(map[int]string, len(dirs))
	for _, d := range dirs {
		tid, err := strconv.Atoi(filepath.Base(d))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(d, "comm"))
		if err != nil {
			continue
		}
		names[tid] = strings.TrimSuffix(string(b), "\n")
	}
	return names
}

// count returns how many threads are named name.
func count(names map[int]string, name string) int {
	n := 0
	for _, v := range names {
		if v == name {
			n++
		}
	}
	return n
}

// tidOf returns the OS thread id th's loop runs on.
func tidOf(th *Thread) int {
	var tid int
	run(th, func() { tid = unix.Gettid() })
	return tid
}

// awaitGone waits until thread tid has left the process: a thread handed
// back to the scheduler would stay. The test's deadline bounds the wait.
func awaitGone(t *testing.T, tid int) {
	t.Helper()
	dir := "/proc/self/task/" + strconv.Itoa(tid)
	for {
		if _, err := os.Stat(dir); os.IsNotExist(err) {
			return
		}
		if d, ok := t.Deadline(); ok && time.Until(d) < 5*time.Second {
			t.Fatalf("thread %d still exists (%s): was it handed back to the scheduler?", tid, taskNames(t)[tid])
		}
		time.Sleep(time.Millisecond)
	}
}

// The I/O threads carry libzmq-style names while the context runs, one
// thread each (the threads the runtime starts meanwhile do not inherit
// them), and neither name nor thread outlives Close.
func TestThreadNames(t *testing.T) {
	c, err := New(Options{IOThreads: 2})
	require.NoError(t, err)
	tids := []int{tidOf(c.Threads()[0]), tidOf(c.Threads()[1])}
	names := taskNames(t)
	for i, tid := range tids {
		assert.Equal(t, threadName(i), names[tid], "I/O thread %d", i)
		assert.Equal(t, 1, count(names, threadName(i)), "threads named %s: %v", threadName(i), names)
	}
	process, err := os.ReadFile("/proc/self/comm")
	require.NoError(t, err)
	assert.NotContains(t, string(process), "zring/io", "the process itself was renamed")

	require.NoError(t, c.Close())
	names = taskNames(t)
	for i := range tids {
		assert.Zero(t, count(names, threadName(i)), "after Close: %v", names)
	}
	for _, tid := range tids {
		awaitGone(t, tid)
	}
}

func TestThreadNameFits(t *testing.T) {
	assert.Equal(t, "zring/io/0", threadName(0))
	assert.LessOrEqual(t, len(threadName(99999)), osThreadNameBytes-1)
}

// A loop that starts on the main thread moves to another thread before
// naming or pinning anything, and the thread it left goes back unnamed.
// The main thread is faked: the first check claims it.
func TestThreadHopsOffMainThread(t *testing.T) {
	real := onMainThread
	t.Cleanup(func() { onMainThread = real })
	first := make(chan int, 1)
	onMainThread = func() bool {
		select {
		case first <- unix.Gettid():
			return true
		default:
			return false
		}
	}
	c := newTestContext(t, Options{})
	var left int
	select {
	case left = <-first:
	default:
		t.Fatal("the loop never asked whether it runs on the main thread")
	}
	th := c.Threads()[0]
	tid := tidOf(th)
	assert.NotEqual(t, left, tid, "the loop runs on the thread it should have left")
	names := taskNames(t)
	assert.Equal(t, threadName(0), names[tid])
	if name, ok := names[left]; ok {
		assert.NotEqual(t, threadName(0), name, "the thread left behind is named")
	}
}

// nameOSThread names the calling thread and returns its old name, which
// restoreOSThreadName puts back. The test's goroutine exits locked, so its
// thread goes with whatever name it has.
func TestNameOSThread(t *testing.T) {
	type result struct {
		old, named, restored string
		err                  error
	}
	done := make(chan result)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread dies with the goroutine
		comm := "/proc/self/task/" + strconv.Itoa(unix.Gettid()) + "/comm"
		read := func() string { b, _ := os.ReadFile(comm); return strings.TrimSuffix(string(b), "\n") }
		var r result
		before := read()
		if r.old, r.err = nameOSThread("zring/test/0123456789"); r.err == nil {
			r.named = read()
			r.err = restoreOSThreadName(r.old)
			r.restored = read()
		}
		if r.old != before {
			r.err = fmt.Errorf("old name %q, /proc said %q", r.old, before)
		}
		done <- r
	}()
	r := <-done
	require.NoError(t, r.err)
	assert.Equal(t, "zring/test/0123", r.named, "cut to 15 bytes")
	assert.Equal(t, r.old, r.restored)
}
