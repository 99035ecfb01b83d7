package zmtp

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// props encodes name/value pairs as metadata.
func props(kv ...string) []byte {
	var out []byte
	for i := 0; i+1 < len(kv); i += 2 {
		out = AppendProperty(out, kv[i], []byte(kv[i+1]))
	}
	return out
}

func TestParseReady(t *testing.T) {
	tests := []struct {
		name     string
		data     []byte
		wantType SocketType
		wantID   []byte
		wantErr  error
	}{
		{"SUB", props("Socket-Type", "SUB"), Sub, nil, nil},
		{"DEALER empty id", props("Socket-Type", "DEALER", "Identity", ""), Dealer, []byte{}, nil},
		{"REQ id", props("Socket-Type", "REQ", "Identity", "ab"), Req, []byte("ab"), nil},
		{"lowercase names", props("socket-type", "ROUTER", "IDENTITY", "x"), Router, []byte("x"), nil},
		{"unknown props ignored", props("X-App", "1", "Resource", "/a", "Socket-Type", "PUSH", "User-Id", "u"), Push, nil, nil},
		{"identity 255", props("Socket-Type", "REQ", "Identity", strings.Repeat("i", 255)), Req, []byte(strings.Repeat("i", 255)), nil},
		{"draft type", props("Socket-Type", "CHANNEL"), Channel, nil, nil},
		{"value with NUL", props("Socket-Type", "PAIR", "X-Bin", "\x00\xff"), Pair, nil, nil},
		{"lowercase dealer", props("Socket-Type", "dealer"), 0, nil, ErrBadSocketType},
		{"unknown type", props("Socket-Type", "DGRAM"), 0, nil, ErrBadSocketType},
		{"missing type", props("Identity", "x"), 0, nil, ErrBadSocketType},
		{"empty", nil, 0, nil, ErrBadSocketType},
		{"identity 256", props("Socket-Type", "REQ", "Identity", strings.Repeat("i", 256)), 0, nil, ErrBadIdentity},
		{"identity starts with 0", props("Socket-Type", "REQ", "Identity", "\x00ab"), 0, nil, ErrBadIdentity},
		{"truncated value", props("Socket-Type", "SUB")[:17], 0, nil, ErrBadMetadata},
		{"truncated length", props("Socket-Type", "SUB")[:14], 0, nil, ErrBadMetadata},
		{"truncated name", props("Socket-Type", "SUB")[:5], 0, nil, ErrBadMetadata},
		{"trailing byte", append(props("Socket-Type", "SUB"), 0x01), 0, nil, ErrBadMetadata},
		{"empty name", append(props("Socket-Type", "SUB"), 0, 0, 0, 0, 0), 0, nil, ErrBadMetadata},
		{"bad name char", props("Socket-Type", "SUB", "X Y", "1"), 0, nil, ErrBadMetadata},
		{"huge value length", append(props("Socket-Type", "SUB"), unhex(`01 "X" ffffffff`)...), 0, nil, ErrBadMetadata},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := ParseReady(tt.data)
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantType, info.Type)
			assert.Equal(t, tt.wantID, info.Identity)
		})
	}
}

func TestParseReadyCopies(t *testing.T) {
	data := props("Socket-Type", "REQ", "Identity", "ab", "X-Key", "v")
	info, err := ParseReady(data)
	require.NoError(t, err)
	for i := range data {
		data[i] = 0
	}
	assert.Equal(t, []byte("ab"), info.Identity)
	v, ok := info.Property("x-key")
	assert.True(t, ok)
	assert.Equal(t, []byte("v"), v)
	_, ok = info.Property("X-Missing")
	assert.False(t, ok)
	require.Len(t, info.Properties, 3)
	assert.Equal(t, "Socket-Type", info.Properties[0].Name)
}

func TestWalkProperties(t *testing.T) {
	data := props("A", "1", "b.c+d_e-F9", "", "Z", "zzz")
	var got []string
	err := WalkProperties(data, func(name, value []byte) error {
		got = append(got, string(name)+"="+string(value))
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"A=1", "b.c+d_e-F9=", "Z=zzz"}, got)

	stop := errors.New("stop")
	calls := 0
	err = WalkProperties(data, func(_, _ []byte) error { calls++; return stop })
	assert.Equal(t, stop, err)
	assert.Equal(t, 1, calls)

	long := strings.Repeat("n", 255)
	require.NoError(t, WalkProperties(props(long, "v"), func(name, _ []byte) error {
		assert.Equal(t, long, string(name))
		return nil
	}))
}

