package zmtp

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unhex decodes a hex string, ignoring spaces; a quoted run such as
// "READY" stands for its ASCII bytes.
func unhex(s string) []byte {
	var out []byte
	for i, part := range strings.Split(s, `"`) {
		if i%2 == 1 {
			out = append(out, part...)
			continue
		}
		b, err := hex.DecodeString(strings.ReplaceAll(part, " ", ""))
		if err != nil {
			panic(err)
		}
		out = append(out, b...)
	}
	return out
}

// Golden vectors from zmtp.md.
var (
	goldenGreetingNull = unhex("ff 0000000000000000 7f 03 01 4e554c4c" +
		strings.Repeat("00", 16) + "00" + strings.Repeat("00", 31))
	goldenReadyDealer = unhex(`04 29 05 "READY" 0b "Socket-Type" 00000006 "DEALER" 08 "Identity" 00000000`)
	goldenReadySub    = unhex(`04 19 05 "READY" 0b "Socket-Type" 00000003 "SUB"`)
	goldenError400    = unhex(`04 0a 05 "ERROR" 03 "400"`)
	goldenPing        = unhex(`04 07 04 "PING" 00 00`)
	goldenHeader256   = unhex(`02 0000000000000100`)
	goldenEmptyFrame  = unhex(`00 00`)
	goldenSubscribe   = unhex(`04 0b 09 "SUBSCRIBE" 41`)
	goldenCancel      = unhex(`04 08 06 "CANCEL" 41`)
	goldenSubscribe30 = unhex(`00 02 01 41`)
	goldenJoin        = unhex(`04 06 04 "JOIN" 67`)
)

func TestGoldenEncodings(t *testing.T) {
	tests := []struct {
		name string
		got  []byte
		want []byte
	}{
		{"READY DEALER", AppendReady(nil, Dealer, nil), goldenReadyDealer},
		{"READY SUB", AppendReady(nil, Sub, []byte("ignored")), goldenReadySub},
		{"ERROR 400", AppendError(nil, "400"), goldenError400},
		{"PING", AppendPing(nil, 0, nil), goldenPing},
		{"header 256", AppendFrameHeader(nil, 0, 256), goldenHeader256},
		{"empty frame", AppendFrameHeader(nil, 0, 0), goldenEmptyFrame},
		{"SUBSCRIBE", AppendCommand(nil, CmdSubscribe, []byte("A")), goldenSubscribe},
		{"SUBSCRIBE 3.1", AppendSubscription(nil, true, []byte("A"), 1), goldenSubscribe},
		{"CANCEL 3.1", AppendSubscription(nil, false, []byte("A"), 1), goldenCancel},
		{"SUBSCRIBE 3.0", AppendSubscription(nil, true, []byte("A"), 0), goldenSubscribe30},
		{"JOIN", AppendCommand(nil, CmdJoin, []byte("g")), goldenJoin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, hex.EncodeToString(tt.want), hex.EncodeToString(tt.got))
		})
	}
	assert.Len(t, goldenReadyDealer, 43)
	assert.Len(t, goldenReadySub, 27)
}

func TestGoldenGreeting(t *testing.T) {
	got := AppendGreeting(nil, "NULL", false)
	require.Len(t, got, GreetingSize)
	// Everything but the padding matches the RFC vector byte for byte.
	assert.Equal(t, goldenGreetingNull[:1], got[:1])
	assert.Equal(t, goldenGreetingNull[9:], got[9:])
	// The padding is libzmq's: (identity length + 1) as a u64.
	assert.Equal(t, unhex("0000000000000001"), got[1:9])

	g, err := ParseGreeting(goldenGreetingNull)
	require.NoError(t, err)
	assert.Equal(t, Greeting{Major: 3, Minor: 1, Mechanism: "NULL"}, g)
}

// frame is a decoded frame.
type frame struct {
	h    Header
	body []byte
}

// collector drives a Decoder the way an engine does, allocating each body
// after its header.
type collector struct {
	d      *Decoder
	body   []byte
	frames []frame
	piece  int  // > 0: bodies are given in pieces of this size
	got    int  // body bytes given before the current piece
	last   int  // length of the current piece
	fast   bool // frames held whole go through Decoder.Whole first
	direct bool // body bytes are written into BodySpace, as a read(2) would
}

// give hands the decoder the next piece of the body, or all the rest.
func (c *collector) give() {
	rest := c.body[c.got:]
	if c.piece > 0 && len(rest) > c.piece {
		c.last = c.piece
		c.d.SetBodyPart(rest[:c.piece])
		return
	}
	c.d.SetBody(rest)
}

func newCollector(maxMsgSize int64) *collector {
	return &collector{d: NewDecoder(maxMsgSize)}
}

// feed decodes all of chunk.
func (c *collector) feed(chunk []byte) error {
	for {
		if space := c.d.BodySpace(); c.direct && len(space) > 0 && len(chunk) > 0 {
			n := copy(space, chunk)
			c.d.Filled(n)
			chunk = chunk[n:]
		}
		if h, hn, ok := c.d.Whole(chunk); c.fast && ok {
			end := hn + int(h.Size)
			c.frames = append(c.frames, frame{h, append([]byte{}, chunk[hn:end]...)})
			chunk = chunk[end:]
			continue
		}
		n, h, ev, err := c.d.Decode(chunk)
		if err != nil {
			return err
		}
		chunk = chunk[n:]
		switch ev {
		case EventHeader:
			c.body, c.got = make([]byte, h.Size), 0
			c.give()
		case EventBodyPart:
			c.got += c.last
			c.give()
		case EventFrame:
			c.frames = append(c.frames, frame{h, c.body})
		case EventNone:
			return nil
		}
	}
}

func TestGoldenDecode(t *testing.T) {
	c := newCollector(-1)
	require.NoError(t, c.feed(goldenReadyDealer))
	require.Len(t, c.frames, 1)
	assert.True(t, c.frames[0].h.Command())
	assert.True(t, c.d.AtFrameBoundary())
	name, data, err := ParseCommand(c.frames[0].body)
	require.NoError(t, err)
	assert.Equal(t, CmdReady, string(name))
	info, err := ParseReady(data)
	require.NoError(t, err)
	assert.Equal(t, Dealer, info.Type)
	assert.NotNil(t, info.Identity)
	assert.Empty(t, info.Identity)
}
