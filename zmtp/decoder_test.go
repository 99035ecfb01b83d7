package zmtp

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// encodeFrames encodes frames canonically.
func encodeFrames(frames []frame) []byte {
	var out []byte
	for _, f := range frames {
		out = AppendFrameHeader(out, f.h.Flags, len(f.body))
		out = append(out, f.body...)
	}
	return out
}

// testFrames covers every flag combination at the given sizes.
func testFrames(sizes ...int) []frame {
	fill := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i * 7)
		}
		return b
	}
	var frames []frame
	for _, size := range sizes {
		for _, flags := range []byte{0, FlagMore, FlagCommand} {
			frames = append(frames, frame{Header{Flags: flags}, fill(size)})
		}
	}
	return frames
}

// boundarySizes are the sizes where the header form changes.
var boundarySizes = []int{0, 1, 255, 256}

// canonical returns the header the decoder reports for a canonical frame.
func canonical(f frame) frame {
	f.h.Size = uint64(len(f.body))
	if len(f.body) > maxShortSize {
		f.h.Flags |= FlagLong
	}
	return f
}

func canonicalAll(frames []frame) []frame {
	out := make([]frame, len(frames))
	for i, f := range frames {
		out[i] = canonical(f)
	}
	return out
}

// checkSplit decodes stream in two pieces split at i.
func checkSplit(t *testing.T, stream []byte, i int, want []frame) {
	t.Helper()
	c := newCollector(-1)
	require.NoError(t, c.feed(stream[:i]))
	require.NoError(t, c.feed(stream[i:]))
	require.Equal(t, want, c.frames, "split at %d", i)
	require.True(t, c.d.AtFrameBoundary())
}

func TestDecoderEveryBoundary(t *testing.T) {
	frames := testFrames(boundarySizes...)
	stream := encodeFrames(frames)
	want := canonicalAll(frames)
	for i := 0; i <= len(stream); i++ {
		checkSplit(t, stream, i, want)
	}
}

func TestDecoderLargeFrameSplits(t *testing.T) {
	frames := testFrames(65536)
	stream := encodeFrames(frames)
	want := canonicalAll(frames)
	// Every byte around each frame edge, and a stride through the bodies.
	var edges []int
	pos := 0
	for _, f := range frames {
		edges = append(edges, pos)
		pos += FrameHeaderLen(len(f.body)) + len(f.body)
	}
	edges = append(edges, pos)
	for _, e := range edges {
		for i := max(0, e-12); i <= min(len(stream), e+12); i++ {
			checkSplit(t, stream, i, want)
		}
	}
	for i := 0; i < len(stream); i += 4099 {
		checkSplit(t, stream, i, want)
	}
}

func TestDecoderByteAtATime(t *testing.T) {
	frames := testFrames(boundarySizes...)
	stream := encodeFrames(frames)
	c := newCollector(-1)
	for i := range stream {
		require.NoError(t, c.feed(stream[i:i+1]))
	}
	assert.Equal(t, canonicalAll(frames), c.frames)
	assert.True(t, c.d.AtFrameBoundary())
}

func TestDecoderRandomChunks(t *testing.T) {
	frames := testFrames(0, 1, 255, 256, 65536)
	stream := encodeFrames(frames)
	r := rand.New(rand.NewPCG(3, 4))
	for range 50 {
		c := newCollector(1 << 20)
		for rest := stream; len(rest) > 0; {
			n := min(len(rest), 1+r.IntN(600))
			require.NoError(t, c.feed(rest[:n]))
			rest = rest[n:]
		}
		require.Len(t, c.frames, len(frames))
		assert.Equal(t, stream, encodeFrames(c.frames))
	}
}

func TestDecoderHeaders(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want Header
	}{
		{"empty", goldenEmptyFrame, Header{0, 0}},
		{"short 255", unhex("01 ff"), Header{FlagMore, 255}},
		{"long 256", goldenHeader256, Header{FlagLong, 256}},
		{"long form, small size", unhex("03 0000000000000005"), Header{FlagMore | FlagLong, 5}},
		{"long command", unhex("06 0000000000010000"), Header{FlagCommand | FlagLong, 65536}},
		{"reserved bits tolerated", unhex("f9 03"), Header{0xf9, 3}},
		{"max limit exactly", unhex("00 64"), Header{0, 100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDecoder(100000)
			n, h, ev, err := d.Decode(append(tt.in, 0xEE))
			require.NoError(t, err)
			assert.Equal(t, len(tt.in), n)
			assert.Equal(t, EventHeader, ev)
			assert.Equal(t, tt.want, h)
			assert.Equal(t, tt.want.Flags&FlagMore != 0, h.More())
			assert.Equal(t, tt.want.Flags&FlagCommand != 0, h.Command())
		})
	}
}

