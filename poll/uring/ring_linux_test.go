package uring

import (
	"errors"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// newRing creates a ring on the calling goroutine, locked to its thread
// for the test's life, as an I/O thread would.
func newRing(t *testing.T, entries uint32) *Ring {
	t.Helper()
	runtime.LockOSThread()
	t.Cleanup(runtime.UnlockOSThread)
	r, err := New(entries)
	require.NoError(t, err)
	t.Cleanup(func() { r.Close() })
	return r
}

// reap returns the waiting completions and consumes them.
func reap(r *Ring) []CQE {
	var out []CQE
	n := r.Ready()
	for k := range n {
		out = append(out, *r.CQE(k))
	}
	r.Advance(n)
	return out
}

func TestNopRoundTrip(t *testing.T) {
	r := newRing(t, 8)
	assert.NotZero(t, r.SetupFlags()&SetupSingleIssuer, "kernel 6.x: single issuer")
	assert.True(t, r.Supports(OpNop))
	assert.True(t, r.Supports(OpPollAdd))
	for i := range 3 {
		sqe := r.SQE()
		require.NotNil(t, sqe)
		sqe.Opcode = OpNop
		sqe.UserData = uint64(100 + i)
	}
	assert.EqualValues(t, 3, r.Pending())
	require.NoError(t, r.Wait(time.Second))
	got := reap(r)
	require.Len(t, got, 3)
	for i, c := range got {
		assert.EqualValues(t, 100+i, c.UserData)
		assert.Zero(t, c.Res)
	}
	assert.Zero(t, r.Ready())
}

func TestSQEFullReturnsNil(t *testing.T) {
	r := newRing(t, 4)
	n := 0
	for r.SQE() != nil {
		n++
	}
	assert.Equal(t, 4, n, "every slot, then nil")
	_, err := r.Submit()
	require.NoError(t, err)
	require.NoError(t, r.Wait(time.Second))
	r.Advance(r.Ready())
	assert.NotNil(t, r.SQE(), "slots come back once the kernel consumed them")
}

func TestWaitTimesOut(t *testing.T) {
	r := newRing(t, 4)
	start := time.Now()
	require.NoError(t, r.Wait(20*time.Millisecond))
	assert.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)
	// 32-bit platforms: the kernel reads a 64-bit timespec whatever
	// unix.Timespec's size.
	assert.Less(t, time.Since(start), 5*time.Second, "the timeout was read as 20 ms")
	assert.Zero(t, r.Ready())
	require.NoError(t, r.Wait(0), "a zero timeout polls")
}

// A multishot poll on an eventfd reports each write and stays armed.
func TestMultishotPollOnEventfd(t *testing.T) {
	r := newRing(t, 8)
	efd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	require.NoError(t, err)
	defer unix.Close(efd)
	sqe := r.SQE()
	sqe.Opcode, sqe.Fd, sqe.Len, sqe.UserData = OpPollAdd, int32(efd), PollAddMulti, 7
	sqe.OpFlags = unix.POLLIN
	_, err = r.Submit()
	require.NoError(t, err)
	var one [8]byte
	one[0] = 1
	for range 2 {
		_, err = unix.Write(efd, one[:])
		require.NoError(t, err)
		require.NoError(t, r.Wait(time.Second))
		got := reap(r)
		require.Len(t, got, 1)
		assert.EqualValues(t, 7, got[0].UserData)
		assert.NotZero(t, got[0].Res&unix.POLLIN)
		assert.NotZero(t, got[0].Flags&CQEFMore, "still armed")
		_, err = unix.Read(efd, one[:])
		require.NoError(t, err)
	}
}

// A blocked Wait lets other goroutines run (Syscall, not RawSyscall): with
// GOMAXPROCS=1 the writer below could not run otherwise.
func TestWaitReleasesP(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	r := newRing(t, 8)
	efd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	require.NoError(t, err)
	defer unix.Close(efd)
	sqe := r.SQE()
	sqe.Opcode, sqe.Fd, sqe.UserData, sqe.OpFlags = OpPollAdd, int32(efd), 1, unix.POLLIN
	go func() {
		time.Sleep(10 * time.Millisecond)
		unix.Write(efd, []byte{1, 0, 0, 0, 0, 0, 0, 0})
	}()
	deadline := time.Now().Add(5 * time.Second)
	for r.Ready() == 0 && time.Now().Before(deadline) {
		require.NoError(t, r.Wait(time.Second))
	}
	assert.EqualValues(t, 1, r.Ready())
}

func TestSetupFailureNamesTheCause(t *testing.T) {
	saved := setup
	defer func() { setup = saved }()
	for errno, want := range map[unix.Errno]string{
		unix.ENOSYS: "not implemented",
		unix.EPERM:  "not permitted",
		unix.ENOMEM: "RLIMIT_MEMLOCK",
	} {
		setup = func(uint32, *params) (int, error) { return -1, errno }
		_, err := New(8)
		assert.ErrorIs(t, err, ErrUnavailable)
		assert.Contains(t, err.Error(), want)
	}
}

func TestSetupFallsBackOnUnknownFlags(t *testing.T) {
	saved := setup
	defer func() { setup = saved }()
	var tried []uint32
	setup = func(n uint32, p *params) (int, error) {
		tried = append(tried, p.Flags)
		if p.Flags&(SetupDeferTaskrun|SetupSingleIssuer) != 0 {
			return -1, unix.EINVAL // an older kernel
		}
		return saved(n, p)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	r, err := New(8)
	require.NoError(t, err)
	defer r.Close()
	assert.Len(t, tried, 3)
	assert.Zero(t, r.SetupFlags()&SetupSingleIssuer)
	assert.NotZero(t, r.SetupFlags()&SetupCoopTaskrun)
}

func TestClose(t *testing.T) {
	r := newRing(t, 4)
	require.NoError(t, r.Close())
	assert.ErrorIs(t, r.Close(), ErrClosed)
	_, err := r.Submit()
	assert.True(t, errors.Is(err, ErrClosed))
	assert.Nil(t, r.SQE(), "no slot after Close, and no fault")
	assert.Zero(t, r.Ready())
	r.Advance(1) // no fault either
}

func TestABISizes(t *testing.T) {
	assert.EqualValues(t, 64, unsafe.Sizeof(SQE{}))
	assert.EqualValues(t, 16, unsafe.Sizeof(CQE{}))
	assert.EqualValues(t, 32, unsafe.Offsetof(SQE{}.UserData))
	assert.EqualValues(t, 40, unsafe.Offsetof(SQE{}.BufIndex))
}
