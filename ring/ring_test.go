package ring

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewRoundsCapacity(t *testing.T) {
	for _, tc := range []struct{ in, want int }{
		{-5, 2}, {0, 2}, {1, 2}, {2, 2}, {3, 4}, {4, 4}, {5, 8}, {1000, 1024}, {1024, 1024},
	} {
		assert.Equal(t, tc.want, New[int](tc.in).Cap(), "New(%d)", tc.in)
	}
}

func TestWriteInvisibleUntilFlush(t *testing.T) {
	r := New[int](4)
	require.True(t, r.Write(1))
	_, ok := r.Read()
	assert.False(t, ok, "unflushed write must be invisible")
	_, ok = r.Peek()
	assert.False(t, ok)

	r.Flush()
	v, ok := r.Peek()
	require.True(t, ok)
	assert.Equal(t, 1, v)
	v, ok = r.Read()
	require.True(t, ok)
	assert.Equal(t, 1, v)
	_, ok = r.Read()
	assert.False(t, ok)
}

func TestFlushNothingReturnsFalse(t *testing.T) {
	r := New[int](4)
	asleep, _ := r.TrySleep()
	require.True(t, asleep)
	assert.False(t, r.Flush(), "empty flush must not wake")
	r.Write(1)
	assert.True(t, r.Flush())
	assert.False(t, r.Flush())
}

func TestFlushWakesSleeperExactlyOnce(t *testing.T) {
	r := New[int](8)
	r.Write(1)
	assert.False(t, r.Flush(), "reader awake: no wake")

	asleep, _ := r.TrySleep()
	assert.False(t, asleep, "items visible: must not sleep")
	_, ok := r.Read()
	require.True(t, ok)

	asleep, _ = r.TrySleep()
	require.True(t, asleep)
	r.Write(2)
	assert.True(t, r.Flush(), "first flush after sleep wakes")
	r.Write(3)
	assert.False(t, r.Flush(), "second flush must not wake again")
}

func TestWakeCancelsSleep(t *testing.T) {
	r := New[int](8)
	asleep, _ := r.TrySleep()
	require.True(t, asleep)
	r.Wake()
	r.Write(1)
	assert.False(t, r.Flush())
}

func TestFullAndEmpty(t *testing.T) {
	r := New[int](4)
	for i := range 4 {
		require.True(t, r.Write(i))
	}
	assert.False(t, r.Write(4), "unflushed writes count towards full")
	r.Flush()
	assert.False(t, r.Write(4))

	v, ok := r.Read()
	require.True(t, ok)
	assert.Equal(t, 0, v)
	assert.False(t, r.Write(4), "read but unreleased slot is not free")
	r.Release()
	assert.True(t, r.Write(4))
	r.Flush()
	for want := 1; want <= 4; want++ {
		v, ok = r.Read()
		require.True(t, ok)
		assert.Equal(t, want, v)
	}
	_, ok = r.Read()
	assert.False(t, ok)
}

func TestWrapAround(t *testing.T) {
	r := New[int](4)
	next, want := 0, 0
	for round := range 100 {
		n := round%4 + 1
		for range n {
			require.True(t, r.Write(next))
			next++
		}
		r.Flush()
		for range n {
			v, ok := r.Read()
			require.True(t, ok)
			require.Equal(t, want, v)
			want++
		}
		r.Release()
	}
}

func TestReadClearsSlot(t *testing.T) {
	r := New[*int](2)
	x := 7
	r.Write(&x)
	r.Flush()
	v, ok := r.Read()
	require.True(t, ok)
	assert.Same(t, &x, v)
	assert.Nil(t, r.buf[0], "slot must not retain the item")
}

func TestQueued(t *testing.T) {
	r := New[int](8)
	assert.Equal(t, 0, r.Queued())
	r.Write(1)
	r.Write(2)
	assert.Equal(t, 2, r.Queued(), "unflushed writes count")
	r.Flush()
	r.Read()
	assert.Equal(t, 2, r.Queued(), "unreleased reads still count")
	r.Release()
	assert.Equal(t, 1, r.Queued())
}

func TestWriterParkAndWake(t *testing.T) {
	r := New[int](2)
	assert.False(t, r.TryParkWriter(), "space available: no park")
	assert.False(t, r.Release(), "nothing to release")
	r.Write(1)
	r.Write(2)
	r.Flush()
	require.True(t, r.TryParkWriter())

	r.Read()
	assert.True(t, r.Release(), "first release after park wakes")
	r.Read()
	assert.False(t, r.Release(), "only once")
	assert.True(t, r.Write(3))
}

func TestParkedWriterWakesAtLowWaterMark(t *testing.T) {
	r := New[int](8)
	for i := range 8 {
		require.True(t, r.Write(i))
	}
	r.Flush()
	require.True(t, r.TryParkWriter())
	for i := range 4 {
		r.Read()
		if i < 3 {
			assert.False(t, r.Release(), "%d of 8 free: above the low-water mark", i+1)
		}
	}
	assert.True(t, r.Release(), "half free: wake")
	assert.Equal(t, 4, r.Cap()-r.Queued())
}

func TestCancelParkWriter(t *testing.T) {
	r := New[int](2)
	r.Write(1)
	r.Write(2)
	require.True(t, r.TryParkWriter())
	r.CancelParkWriter()
	r.Flush()
	r.Read()
	assert.False(t, r.Release())
}

func TestTrySleepReleasesAndReportsWriter(t *testing.T) {
	r := New[int](2)
	r.Write(1)
	r.Write(2)
	r.Flush()
	require.True(t, r.TryParkWriter())
	r.Read()
	r.Read()
	asleep, wakeWriter := r.TrySleep()
	assert.True(t, asleep)
	assert.True(t, wakeWriter)
	assert.Equal(t, 0, r.Queued())
}

func TestHasRoom(t *testing.T) {
	r := New[int](2)
	assert.True(t, r.HasRoom())
	r.Write(1)
	r.Write(2)
	assert.False(t, r.HasRoom(), "full, unflushed writes included")
	r.Flush()
	r.Read()
	assert.False(t, r.HasRoom(), "not released yet")
	r.Release()
	assert.True(t, r.HasRoom(), "the release is seen through a fresh head")
}