func TestDecoderErrors(t *testing.T) {
	long := func(size uint64) []byte {
		return binary.BigEndian.AppendUint64([]byte{FlagLong}, size)
	}
	tests := []struct {
		name string
		max  int64
		in   []byte
		want error
	}{
		{"over max short", 100, unhex("00 65"), ErrFrameTooLarge},
		{"over max long", 100, long(101), ErrFrameTooLarge},
		{"max 0", 0, unhex("00 01"), ErrFrameTooLarge},
		{"2^63 unlimited", -1, long(1 << 63), ErrFrameTooLarge},
		{"2^64-1 unlimited", -1, long(1<<64 - 1), ErrFrameTooLarge},
		{"2^63 limited", 1 << 40, long(1 << 63), ErrFrameTooLarge},
		{"huge under no limit but over max", 1 << 30, long(1 << 62), ErrFrameTooLarge},
		{"command with more", -1, unhex("05 00"), ErrBadFlags},
		{"long command with more", -1, unhex("07"), ErrBadFlags},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDecoder(tt.max)
			_, _, ev, err := d.Decode(tt.in)
			assert.ErrorIs(t, err, tt.want)
			assert.Equal(t, EventNone, ev)
			// The error is sticky until Reset.
			_, _, _, err2 := d.Decode(goldenEmptyFrame)
			assert.ErrorIs(t, err2, tt.want)
			d.Reset()
			_, h, ev, err := d.Decode(goldenEmptyFrame)
			require.NoError(t, err)
			assert.Equal(t, EventHeader, ev)
			assert.Equal(t, Header{}, h)
		})
	}
}

func TestDecoderOversizeSplitHeader(t *testing.T) {
	// The limit check fires once the size is known, whatever the split,
	// so a peer cannot make us allocate by dribbling the size.
	in := binary.BigEndian.AppendUint64([]byte{FlagLong}, 1<<40)
	for i := range in {
		d := NewDecoder(1 << 20)
		n, _, ev, err := d.Decode(in[:i])
		require.NoError(t, err)
		require.Equal(t, i, n)
		require.Equal(t, EventNone, ev)
		_, _, _, err = d.Decode(in[i:])
		require.ErrorIs(t, err, ErrFrameTooLarge)
	}
}

func TestDecoderEmptyFrame(t *testing.T) {
	d := NewDecoder(-1)
	n, h, ev, err := d.Decode(goldenEmptyFrame)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	assert.Equal(t, EventHeader, ev)
	d.SetBody(nil)
	n, h2, ev, err := d.Decode(nil)
	require.NoError(t, err)
	assert.Equal(t, 0, n)
	assert.Equal(t, EventFrame, ev)
	assert.Equal(t, h, h2)
	assert.True(t, d.AtFrameBoundary())
}

func TestDecoderBodySizeMisuse(t *testing.T) {
	d := NewDecoder(-1)
	_, _, ev, err := d.Decode(unhex("00 03"))
	require.NoError(t, err)
	require.Equal(t, EventHeader, ev)
	_, _, _, err = d.Decode([]byte("abc"))
	assert.ErrorIs(t, err, ErrBodySize, "no SetBody")
	d.SetBody(make([]byte, 2))
	_, _, _, err = d.Decode([]byte("abc"))
	assert.ErrorIs(t, err, ErrBodySize, "wrong size")
	body := make([]byte, 3)
	d.SetBody(body)
	n, _, ev, err := d.Decode([]byte("abcdef"))
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	assert.Equal(t, EventFrame, ev)
	assert.Equal(t, "abc", string(body))
}

func TestDecoderAtFrameBoundary(t *testing.T) {
	d := NewDecoder(-1)
	assert.True(t, d.AtFrameBoundary())
	_, _, _, err := d.Decode([]byte{0})
	require.NoError(t, err)
	assert.False(t, d.AtFrameBoundary(), "flags read")
	_, _, _, err = d.Decode([]byte{1})
	require.NoError(t, err)
	assert.False(t, d.AtFrameBoundary(), "awaiting body")
	d.SetBody(make([]byte, 1))
	assert.False(t, d.AtFrameBoundary(), "body pending")
	_, _, ev, err := d.Decode([]byte{9})
	require.NoError(t, err)
	assert.Equal(t, EventFrame, ev)
	assert.True(t, d.AtFrameBoundary())
}

