package zmtp

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestZAPRequestFramesAsLibzmqSendsThem(t *testing.T) {
	frames := ZAPRequestFrames([]byte("7"), []byte("global"), []byte("127.0.0.1"), []byte("srv"),
		ZAPRequest{Mechanism: MechanismPlain, Credentials: [][]byte{[]byte("admin"), []byte("secret")}})
	want := []string{"", "1.0", "7", "global", "127.0.0.1", "srv", "PLAIN", "admin", "secret"}
	require.Len(t, frames, len(want))
	for i, w := range want {
		assert.Equal(t, w, string(frames[i]), "frame %d", i)
	}
}

func TestParseZAPReply(t *testing.T) {
	meta := AppendProperty(nil, "X-Tier", []byte("gold"))
	good := ZAPReplyFrames([]byte("7"), ZAPReply{Status: 200, Text: "OK", UserID: []byte("bob"), Metadata: meta})
	r, err := ParseZAPReply(good, []byte("7"))
	require.NoError(t, err)
	assert.Equal(t, ZAPReply{Status: 200, Text: "OK", UserID: []byte("bob"), Metadata: meta}, r)

	mutate := func(i int, v string) [][]byte {
		f := append([][]byte(nil), good...)
		f[i] = []byte(v)
		return f
	}
	bad := map[string][][]byte{
		"six frames":      good[:6],
		"eight frames":    append(append([][]byte(nil), good...), nil),
		"no delimiter":    mutate(0, "x"),
		"version 2.0":     mutate(1, "2.0"),
		"other id":        mutate(2, "8"),
		"status 201":      mutate(3, "201"),
		"status 20":       mutate(3, "20"),
		"status text":     mutate(3, "OK!"),
		"broken metadata": mutate(6, "\x01"),
	}
	for name, frames := range bad {
		_, err := ParseZAPReply(frames, []byte("7"))
		assert.ErrorIs(t, err, ErrBadZAPReply, name)
	}
}
