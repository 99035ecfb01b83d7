package affinity

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// onLockedThread runs fn on a fresh locked OS thread and returns when fn is
// done. The goroutine exits still locked, so the runtime destroys the thread
// and its narrowed mask with it; it is never unlocked.
func onLockedThread(fn func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		runtime.LockOSThread()
		fn()
	}()
	<-done
}

func TestPinNarrowsThreadMask(t *testing.T) {
	allowed, err := Allowed()
	require.NoError(t, err)
	cpu := allowed[len(allowed)-1]

	var pinErr, getErr, fromPinnedErr error
	var set unix.CPUSet
	var fromPinned []int
	onLockedThread(func() {
		pinErr = Pin(cpu)
		getErr = unix.SchedGetaffinity(0, &set)
		fromPinned, fromPinnedErr = Allowed()
	})
	require.NoError(t, pinErr)
	require.NoError(t, getErr)
	assert.Equal(t, 1, set.Count())
	assert.True(t, set.IsSet(cpu))
	require.NoError(t, fromPinnedErr)
	assert.Equal(t, allowed, fromPinned, "a pinned caller still sees the process mask")

	after, err := Allowed()
	require.NoError(t, err)
	assert.Equal(t, allowed, after, "pinning one thread must not change the process mask")
}

func TestPinRejectsCPUsOutsideMask(t *testing.T) {
	allowed, err := Allowed()
	require.NoError(t, err)
	bad := []int{-1, allowed[len(allowed)-1] + 1, 1 << 20}
	if gap := firstGap(allowed); gap >= 0 {
		bad = append(bad, gap) // e.g. CPU 0 under taskset -c 1
	}
	onLockedThread(func() {
		for _, cpu := range bad {
			assert.ErrorIs(t, Pin(cpu), ErrInvalidCPU, "cpu %d", cpu)
		}
	})
}

func TestRepinOnSameThread(t *testing.T) {
	allowed, err := Allowed()
	require.NoError(t, err)
	if len(allowed) < 2 {
		t.Skip("needs two allowed CPUs")
	}
	var set unix.CPUSet
	onLockedThread(func() {
		// assert, not require: FailNow must not run off the test goroutine.
		assert.NoError(t, Pin(allowed[0]))
		assert.NoError(t, Pin(allowed[1]))
		assert.NoError(t, unix.SchedGetaffinity(0, &set))
	})
	assert.Equal(t, 1, set.Count())
	assert.True(t, set.IsSet(allowed[1]))
}

func TestOrInto(t *testing.T) {
	small := unix.NewCPUSet(64)
	small.Set(1)
	big := unix.NewCPUSet(2048)
	big.Set(2000)
	big.Set(3)

	got := orInto(orInto(nil, small), big)
	assert.Equal(t, []int{1, 3, 2000}, members(got))
	got = orInto(big, small)
	assert.Equal(t, []int{1, 3, 2000}, members(got))
}

// firstGap returns the lowest CPU below max(allowed) that is not allowed,
// or -1 if allowed is contiguous from 0.
func firstGap(allowed []int) int {
	for want, cpu := range allowed {
		if cpu != want {
			return want
		}
	}
	return -1
}
