package zmtp

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// greetingWith returns a valid NULL greeting with one byte changed.
func greetingWith(pos int, b byte) []byte {
	g := AppendGreeting(nil, "NULL", false)
	g[pos] = b
	return g
}

func TestParseGreetingAccepts(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want Greeting
	}{
		{"ours", AppendGreeting(nil, "NULL", false), Greeting{3, 1, "NULL", false}},
		{"3.0", greetingWith(minorPos, 0), Greeting{3, 0, "NULL", false}},
		{"3.7", greetingWith(minorPos, 7), Greeting{3, 7, "NULL", false}},
		{"4.0", append(greetingWith(majorPos, 4)[:minorPos:minorPos], greetingWith(minorPos, 0)[minorPos:]...), Greeting{4, 0, "NULL", false}},
		{"server PLAIN", AppendGreeting(nil, "PLAIN", true), Greeting{3, 1, "PLAIN", true}},
		{"as-server 0 for CURVE", AppendGreeting(nil, "CURVE", false), Greeting{3, 1, "CURVE", false}},
		{"as-server 7", greetingWith(asServerPos, 7), Greeting{3, 1, "NULL", true}},
		{"odd byte 9", greetingWith(sigLastPos, 0x01), Greeting{3, 1, "NULL", false}},
		{"filler ignored", greetingWith(63, 0xAA), Greeting{3, 1, "NULL", false}},
		{"20-char name", AppendGreeting(nil, "ABCDEFGHIJKLMNOPQRST", false), Greeting{3, 1, "ABCDEFGHIJKLMNOPQRST", false}},
		{"extra bytes ignored", append(AppendGreeting(nil, "NULL", false), 1, 2, 3), Greeting{3, 1, "NULL", false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := ParseGreeting(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, g)
		})
	}
}

func TestParseGreetingRandomPadding(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 100 {
		g := AppendGreeting(nil, "NULL", false)
		for i := 1; i <= 8; i++ {
			g[i] = byte(r.Uint32())
		}
		require.NoError(t, CheckSignature(g))
		got, err := ParseGreeting(g)
		require.NoError(t, err)
		assert.Equal(t, "NULL", got.Mechanism)
	}
}

func TestParseGreetingRejects(t *testing.T) {
	mech := func(name string) []byte {
		g := AppendGreeting(nil, "", false)
		copy(g[mechanismPos:], name)
		return g
	}
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"short", AppendGreeting(nil, "NULL", false)[:63], ErrBadSignature},
		{"first byte", greetingWith(0, 0x05), ErrBadSignature},
		{"byte 9 even", greetingWith(sigLastPos, 0x7E), ErrBadSignature},
		{"2.0", greetingWith(majorPos, 1), ErrVersion},
		{"major 0", greetingWith(majorPos, 0), ErrVersion},
		{"empty name", mech(""), ErrBadMechanism},
		{"after NUL", mech("NULL\x00X"), ErrBadMechanism},
		{"space", mech("NU LL"), ErrBadMechanism},
		{"control", mech("NULL\x01"), ErrBadMechanism},
		{"high bit", mech("NULL\xff"), ErrBadMechanism},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseGreeting(tt.in)
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

func TestCheckSignature(t *testing.T) {
	ours := AppendGreeting(nil, "NULL", false)
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, nil},
		{"1 byte", ours[:1], nil},
		{"9 bytes", ours[:9], nil},
		{"10 bytes", ours[:10], nil},
		{"11 bytes", ours[:11], nil},
		{"full", ours, nil},
		{"ZMTP 1.0 short frame", []byte{0x05}, ErrBadSignature},
		{"garbage", []byte("GET / HTTP/1.1\r\n"), ErrBadSignature},
		{"ZMTP 1.0 long frame", unhex("ff 0000000000000001 00"), ErrBadSignature},
		{"ZMTP 2.0 revision", unhex("ff 0000000000000001 7f 01 05"), ErrVersion},
		{"revision 0", unhex("ff 0000000000000001 7f 00"), ErrVersion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckSignature(tt.in)
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

func TestEffectiveMinor(t *testing.T) {
	tests := []struct {
		major, minor, want byte
	}{{3, 0, 0}, {3, 1, 1}, {3, 7, 1}, {4, 0, 1}, {255, 255, 1}}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Greeting{Major: tt.major, Minor: tt.minor}.EffectiveMinor(),
			"%d.%d", tt.major, tt.minor)
	}
}

func TestAppendGreetingTruncatesMechanism(t *testing.T) {
	g := AppendGreeting([]byte{0xAB}, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", false)
	require.Len(t, g, 1+GreetingSize)
	assert.Equal(t, byte(0xAB), g[0])
	got, err := ParseGreeting(g[1:])
	require.NoError(t, err)
	assert.Equal(t, "ABCDEFGHIJKLMNOPQRST", got.Mechanism)
}
