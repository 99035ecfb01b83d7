package zmtp

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/nacl/box"
)

// Hostile input at the worst values: every length a peer sends is checked
// against what arrived, and a bad one is a sentinel error, never a panic.

func TestParseCommandHostile(t *testing.T) {
	for name, body := range map[string][]byte{
		"name length 255, 1 byte":   {0xff, 'A'},
		"name length 255, nothing":  {0xff},
		"name length 255, 254":      append([]byte{0xff}, bytes.Repeat([]byte("A"), 254)...),
		"name length 0, then bytes": {0x00, 0xff, 0xff},
	} {
		_, _, err := ParseCommand(body)
		assert.ErrorIs(t, err, ErrBadCommand, name)
	}
	name, data, err := ParseCommand([]byte{0x01, 'X'})
	require.NoError(t, err)
	assert.Equal(t, "X", string(name))
	assert.Empty(t, data)
	_, err = ParseError([]byte{0xff, 'a'})
	assert.ErrorIs(t, err, ErrBadCommand, "reason length 255, 1 byte")
}

func TestParsePlainHelloHostile(t *testing.T) {
	for name, data := range map[string][]byte{
		"username length 255, 1 byte": {0xff, 'u'},
		"password length 255, 1 byte": {0x01, 'u', 0xff, 'p'},
		"no password length":          {0x01, 'u'},
		"nothing":                     {},
		"trailing byte":               {0x00, 0x00, 0x00},
	} {
		_, _, err := ParsePlainHello(data)
		assert.ErrorIs(t, err, ErrBadCommand, name)
	}
	u, p, err := ParsePlainHello([]byte{0, 0})
	require.NoError(t, err, "empty username and password are the ZAP handler's to judge")
	assert.Empty(t, u)
	assert.Empty(t, p)
	long := bytes.Repeat([]byte("x"), 255)
	u, p, err = ParsePlainHello(append(append(append([]byte{255}, long...), 255), long...))
	require.NoError(t, err)
	assert.Equal(t, long, u)
	assert.Equal(t, long, p)
}

// curveAtInitiate runs a CURVE handshake up to the client's INITIATE,
// which it returns; the server waits for it.
func curveAtInitiate(t *testing.T) (client, server *Curve, initiate []byte) {
	client, server = curvePair(t, testServerPublic)
	hello, _, err := client.Start(nil)
	require.NoError(t, err)
	welcome, _, err := server.Command(nil, commandBody(t, hello))
	require.NoError(t, err)
	initiate, _, err = client.Command(nil, commandBody(t, welcome))
	require.NoError(t, err)
	return client, server, commandBody(t, initiate)
}

// sealInitiate builds an INITIATE as client would, with a valid cookie and
// vouch but metadata of the test's choosing.
func sealInitiate(t *testing.T, client *Curve, metadata []byte) []byte {
	var vn [16]byte
	vouchNonce := longNonce(nonceVouch, vn[:])
	var vouch [64]byte
	copy(vouch[:32], client.tPub[:])
	copy(vouch[32:], client.keys.Server[:])
	secret := key(t, testClientSecret)
	plain := append(bytes.Clone(client.keys.Public[:]), vn[:]...)
	plain = box.Seal(plain, vouch[:], &vouchNonce, (*[32]byte)(&client.peerT), (*[32]byte)(&secret))
	plain = append(plain, metadata...)
	body := append([]byte("\x08INITIATE"), client.cookie[:]...)
	return client.appendShortBox(body, nonceInitiate, plain)
}

func TestCurveHostileSizes(t *testing.T) {
	_, server, initiate := curveAtInitiate(t)
	_, _, err := server.Command(nil, initiate[:curveInitiateMinSize-1])
	assert.ErrorIs(t, err, ErrBadCommand, "INITIATE one byte short of the smallest")

	_, server, initiate = curveAtInitiate(t)
	forged := bytes.Clone(initiate[:curveInitiateMinSize])
	_, _, err = server.Command(nil, forged)
	assert.ErrorIs(t, err, ErrCrypto, "INITIATE of the smallest size, box cut")

	for _, n := range []int{curveWelcomeSize - 1, curveWelcomeSize + 1, 8} {
		client, _ := curvePair(t, testServerPublic)
		_, _, err := client.Start(nil)
		require.NoError(t, err)
		body := append([]byte("\x07WELCOME"), make([]byte, n-8)...)
		_, _, err = client.Command(nil, body)
		assert.ErrorIs(t, err, ErrBadCommand, "WELCOME of %d bytes", n)
	}

	for n, want := range map[int]error{6: ErrBadCommand, curveReadyMinSize - 1: ErrBadCommand, curveReadyMinSize: ErrCrypto} {
		client, _, _ := curveAtInitiate(t)
		body := append([]byte("\x05READY"), make([]byte, n-6)...)
		_, _, err := client.Command(nil, body)
		assert.ErrorIs(t, err, want, "READY of %d bytes", n)
	}
}

// The metadata inside a genuine INITIATE gets the same checks as READY's.
func TestCurveHostileInitiateMetadata(t *testing.T) {
	typ := func() []byte { return AppendProperty(nil, PropSocketType, []byte("DEALER")) }
	for name, tc := range map[string]struct {
		meta []byte
		want error
	}{
		"value length 0xFFFFFFFF": {append(typ(), unhex(`01 "X" ffffffff "ab"`)...), ErrBadMetadata},
		"name length 255, short":  {append(typ(), 0xff, 'X'), ErrBadMetadata},
		"identity 256 bytes":      {AppendProperty(typ(), PropIdentity, make([]byte, 256)), ErrBadIdentity},
		"no Socket-Type":          {nil, ErrBadSocketType},
		"two Socket-Types":        {append(typ(), typ()...), ErrBadMetadata},
		"incompatible":            {AppendProperty(nil, PropSocketType, []byte("PUB")), ErrIncompatible},
	} {
		t.Run(name, func(t *testing.T) {
			client, server, _ := curveAtInitiate(t)
			_, step, err := server.Command(nil, sealInitiate(t, client, tc.meta))
			assert.ErrorIs(t, err, tc.want)
			assert.Equal(t, StepContinue, step)
			assert.Equal(t, curveFailed, server.state)
		})
	}
	client, server, _ := curveAtInitiate(t)
	_, step, err := server.Command(nil, sealInitiate(t, client, typ()))
	require.NoError(t, err, "the hand-sealed INITIATE is genuine")
	assert.Equal(t, StepZAP, step)
}

func TestParseZAPReplyHostile(t *testing.T) {
	good := ZAPReplyFrames([]byte("1"), ZAPReply{Status: 200})
	for name, frames := range map[string][][]byte{
		"no frames":                  nil,
		"status with NUL":            {{}, []byte("1.0"), []byte("1"), []byte("200\x00"), nil, nil, nil},
		"metadata length 0xFFFFFFFF": append(good[:6:6], unhex(`01 "X" ffffffff`)),
		"metadata name length 255":   append(good[:6:6], []byte{0xff, 'X'}),
	} {
		_, err := ParseZAPReply(frames, []byte("1"))
		assert.ErrorIs(t, err, ErrBadZAPReply, name)
	}
}