func TestValidPropertyName(t *testing.T) {
	for _, ok := range []string{"a", "Socket-Type", "X_1.2+3", strings.Repeat("a", 255)} {
		assert.True(t, ValidPropertyName([]byte(ok)), ok)
	}
	for _, bad := range []string{"", "a b", "a/b", "é", "a\x00", strings.Repeat("a", 256)} {
		assert.False(t, ValidPropertyName([]byte(bad)), "%q", bad)
	}
}

func TestAppendReadyAllTypes(t *testing.T) {
	for _, tt := range allTypes {
		frame := AppendReady(nil, tt.t, []byte("id"))
		name, data, err := ParseCommand(commandBody(t, frame))
		require.NoError(t, err)
		assert.Equal(t, CmdReady, string(name))
		info, err := ParseReady(data)
		require.NoError(t, err, tt.name)
		assert.Equal(t, tt.t, info.Type)
		if tt.t.SendsIdentity() {
			assert.Equal(t, []byte("id"), info.Identity)
		} else {
			assert.Nil(t, info.Identity)
		}
		// Exact libzmq spelling.
		assert.True(t, bytes.Contains(data, []byte("\x0bSocket-Type")))
	}
}

// Hostile metadata: every length and count is the peer's number, checked
// against what arrived before it is used.
func TestParseReadyHostile(t *testing.T) {
	typ := slices.Clip(props("Socket-Type", "SUB")) // appends copy
	many := func(n int) []byte {
		out := slices.Clone(typ)
		for i := 1; i < n; i++ {
			out = AppendProperty(out, "X", nil)
		}
		return out
	}
	name255 := strings.Repeat("n", 255)
	tests := []struct {
		name    string
		data    []byte
		wantErr error
	}{
		{"value length 0xFFFFFFFF", append(typ, unhex(`01 "X" ffffffff "abc"`)...), ErrBadMetadata},
		{"value length 2^31", append(typ, unhex(`01 "X" 80000000`)...), ErrBadMetadata},
		{"value length 2^31-1", append(typ, unhex(`01 "X" 7fffffff "a"`)...), ErrBadMetadata},
		{"value length one past the end", append(typ, unhex(`01 "X" 00000002 "a"`)...), ErrBadMetadata},
		{"name length 255, 2 bytes", append(typ, 0xff, 'a', 'b'), ErrBadMetadata},
		{"name length 255, no value length", append(append(typ, 0xff), name255...), ErrBadMetadata},
		{"name length 255, value length cut", append(append(append(typ, 0xff), name255...), 0, 0, 0), ErrBadMetadata},
		{"lone name length", append(typ, 0x05), ErrBadMetadata},
		{"empty name, value length", append(typ, 0, 0, 0, 0, 0), ErrBadMetadata},
		{"second Socket-Type", append(typ, props("socket-type", "SUB")...), ErrBadMetadata},
		{"second Socket-Type, other type", append(slices.Clip(props("Socket-Type", "PUB")), props("Socket-Type", "SUB")...), ErrBadMetadata},
		{"second Identity", props("Socket-Type", "REQ", "Identity", "a", "IDENTITY", "b"), ErrBadMetadata},
		{"MaxProperties+1 properties", many(MaxProperties + 1), ErrBadMetadata},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseReady(tt.data)
			assert.ErrorIs(t, err, tt.wantErr)
		})
	}

	info, err := ParseReady(many(MaxProperties))
	require.NoError(t, err, "MaxProperties properties are fine")
	assert.Len(t, info.Properties, MaxProperties)

	info, err = ParseReady(props("Socket-Type", "SUB", "X-A", "1", "x-a", "2"))
	require.NoError(t, err, "other duplicates are kept")
	v, _ := info.Property("X-A")
	assert.Equal(t, []byte("1"), v, "the first of two wins")
	require.NoError(t, WalkProperties(append(slices.Clip(props("A", "")), unhex(`01 "B" 00000000`)...), func(_, _ []byte) error { return nil }),
		"empty values end exactly at the end")
}
