//go:build !race

package zmtp

import (
	"encoding/binary"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stream64 returns a buffer of n 64-byte data frames.
func stream64(n int) []byte {
	body := make([]byte, 64)
	out := make([]byte, 0, n*(2+64))
	for range n {
		out = AppendFrameHeader(out, 0, len(body))
		out = append(out, body...)
	}
	return out
}

// decodeStream decodes every frame of stream into body, returning the
// number of frames.
func decodeStream(d *Decoder, stream, body []byte) (int, error) {
	frames := 0
	for len(stream) > 0 {
		n, h, ev, err := d.Decode(stream)
		if err != nil {
			return frames, err
		}
		stream = stream[n:]
		switch ev {
		case EventHeader:
			d.SetBody(body[:h.Size])
		case EventFrame:
			frames++
		}
	}
	return frames, nil
}

func TestDecodeAllocs(t *testing.T) {
	stream := stream64(1000)
	body := make([]byte, 64)
	d := NewDecoder(1 << 20)
	allocs := testing.AllocsPerRun(100, func() {
		n, err := decodeStream(d, stream, body)
		if err != nil || n != 1000 {
			t.Fatalf("decoded %d frames: %v", n, err)
		}
	})
	assert.Zero(t, allocs)
}

func TestEncodeAllocs(t *testing.T) {
	buf := make([]byte, 0, 4096)
	ctx := []byte("ctx")
	allocs := testing.AllocsPerRun(100, func() {
		b := AppendFrameHeader(buf[:0], FlagMore, 64)
		b = AppendFrameHeader(b, 0, 1<<20)
		b = AppendPing(b, 10, ctx)
		b = AppendPong(b, ctx)
		b = AppendReady(b, Dealer, ctx)
		b = AppendGreeting(b, "NULL", false)
		_ = b
	})
	assert.Zero(t, allocs)
}

func TestParseAllocs(t *testing.T) {
	greeting := AppendGreeting(nil, "NULL", false)
	ready := AppendReady(nil, Dealer, []byte("id"))[2:]
	ping := AppendPing(nil, 10, []byte("ctx"))[2:]
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := ParseGreeting(greeting); err != nil {
			t.Fatal(err)
		}
		_, data, err := ParseCommand(ready)
		if err != nil {
			t.Fatal(err)
		}
		if err := WalkProperties(data, func(_, _ []byte) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if _, _, err := ParsePing(ping[5:]); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs)
}

// TestOversizeNoAllocation checks that a frame declaring a huge size is
// refused before anything near that size is allocated.
func TestOversizeNoAllocation(t *testing.T) {
	in := binary.BigEndian.AppendUint64([]byte{FlagLong}, 1<<40)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	c := newCollector(1 << 20)
	err := c.feed(in)
	runtime.ReadMemStats(&after)
	require.ErrorIs(t, err, ErrFrameTooLarge)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<10))
	assert.Empty(t, c.frames)
}

// TestCurveMessageAllocs: sealing and opening a MESSAGE into buffers with
// room allocate nothing, so CURVE keeps the hot path allocation-free.
func TestCurveMessageAllocs(t *testing.T) {
	client, server := curvePair(t, testServerPublic)
	handshake(t, client, server, allowClient(t))
	seal, _ := client.Codec()
	_, open := server.Codec()
	plain := make([]byte, 1+1024)
	wire := make([]byte, 0, CurveMessageLen(1024))
	out := make([]byte, 0, len(plain))
	allocs := testing.AllocsPerRun(1000, func() {
		msg := seal.AppendMessage(wire[:0], plain)
		got, err := open.Open(out[:0], msg[len(msg)-CurveMessageOverhead-1024:])
		if err != nil || len(got) != len(plain) {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs)
}
