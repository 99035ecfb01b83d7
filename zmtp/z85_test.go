package zmtp

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestZ85GoldenVector(t *testing.T) {
	src := unhex("864FD26FB559F75B")
	s, err := Z85Encode(src)
	require.NoError(t, err)
	require.Equal(t, "HelloWorld", s)
	back, err := Z85Decode("HelloWorld")
	require.NoError(t, err)
	require.Equal(t, src, back)
}

func TestZ85RoundTripsEveryByte(t *testing.T) {
	src := make([]byte, 256)
	for i := range src {
		src[i] = byte(255 - i)
	}
	s, err := Z85Encode(src)
	require.NoError(t, err)
	require.Len(t, s, 320)
	back, err := Z85Decode(s)
	require.NoError(t, err)
	require.Equal(t, src, back)
	// The extremes of a group.
	for _, g := range [][]byte{{0, 0, 0, 0}, {0xFF, 0xFF, 0xFF, 0xFF}} {
		s, err := Z85Encode(g)
		require.NoError(t, err)
		back, err := Z85Decode(s)
		require.NoError(t, err)
		require.Equal(t, g, back)
	}
}

func TestZ85RejectsWhatLibzmqRejects(t *testing.T) {
	for _, s := range []string{
		"",           // empty
		"Hello",      // fine length, checked below as valid
		"HelloWorl",  // not a multiple of 5
		"Hello Worl", // space is not in the alphabet
		"Hello\"orl", // neither is a quote
		"%nSc1",      // 85^5-1 > 2^32-1: overflows
	} {
		_, err := Z85Decode(s)
		if s == "Hello" {
			require.NoError(t, err)
			continue
		}
		require.ErrorIs(t, err, ErrZ85, "%q", s)
	}
	_, err := Z85Encode([]byte{1, 2, 3})
	require.ErrorIs(t, err, ErrZ85)
	// A failed decode leaves dst as it was.
	dst := []byte("keep")
	out, err := AppendZ85Decode(dst, "HelloWorl ")
	require.True(t, errors.Is(err, ErrZ85))
	require.Equal(t, "keep", string(out))
}

func TestZ85MaxGroupDecodes(t *testing.T) {
	// The largest 32-bit value is "%nSc0"; one more is an overflow.
	b, err := Z85Decode("%nSc0")
	require.NoError(t, err)
	require.Equal(t, []byte{0xFF, 0xFF, 0xFF, 0xFF}, b)
	_, err = Z85Decode("%nSc1")
	require.ErrorIs(t, err, ErrZ85)
}

// libzmq's test keys (zmtp.md §H 63), checked there with X25519.
var curveTestKeys = []struct{ secret, public string }{
	{"JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6", "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"},
	{"D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs", "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"},
}

func TestCurvePublicKeyFromLibzmqVectors(t *testing.T) {
	for _, v := range curveTestKeys {
		sec, err := ParseCurveKey(v.secret)
		require.NoError(t, err)
		require.Equal(t, v.secret, sec.Z85())
		require.Equal(t, v.public, CurvePublicKey(sec).Z85())
	}
}

func TestCurveKeypairIsConsistentAndFresh(t *testing.T) {
	pub, sec, err := NewCurveKeypair()
	require.NoError(t, err)
	require.Equal(t, pub, CurvePublicKey(sec))
	pub2, _, err := NewCurveKeypair()
	require.NoError(t, err)
	require.NotEqual(t, pub, pub2)
	// Raw 32-byte form parses to the same key.
	raw, err := ParseCurveKey(string(pub[:]))
	require.NoError(t, err)
	require.Equal(t, pub, raw)
}

func TestParseCurveKeyRejectsBadKeys(t *testing.T) {
	for _, s := range []string{"", "short", curveTestKeys[0].public + "x", "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf "} {
		_, err := ParseCurveKey(s)
		require.ErrorIs(t, err, ErrCurveKey, "%q", s)
	}
}
