package zmtp

import (
	"bytes"
	"errors"
	"testing"
)

// goldenFrames are encoded frames and frame streams used as fuzz seeds.
func goldenFrames() [][]byte {
	return [][]byte{
		goldenReadyDealer, goldenReadySub, goldenError400, goldenPing,
		append(bytes.Clone(goldenHeader256), make([]byte, 256)...),
		goldenEmptyFrame, goldenSubscribe, goldenCancel, goldenSubscribe30,
		goldenJoin,
		encodeFrames(testFrames(boundarySizes...)),
		unhex(`01 00 00 05 "hello"`),
		unhex("03 0000000000000001 41"),
		unhex("05 00"),
		unhex("02 8000000000000000"),
	}
}

func FuzzGreeting(f *testing.F) {
	f.Add(goldenGreetingNull)
	f.Add(AppendGreeting(nil, "NULL", false))
	f.Add(AppendGreeting(nil, "CURVE", true))
	f.Add(greetingWith(majorPos, 4))
	f.Add(greetingWith(minorPos, 0))
	f.Add(unhex("ff 0000000000000001 7f 01 05"))
	f.Add([]byte{0x05, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		sigErr := CheckSignature(b)
		g, err := ParseGreeting(b)
		if err != nil {
			return
		}
		// A greeting that parses never fails the early check.
		if sigErr != nil {
			t.Fatalf("CheckSignature %v on a valid greeting", sigErr)
		}
		for i := range signatureBytes + 2 {
			if err := CheckSignature(b[:i]); err != nil {
				t.Fatalf("CheckSignature(b[:%d]) = %v", i, err)
			}
		}
		if g.Major < VersionMajor || g.Mechanism == "" || len(g.Mechanism) > mechanismLen {
			t.Fatalf("bad greeting accepted: %+v", g)
		}
		again, err := ParseGreeting(AppendGreeting(nil, g.Mechanism, g.AsServer))
		if err != nil || again.Mechanism != g.Mechanism || again.AsServer != g.AsServer {
			t.Fatalf("re-encoded %+v parses as %+v, %v", g, again, err)
		}
	})
}

// fuzzLimit bounds body allocations in FuzzDecoder.
const fuzzLimit = 1 << 16

func FuzzDecoder(f *testing.F) {
	for _, seed := range goldenFrames() {
		f.Add(seed, uint16(len(seed)/2), uint32(fuzzLimit))
		f.Add(seed, uint16(1), uint32(255))
	}
	f.Fuzz(func(t *testing.T, data []byte, split uint16, limit uint32) {
		maxSize := int64(limit % (fuzzLimit + 1))
		at := int(split) % (len(data) + 1)

		whole := newCollector(maxSize)
		wholeErr := whole.feed(data)
		parts := newCollector(maxSize)
		parts.piece = int(split % 17) // bodies in pieces, too
		parts.fast = split&1 == 0     // and the fast path decodes alike
		parts.direct = split&2 == 0   // and so do bodies read into BodySpace
		partsErr := parts.feed(data[:at])
		if partsErr == nil {
			partsErr = parts.feed(data[at:])
		}
		if (wholeErr == nil) != (partsErr == nil) {
			t.Fatalf("split at %d changes the error: %v vs %v", at, wholeErr, partsErr)
		}
		if !errors.Is(wholeErr, ErrFrameTooLarge) && !errors.Is(wholeErr, ErrBadFlags) && wholeErr != nil {
			t.Fatalf("unexpected error %v", wholeErr)
		}
		checkFrames(t, whole.frames, parts.frames, maxSize)
		if wholeErr == nil && whole.d.AtFrameBoundary() {
			checkRoundTrip(t, data, whole.frames, maxSize)
		}
	})
}

