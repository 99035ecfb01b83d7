package engine

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring/zmtp"
)

// zmtpStream is our engine's output: a greeting, READY, data frames of
// every length form with MORE, a PING between them and a PONG.
func zmtpStream() (stream, want []byte) {
	frame := func(flags byte, body []byte) []byte {
		return append(zmtp.AppendFrameHeader(nil, flags, len(body)), body...)
	}
	ping := zmtp.AppendCommand(nil, "PING", []byte{0, 10})
	pong := frame(zmtp.FlagCommand, []byte("\x04PONG"))
	frames := [][]byte{
		zmtp.AppendReady(nil, zmtp.Dealer, []byte("id")),
		frame(zmtp.FlagMore, nil),
		frame(zmtp.FlagMore, []byte("hello")),
		frame(zmtp.FlagMore, bytes.Repeat([]byte{1}, 300)),
		frame(0, bytes.Repeat([]byte{2}, 70000)),
		zmtp.AppendCommand(nil, "SUBSCRIBE", bytes.Repeat([]byte("t"), 80)),
	}
	stream = zmtp.AppendGreeting(nil, "NULL", false)
	for i, f := range frames {
		stream = append(stream, f...)
		want = append(want, f...)
		if i == 2 {
			stream = append(stream, ping...)
			stream = append(stream, pong...)
		}
	}
	return stream, want
}

// pushThrough runs src through out, then in, in pieces and with output
// buffers of random sizes, and returns the ZMTP bytes and control frames
// in produced.
func pushThrough(t *testing.T, r *rand.Rand, out *wsOut, in *wsIn, src []byte) (zmtpOut []byte, pings int) {
	var ws []byte
	for off := 0; off < len(src); {
		end := min(len(src), off+1+r.IntN(5000))
		for off < end {
			dst := make([]byte, 0, wsOutRoom+r.IntN(3000))
			var n int
			dst, n, _ = out.feed(dst, src[off:end])
			off += n
			ws = append(ws, dst...)
		}
	}
	for off := 0; off < len(ws); {
		end := min(len(ws), off+1+r.IntN(5000))
		for off < end {
			dst := make([]byte, 0, 16+r.IntN(3000))
			var n int
			var ctl wsControl
			var err error
			dst, n, ctl, err = in.feed(dst, ws[off:end])
			require.NoError(t, err)
			if ctl.opcode == zmtp.WSPing {
				pings++
			}
			off += n
			zmtpOut = append(zmtpOut, dst...)
		}
	}
	return zmtpOut, pings
}

// Our ZMTP output, turned into WebSocket frames and back, is the same
// frames without the greeting, with PING as a WebSocket ping and PONG
// gone, whichever side masks and wherever reads split.
func TestWSCodecRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	src, want := zmtpStream()
	for _, client := range []bool{true, false} {
		for range 50 {
			out := newWSOut(client, [32]byte{byte(r.Uint32())})
			in := &wsIn{client: !client}
			got, pings := pushThrough(t, r, out, in, src)
			require.Equal(t, want, got, "client=%v", client)
			require.Equal(t, 1, pings)
		}
	}
}

// Each frame a client sends is masked, each a server sends is not, and
// each carries the ZWS 2.0 flags byte.
func TestWSCodecWire(t *testing.T) {
	src := zmtp.AppendGreeting(nil, "NULL", false)
	src = append(src, 0x01, 2, 'h', 'i', 0x04, 1, 5) // "hi" with MORE, then a 1-byte command
	for _, client := range []bool{true, false} {
		out := newWSOut(client, [32]byte{})
		ws, n, mid := out.feed(make([]byte, 0, 1024), src)
		require.Equal(t, len(src), n)
		require.False(t, mid)
		var frames [][]byte
		for len(ws) > 0 {
			h, k, err := zmtp.ParseWSHeader(ws)
			require.NoError(t, err)
			require.NotZero(t, k)
			assert.Equal(t, client, h.Masked)
			assert.True(t, h.Fin)
			assert.Equal(t, byte(zmtp.WSBinary), h.Opcode)
			p := bytes.Clone(ws[k : k+int(h.Len)])
			zmtp.WSMask(p, h.Key, 0)
			frames = append(frames, p)
			ws = ws[k+int(h.Len):]
		}
		assert.Equal(t, [][]byte{{zmtp.WSMore, 'h', 'i'}, {zmtp.WSCommand, 5}}, frames)
	}
}

// A server refuses unmasked frames and a client masked ones; text,
// fragmented and empty binary messages are refused too.
func TestWSInRefuses(t *testing.T) {
	for name, tc := range map[string]struct {
		client bool
		b      []byte
	}{
		"unmasked to a server": {false, []byte{0x82, 0x01, 0x00}},
		"masked to a client":   {true, []byte{0x82, 0x81, 1, 2, 3, 4, 0x01}},
		"text":                 {true, []byte{0x81, 0x01, 0x00}},
		"fragment":             {true, []byte{0x02, 0x01, 0x00}},
		"continuation":         {true, []byte{0x80, 0x01, 0x00}},
		"no flags byte":        {true, []byte{0x82, 0x00}},
	} {
		in := &wsIn{client: tc.client}
		_, _, _, err := in.feed(make([]byte, 0, 64), tc.b)
		assert.ErrorIs(t, err, zmtp.ErrWSFrame, name)
	}
}