func TestFrameHeaderEncoding(t *testing.T) {
	tests := []struct {
		flags byte
		size  int64 // a case an int cannot hold is skipped (32-bit)
		want  []byte
	}{
		{0, 0, unhex("00 00")},
		{FlagMore, 255, unhex("01 ff")},
		{0, 256, unhex("02 0000000000000100")},
		{FlagCommand, 65536, unhex("06 0000000000010000")},
		{FlagLong, 5, unhex("00 05")}, // FlagLong from the caller is cleared
		{FlagLong | FlagMore, 1 << 32, unhex("03 0000000100000000")},
	}
	for _, tt := range tests {
		if tt.size > math.MaxInt {
			continue
		}
		size := int(tt.size)
		got := AppendFrameHeader(nil, tt.flags, size)
		assert.Equal(t, tt.want, got, "flags %#x size %d", tt.flags, size)
		assert.Len(t, got, FrameHeaderLen(size))
	}
}

func TestRoundTripProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 200 {
		var frames []frame
		for range 1 + r.IntN(8) {
			size := r.IntN(600)
			body := make([]byte, size)
			for i := range body {
				body[i] = byte(r.Uint32())
			}
			flags := []byte{0, FlagMore, FlagCommand}[r.IntN(3)]
			frames = append(frames, frame{Header{Flags: flags}, body})
		}
		stream := encodeFrames(frames)
		c := newCollector(600)
		split := r.IntN(len(stream) + 1)
		require.NoError(t, c.feed(stream[:split]))
		require.NoError(t, c.feed(stream[split:]))
		require.Len(t, c.frames, len(frames))
		for i, f := range c.frames {
			assert.Equal(t, canonical(frames[i]), f)
		}
		assert.True(t, bytes.Equal(stream, encodeFrames(c.frames)))
	}
}

// A body given in pieces decodes like one given whole, wherever the input
// splits, and the frame after it is intact.
func TestDecoderBodyParts(t *testing.T) {
	body := make([]byte, 1000)
	for i := range body {
		body[i] = byte(i)
	}
	in := append(AppendFrameHeader(nil, FlagMore, len(body)), body...)
	in = append(AppendFrameHeader(in, 0, 4), "next"...)
	for _, piece := range []int{1, 7, 333, 999, 1000} {
		for split := 0; split <= len(in); split += 97 {
			d := NewDecoder(-1)
			var frames [][]byte
			var got, buf []byte
			var parts int
			give := func(size uint64) {
				if left := int(size) - len(got); left <= piece {
					buf = make([]byte, left)
					d.SetBody(buf)
				} else {
					buf = make([]byte, piece)
					d.SetBodyPart(buf)
				}
			}
			for _, p := range [][]byte{in[:split], in[split:]} {
				for len(p) > 0 {
					n, h, ev, err := d.Decode(p)
					require.NoError(t, err)
					p = p[n:]
					switch ev {
					case EventHeader:
						got = nil
						give(h.Size)
					case EventBodyPart:
						parts++
						got = append(got, buf...)
						give(h.Size)
					case EventFrame:
						frames = append(frames, append(got, buf...))
					}
				}
			}
			require.Len(t, frames, 2, "piece %d split %d", piece, split)
			assert.Equal(t, body, frames[0])
			assert.Equal(t, "next", string(frames[1]))
			assert.Equal(t, (len(body)-1)/piece+3/piece, parts, "one EventBodyPart per full piece before the last")
			assert.True(t, d.AtFrameBoundary())
		}
	}
}