// checkFrames compares the frames of the two decodes and checks the limit.
func checkFrames(t *testing.T, a, b []frame, maxSize int64) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("split changes the frame count: %d vs %d", len(a), len(b))
	}
	for i := range a {
		if a[i].h != b[i].h || !bytes.Equal(a[i].body, b[i].body) {
			t.Fatalf("frame %d differs after split", i)
		}
		if a[i].h.Size > uint64(maxSize) || a[i].h.Size != uint64(len(a[i].body)) {
			t.Fatalf("frame %d: size %d over limit %d", i, a[i].h.Size, maxSize)
		}
		if a[i].h.Command() && a[i].h.More() {
			t.Fatalf("frame %d: COMMAND with MORE accepted", i)
		}
	}
}

// checkRoundTrip re-encodes a fully decoded stream: the result decodes to
// the same frames, and equals the input when the input was canonical.
func checkRoundTrip(t *testing.T, data []byte, frames []frame, maxSize int64) {
	t.Helper()
	reencoded := encodeFrames(frames)
	isCanonical := true
	for _, f := range frames {
		long := f.h.Flags&FlagLong != 0
		reserved := f.h.Flags&^(FlagMore|FlagLong|FlagCommand) != 0
		isCanonical = isCanonical && !reserved && long == (f.h.Size > maxShortSize)
	}
	if isCanonical && !bytes.Equal(reencoded, data) {
		t.Fatalf("canonical stream re-encodes differently:\n%x\n%x", data, reencoded)
	}
	c := newCollector(maxSize)
	if err := c.feed(reencoded); err != nil {
		t.Fatalf("re-encoded stream fails: %v", err)
	}
	if len(c.frames) != len(frames) {
		t.Fatalf("re-encoded stream has %d frames, want %d", len(c.frames), len(frames))
	}
	for i, f := range c.frames {
		if f.h.Flags&^FlagLong != frames[i].h.Flags&^FlagLong || !bytes.Equal(f.body, frames[i].body) {
			t.Fatalf("re-encoded frame %d differs", i)
		}
	}
}

func FuzzReady(f *testing.F) {
	for _, seed := range [][]byte{goldenReadyDealer, goldenReadySub} {
		f.Add(seed[2+6:]) // skip header and "\x05READY"
	}
	f.Add(props("socket-type", "REQ", "identity", "ab", "X-App", "v"))
	f.Add(props("Socket-Type", "dealer"))
	f.Add(props("Socket-Type", "REQ", "Identity", "\x00ab"))
	f.Add(unhex(`01 "X" ffffffff`))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, readyErr := ParseReady(data)
		var names, values [][]byte
		walkErr := WalkProperties(data, func(name, value []byte) error {
			names, values = append(names, name), append(values, value)
			return nil
		})
		exerciseCommands(data)
		if walkErr != nil {
			if readyErr == nil {
				t.Fatalf("ParseReady accepts what WalkProperties rejects: %v", walkErr)
			}
			return
		}
		var reencoded []byte
		for i := range names {
			reencoded = AppendProperty(reencoded, string(names[i]), values[i])
		}
		if !bytes.Equal(reencoded, data) {
			t.Fatalf("properties re-encode differently")
		}
		again, err := ParseReady(reencoded)
		if (err == nil) != (readyErr == nil) {
			t.Fatalf("re-encoded READY: %v, original: %v", err, readyErr)
		}
		if err == nil && (again.Type != info.Type || !bytes.Equal(again.Identity, info.Identity)) {
			t.Fatalf("re-encoded READY differs: %+v vs %+v", again, info)
		}
	})
}

// exerciseCommands feeds fuzz input to every other parser, which must not
// panic.
func exerciseCommands(data []byte) {
	_, _, _ = ParseCommand(data)
	_, _ = ParseError(data)
	_, _, _ = ParsePing(data)
	_, _, _ = ParseSubscription(true, data)
	_, _, _ = ParseSubscription(false, data)
	body := append([]byte("\x05READY"), data...)
	_, _, _ = nullOf(Dealer, nil).Command(nil, body)
	_, _, _ = nullOf(Sub, nil).Command(nil, data)
}
