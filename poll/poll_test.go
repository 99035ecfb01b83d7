package poll

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTokenRoundTrip(t *testing.T) {
	cases := []struct{ slot, gen uint32 }{
		{0, 0}, {1, 0}, {0, 1}, {0xdeadbeef, 0xcafef00d}, {^uint32(0), ^uint32(0)},
	}
	for _, c := range cases {
		tok := MakeToken(c.slot, c.gen)
		assert.Equal(t, c.slot, tok.Slot())
		assert.Equal(t, c.gen, tok.Gen())
	}
	assert.NotEqual(t, MakeToken(7, 1), MakeToken(7, 2), "generation must distinguish reused slots")
}

func TestEventsString(t *testing.T) {
	cases := map[Events]string{
		0:                            "0",
		Readable:                     "Readable",
		Readable | Writable:          "Readable|Writable",
		Readable | Writable | Hangup: "Readable|Writable|Hangup",
		Hangup | 1<<7:                "Hangup|0x80",
	}
	for ev, want := range cases {
		assert.Equal(t, want, ev.String())
	}
}

func TestErrUnsupportedMatchesStdlib(t *testing.T) {
	assert.True(t, errors.Is(ErrUnsupported, errors.ErrUnsupported))
}