// Bare ZWS2.0: the peer's first message, its routing id, reaches the
// engine as a READY; ours leaves as our routing id, whatever our READY
// said, and then frames flow as usual.
func TestWSCodecBare(t *testing.T) {
	in := &wsIn{client: true, bare: true, bareAs: zmtp.Dealer}
	z, n, _, err := in.feed(make([]byte, 0, wsReadyRoom), []byte("\x82\x03\x00id\x82\x03\x00hi"))
	require.NoError(t, err)
	require.Equal(t, 10, n)
	ready := zmtp.AppendReady(nil, zmtp.Dealer, []byte("id"))
	assert.Equal(t, append(ready, 0, 2, 'h', 'i'), z)

	_, _, _, err = (&wsIn{client: true, bare: true}).feed(make([]byte, 0, wsReadyRoom), []byte("\x82\x02\x01x"))
	assert.ErrorIs(t, err, zmtp.ErrWSFrame, "a routing id with MORE")

	out := newWSOut(false, [32]byte{})
	out.bare, out.id = true, []byte("me")
	src := zmtp.AppendGreeting(nil, "NULL", false)
	src = zmtp.AppendReady(src, zmtp.Router, nil)
	src = append(src, 0, 2, 'h', 'i')
	ws, used, _ := out.feed(make([]byte, 0, 1024), src)
	require.Equal(t, len(src), used)
	assert.Equal(t, []byte("\x82\x03\x00me\x82\x03\x00hi"), ws)
	assert.Equal(t, zmtp.Req, bareType(zmtp.Rep))
	assert.Equal(t, zmtp.Client, bareType(zmtp.Server))
}

// The steady path allocates nothing either way.
func TestWSCodecAllocs(t *testing.T) {
	frame := append(zmtp.AppendFrameHeader(nil, 0, 1000), bytes.Repeat([]byte{7}, 1000)...)
	out := newWSOut(true, [32]byte{})
	in := &wsIn{client: false}
	out.greeting = 0
	wsBuf := make([]byte, 0, 4096)
	zBuf := make([]byte, 0, 4096)
	allocs := testing.AllocsPerRun(1000, func() {
		ws, _, _ := out.feed(wsBuf, frame)
		z, _, _, err := in.feed(zBuf, ws)
		if err != nil || len(z) != len(frame) {
			t.Fatalf("round trip: %d bytes, %v", len(z), err)
		}
	})
	assert.Zero(t, allocs)
}

// FuzzWSInbound: whatever a peer sends, the engine gets a well-formed
// ZMTP stream (each header's size matches the body bytes that follow),
// whether the bytes come at once or split.
func FuzzWSInbound(f *testing.F) {
	src, _ := zmtpStream()
	ws, _, _ := newWSOut(true, [32]byte{}).feed(make([]byte, 0, 1<<20), src)
	f.Add(ws[:200], uint16(7), false)
	f.Add([]byte{0x82, 0x01, 0x00, 0x89, 0x00, 0x82, 0x7F, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}, uint16(3), true)
	f.Fuzz(func(t *testing.T, b []byte, split uint16, client bool) {
		bare := split&0x8000 != 0 // as after a bare ZWS2.0 upgrade
		run := func(parts ...[]byte) ([]byte, error) {
			in := &wsIn{client: client, bare: bare, bareAs: zmtp.Dealer}
			var z []byte
			for _, p := range parts {
				for len(p) > 0 {
					dst, n, _, err := in.feed(make([]byte, 0, wsReadyRoom), p)
					z = append(z, dst...)
					if err != nil {
						return z, err
					}
					p = p[n:]
				}
			}
			return z, nil
		}
		whole, errWhole := run(b)
		k := int(split) % (len(b) + 1)
		parts, errParts := run(b[:k], b[k:])
		if !bytes.Equal(whole, parts) || (errWhole == nil) != (errParts == nil) {
			t.Fatalf("split at %d changes the output: %x, %v vs %x, %v", k, whole, errWhole, parts, errParts)
		}
		for z := whole; len(z) > 0; {
			h := z[0]
			if h&^(zmtp.FlagMore|zmtp.FlagLong|zmtp.FlagCommand) != 0 {
				t.Fatalf("flags %#x", h)
			}
			hl, size := 2, 0
			if len(z) < 2 {
				t.Fatalf("cut header %x", z)
			}
			size = int(z[1])
			if h&zmtp.FlagLong != 0 {
				if len(z) < 9 {
					return // a long header of a frame still arriving
				}
				hl, size = 9, int(uint64(z[1])<<56|uint64(z[2])<<48|uint64(z[3])<<40|uint64(z[4])<<32|uint64(z[5])<<24|uint64(z[6])<<16|uint64(z[7])<<8|uint64(z[8]))
			}
			if size < 0 || len(z)-hl < size {
				return // the last frame's body is still arriving
			}
			z = z[hl+size:]
		}
	})
}
