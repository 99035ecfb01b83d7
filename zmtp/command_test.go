package zmtp

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// commandBody strips the frame header from an encoded command frame.
func commandBody(t *testing.T, frame []byte) []byte {
	t.Helper()
	c := newCollector(-1)
	require.NoError(t, c.feed(frame))
	require.Len(t, c.frames, 1)
	require.True(t, c.frames[0].h.Command())
	return c.frames[0].body
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		name     string
		body     []byte
		wantName string
		wantData string
		wantErr  bool
	}{
		{"READY", unhex(`05 "READY"`), "READY", "", false},
		{"with data", unhex(`04 "PING" 0001 "ctx"`), "PING", "\x00\x01ctx", false},
		{"name 255", append([]byte{255}, bytes.Repeat([]byte("A"), 255)...), strings.Repeat("A", 255), "", false},
		{"empty body", nil, "", "", true},
		{"empty name", unhex(`00 "data"`), "", "", true},
		{"truncated name", unhex(`05 "READ"`), "", "", true},
		{"length only", unhex(`05`), "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, data, err := ParseCommand(tt.body)
			if tt.wantErr {
				assert.ErrorIs(t, err, ErrBadCommand)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantName, string(name))
			assert.Equal(t, tt.wantData, string(data))
		})
	}
}

func TestAppendCommandLong(t *testing.T) {
	data := bytes.Repeat([]byte{'x'}, 300)
	f := AppendCommand(nil, "MESSAGE", data)
	assert.Equal(t, unhex("06 0000000000000134"), f[:9])
	name, got, err := ParseCommand(commandBody(t, f))
	require.NoError(t, err)
	assert.Equal(t, "MESSAGE", string(name))
	assert.Equal(t, data, got)
}

func TestErrorCommand(t *testing.T) {
	tests := []struct {
		reason string
		want   string
	}{
		{"", ""},
		{"400", "400"},
		{strings.Repeat("r", 300), strings.Repeat("r", 255)},
	}
	for _, tt := range tests {
		name, data, err := ParseCommand(commandBody(t, AppendError(nil, tt.reason)))
		require.NoError(t, err)
		assert.Equal(t, CmdError, string(name))
		got, err := ParseError(data)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got)
	}
	got, err := ParseError(unhex(`03 "500" "trailing"`))
	require.NoError(t, err)
	assert.Equal(t, "500", got)
	for _, bad := range [][]byte{nil, unhex(`03 "40"`), unhex(`ff`)} {
		_, err := ParseError(bad)
		assert.ErrorIs(t, err, ErrBadCommand, "%x", bad)
	}
}

func TestPingPong(t *testing.T) {
	ctx16 := []byte("0123456789abcdef")
	tests := []struct {
		name    string
		ttl     uint16
		ctx     []byte
		wantCtx []byte
	}{
		{"no context", 0, nil, []byte{}},
		{"ttl 655", 655, []byte("c"), []byte("c")},
		{"16 bytes", 1, ctx16, ctx16},
		{"truncated", 65535, append(ctx16, "XYZ"...), ctx16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, data, err := ParseCommand(commandBody(t, AppendPing(nil, tt.ttl, tt.ctx)))
			require.NoError(t, err)
			assert.Equal(t, CmdPing, string(name))
			ttl, ctx, err := ParsePing(data)
			require.NoError(t, err)
			assert.Equal(t, tt.ttl, ttl)
			assert.Equal(t, tt.wantCtx, ctx)

			name, data, err = ParseCommand(commandBody(t, AppendPong(nil, tt.ctx)))
			require.NoError(t, err)
			assert.Equal(t, CmdPong, string(name))
			assert.Equal(t, tt.wantCtx, data)
		})
	}
	for _, bad := range [][]byte{nil, {0}} {
		_, _, err := ParsePing(bad)
		assert.ErrorIs(t, err, ErrBadCommand)
	}
	_, ctx, err := ParsePing(append([]byte{0, 1}, bytes.Repeat([]byte{1}, 40)...))
	require.NoError(t, err)
	assert.Len(t, ctx, MaxPingContext)
}

func TestParseSubscription(t *testing.T) {
	tests := []struct {
		name    string
		command bool
		body    []byte
		sub     bool
		topic   string
		ok      bool
	}{
		{"3.1 subscribe", true, goldenSubscribe[2:], true, "A", true},
		{"3.1 cancel", true, goldenCancel[2:], false, "A", true},
		{"3.0 subscribe", false, goldenSubscribe30[2:], true, "A", true},
		{"3.0 cancel all", false, []byte{0}, false, "", true},
		{"3.0 other data", false, []byte{2, 'A'}, false, "", false},
		{"empty data", false, nil, false, "", false},
		{"other command", true, goldenPing[2:], false, "", false},
		{"bad command", true, []byte{9}, false, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub, topic, ok := ParseSubscription(tt.command, tt.body)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.sub, sub)
			assert.Equal(t, tt.topic, string(topic))
		})
	}
}
