package zmtp

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMembership(t *testing.T) {
	require.Equal(t, goldenJoin, AppendMembership(nil, true, []byte("g")))
	require.Equal(t, unhex(`04 07 05 "LEAVE" 67`), AppendMembership(nil, false, []byte("g")))

	join, group, ok, err := ParseMembership(goldenJoin[2:])
	require.NoError(t, err)
	require.True(t, ok)
	require.True(t, join)
	require.Equal(t, []byte("g"), group)

	join, group, ok, err = ParseMembership(unhex(`05 "LEAVE"`))
	require.NoError(t, err)
	require.True(t, ok && !join)
	require.Empty(t, group, "the empty group is a group")

	for _, other := range [][]byte{goldenSubscribe[2:], unhex(`04 "PING" 0000`), {}, unhex("09 4a")} {
		_, _, ok, err := ParseMembership(other)
		require.False(t, ok, "%x", other)
		require.NoError(t, err)
	}

	long := append(unhex(`04 "JOIN"`), strings.Repeat("x", MaxGroupLen+1)...)
	_, _, ok, err = ParseMembership(long)
	require.True(t, ok)
	require.ErrorIs(t, err, ErrBadGroup)
	_, group, _, err = ParseMembership(long[:len(long)-1])
	require.NoError(t, err)
	require.Len(t, group, MaxGroupLen)
}

func TestCheckGroupFrame(t *testing.T) {
	require.NoError(t, CheckGroupFrame(0, 0, true))
	require.NoError(t, CheckGroupFrame(0, MaxGroupLen, true))
	require.NoError(t, CheckGroupFrame(1, 1<<20, false))
	require.ErrorIs(t, CheckGroupFrame(0, 3, false), ErrBadGroup, "a body without a group")
	require.ErrorIs(t, CheckGroupFrame(1, 3, true), ErrBadGroup, "a third frame")
	require.ErrorIs(t, CheckGroupFrame(0, MaxGroupLen+1, true), ErrBadGroup)
}

func TestDatagram(t *testing.T) {
	d, err := AppendDatagram(nil, []byte("ab"), []byte("hello"))
	require.NoError(t, err)
	require.Equal(t, unhex(`02 "ab" "hello"`), d, "libzmq's udp form")
	group, body, err := ParseDatagram(d)
	require.NoError(t, err)
	require.Equal(t, "ab", string(group))
	require.Equal(t, "hello", string(body))

	group, body, err = ParseDatagram([]byte{0})
	require.NoError(t, err)
	require.Empty(t, group)
	require.Empty(t, body)

	for _, bad := range [][]byte{nil, {3, 'a', 'b'}, {255}} {
		_, _, err := ParseDatagram(bad)
		require.ErrorIs(t, err, ErrBadGroup, "%x", bad)
	}

	_, err = AppendDatagram(nil, make([]byte, MaxGroupLen+1), nil)
	require.ErrorIs(t, err, ErrBadGroup)
	full := make([]byte, MaxDatagram-1-2)
	d, err = AppendDatagram(nil, []byte("ab"), full)
	require.NoError(t, err)
	require.Len(t, d, MaxDatagram)
	d, err = AppendDatagram([]byte("keep"), []byte("ab"), append(full, 0))
	require.ErrorIs(t, err, ErrFrameTooLarge)
	require.Equal(t, "keep", string(d), "dst unchanged on error")
}

// FuzzGroup feeds hostile bytes to the RADIO/DISH decoders: a udp datagram
// (mode even) and a JOIN/LEAVE command body (mode odd). Whatever parses
// re-encodes to the same bytes, and nothing panics or aliases past b.
func FuzzGroup(f *testing.F) {
	f.Add(byte(0), unhex(`02 "ab" "hello"`))
	f.Add(byte(0), []byte{255, 1})
	f.Add(byte(0), []byte{})
	f.Add(byte(1), goldenJoin[2:])
	f.Add(byte(1), unhex(`05 "LEAVE" "grp"`))
	f.Add(byte(1), append(unhex(`04 "JOIN"`), strings.Repeat("x", 256)...))
	f.Fuzz(func(t *testing.T, mode byte, b []byte) {
		if mode%2 == 0 {
			group, body, err := ParseDatagram(b)
			if err != nil {
				require.ErrorIs(t, err, ErrBadGroup)
				return
			}
			again, err := AppendDatagram(nil, group, body)
			if len(b) > MaxDatagram {
				require.ErrorIs(t, err, ErrFrameTooLarge)
				return
			}
			require.NoError(t, err)
			require.Equal(t, b, again)
			return
		}
		join, group, ok, err := ParseMembership(b)
		switch {
		case !ok:
			require.NoError(t, err)
			return
		case err != nil:
			require.True(t, errors.Is(err, ErrBadGroup))
			require.Greater(t, len(b), MaxGroupLen)
			return
		}
		frame := AppendMembership(nil, join, group)
		require.True(t, bytes.HasSuffix(frame, b), "%x re-encodes as %x", b, frame)
	})
}