// SetBodyPart refuses an empty piece of a non-empty body and a piece
// longer than what is left; SetBody then wants exactly the rest.
func TestDecoderBodyPartMisuse(t *testing.T) {
	d := NewDecoder(-1)
	_, _, ev, err := d.Decode(unhex("00 05"))
	require.NoError(t, err)
	require.Equal(t, EventHeader, ev)
	d.SetBodyPart(nil)
	_, _, _, err = d.Decode([]byte("a"))
	assert.ErrorIs(t, err, ErrBodySize, "empty piece")
	d.SetBodyPart(make([]byte, 6))
	_, _, _, err = d.Decode([]byte("a"))
	assert.ErrorIs(t, err, ErrBodySize, "piece past the body")
	first := make([]byte, 2)
	d.SetBodyPart(first)
	n, _, ev, err := d.Decode([]byte("abcdefg"))
	require.NoError(t, err)
	require.Equal(t, EventBodyPart, ev)
	require.Equal(t, 2, n)
	d.SetBody(make([]byte, 5))
	_, _, _, err = d.Decode([]byte("cde"))
	assert.ErrorIs(t, err, ErrBodySize, "SetBody wants the rest, not the whole")
	rest := make([]byte, 3)
	d.SetBody(rest)
	n, _, ev, err = d.Decode([]byte("cdefg"))
	require.NoError(t, err)
	assert.Equal(t, EventFrame, ev)
	assert.Equal(t, 3, n)
	assert.Equal(t, "ab", string(first))
	assert.Equal(t, "cde", string(rest))
}

// Whole takes only a frame that has wholly arrived and that Decode would
// accept, and leaves the decoder as it was.
func TestWhole(t *testing.T) {
	long := AppendFrameHeader(nil, 0, 300)
	long = append(long, make([]byte, 300)...)
	forcedLong := append([]byte{FlagLong | FlagMore, 0, 0, 0, 0, 0, 0, 0, 3}, "abc"...)
	for _, tc := range []struct {
		name     string
		in       []byte
		limit    int64
		ok       bool
		hn, size int
	}{
		{"short", []byte{0, 3, 'a', 'b', 'c', 9}, -1, true, 2, 3},
		{"empty body", []byte{FlagMore, 0}, -1, true, 2, 0},
		{"long", long, -1, true, 9, 300},
		{"long form, small size", forcedLong, -1, true, 9, 3},
		{"body cut short", []byte{0, 3, 'a', 'b'}, -1, false, 0, 0},
		{"header cut short", long[:5], -1, false, 0, 0},
		{"one byte", []byte{0}, -1, false, 0, 0},
		{"beyond the limit", []byte{0, 3, 'a', 'b', 'c'}, 2, false, 0, 0},
		{"command with more", []byte{FlagCommand | FlagMore, 1, 'x'}, -1, false, 0, 0},
		{"huge claim", []byte{FlagLong, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1}, -1, false, 0, 0},
	} {
		d := NewDecoder(tc.limit)
		h, hn, ok := d.Whole(tc.in)
		require.Equal(t, tc.ok, ok, tc.name)
		if ok {
			assert.Equal(t, tc.hn, hn, tc.name)
			assert.EqualValues(t, tc.size, h.Size, tc.name)
			assert.Equal(t, tc.in[0], h.Flags, tc.name)
		}
		assert.True(t, d.AtFrameBoundary(), tc.name)
	}
	// Mid-frame, Whole leaves everything to Decode.
	d := NewDecoder(-1)
	_, _, ev, err := d.Decode([]byte{0, 3})
	require.NoError(t, err)
	require.Equal(t, EventHeader, ev)
	_, _, ok := d.Whole([]byte{0, 1, 'z'})
	assert.False(t, ok)
}

// A body read straight into BodySpace completes the frame as if its bytes
// had gone through Decode; there is no space outside a body.
func TestBodySpace(t *testing.T) {
	d := NewDecoder(-1)
	assert.Nil(t, d.BodySpace(), "at a frame boundary")
	n, h, ev, err := d.Decode([]byte{0, 5})
	require.NoError(t, err)
	require.Equal(t, EventHeader, ev)
	require.Equal(t, 2, n)
	assert.Nil(t, d.BodySpace(), "before SetBody")
	body := make([]byte, h.Size)
	d.SetBody(body)
	space := d.BodySpace()
	require.Len(t, space, 5)
	copy(space, "he")
	d.Filled(2)
	d.Filled(4) // more than is left: ignored
	require.Len(t, d.BodySpace(), 3)
	_, _, ev, err = d.Decode(nil)
	require.NoError(t, err)
	assert.Equal(t, EventNone, ev, "3 bytes still to come")
	copy(d.BodySpace(), "llo")
	d.Filled(3)
	n, h, ev, err = d.Decode(nil)
	require.NoError(t, err)
	assert.Equal(t, EventFrame, ev)
	assert.Zero(t, n)
	assert.EqualValues(t, 5, h.Size)
	assert.Equal(t, "hello", string(body))
	assert.Nil(t, d.BodySpace(), "the frame is done")
	assert.True(t, d.AtFrameBoundary())
}
