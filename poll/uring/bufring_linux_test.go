package uring

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// A multishot receive picks buffers from the ring, one per completion; a
// buffer given back is used again; with none left the receive ends with
// ENOBUFS.
func TestMultishotRecvWithBufRing(t *testing.T) {
	r := newRing(t, 8)
	if !r.Supports(OpRecv) {
		t.Skip("no IORING_OP_RECV")
	}
	b, err := r.NewBufRing(7, 2, 64)
	require.NoError(t, err)
	defer b.Close()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	defer unix.Close(fds[0])
	defer unix.Close(fds[1])

	sqe := r.SQE()
	sqe.Opcode, sqe.Fd, sqe.Flags, sqe.BufIndex = OpRecv, int32(fds[0]), SQEBufferSelect, 7
	sqe.IoPrio, sqe.UserData = RecvMultishot, 42
	_, err = r.Submit()
	require.NoError(t, err)

	recv := func(msg string) CQE {
		t.Helper()
		_, err := unix.Write(fds[1], []byte(msg))
		require.NoError(t, err)
		deadline := time.Now().Add(5 * time.Second)
		for r.Ready() == 0 && time.Now().Before(deadline) {
			require.NoError(t, r.Wait(time.Second))
		}
		got := reap(r)
		require.Len(t, got, 1)
		return got[0]
	}
	seen := map[uint16]bool{}
	for _, msg := range []string{"hello", "world"} {
		c := recv(msg)
		require.NotZero(t, c.Flags&CQEFBuffer, "a buffer was selected")
		require.NotZero(t, c.Flags&CQEFMore, "still armed")
		assert.Equal(t, msg, string(b.Buffer(c.BufferID())[:c.Res]))
		seen[c.BufferID()] = true
	}
	assert.Len(t, seen, 2, "two distinct buffers")

	b.Provide(0)
	b.Publish()
	c := recv("again")
	assert.EqualValues(t, 0, c.BufferID(), "the buffer given back is used")
	assert.Equal(t, "again", string(b.Buffer(0)[:c.Res]))

	c = recv("none left")
	assert.EqualValues(t, -int32(unix.ENOBUFS), c.Res)
	assert.Zero(t, c.Flags&CQEFMore, "the receive ended")
}

func TestBufRingArguments(t *testing.T) {
	r := newRing(t, 4)
	for _, bad := range [][2]int{{0, 64}, {3, 64}, {1 << 16, 64}, {4, 0}} {
		_, err := r.NewBufRing(1, bad[0], bad[1])
		assert.ErrorIs(t, err, unix.EINVAL, "%d × %d", bad[0], bad[1])
	}
	b, err := r.NewBufRing(1, 4, 16)
	require.NoError(t, err)
	require.NoError(t, b.Close())
	assert.ErrorIs(t, b.Close(), ErrClosed)
}
