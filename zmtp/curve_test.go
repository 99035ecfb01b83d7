package zmtp

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	mrand "math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/nacl/box"
)

// libzmq's test keys (zmtp.md §H 63): the server's, then the client's.
var (
	testServerPublic, testServerSecret = curveTestKeys[0].public, curveTestKeys[0].secret
	testClientPublic, testClientSecret = curveTestKeys[1].public, curveTestKeys[1].secret
)

// libzmqHello is the HELLO frame libzmq 4.3.4 (pyzmq 24) sent as a client
// with the test keys above, captured from a raw socket: a golden vector
// from an independent implementation. Its transient key is random, so only
// a server holding testServerSecret can open its box.
var libzmqHello = mustHex("04c80548454c4c4f0100" + zeros(72) +
	"9da0c043c00b2feed61cb95fde7cbcdba163623e7ffe859da5a220d1c016523a" +
	"0000000000000001" +
	"4e328eb9de9a6099c2af8977d6c46c26a2ccb623e7ab1f1d44dd8094ae0dae0e" +
	"9005a31de9ee006c21427550511983576cdb1e1345fffe5eebf48f93ae43a58a" +
	"abaff046c2ff8054906181a714765e9d")

func zeros(n int) string { return hex.EncodeToString(make([]byte, n)) }

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func key(t testing.TB, z85 string) CurveKey {
	k, err := ParseCurveKey(z85)
	require.NoError(t, err)
	return k
}

// curvePair returns a DEALER client and a ROUTER server with libzmq's test
// keys; the client trusts serverKey.
func curvePair(t testing.TB, serverKey string) (client, server *Curve) {
	client = NewCurveClient(HandshakeConfig{Type: Dealer, Identity: []byte("id")}, CurveKeys{
		Public: key(t, testClientPublic), Secret: key(t, testClientSecret), Server: key(t, serverKey),
	})
	server = NewCurveServer(HandshakeConfig{Type: Router}, CurveKeys{
		Public: key(t, testServerPublic), Secret: key(t, testServerSecret),
	})
	return client, server
}

// allowClient is a ZAP handler that admits libzmq's test client key only.
func allowClient(t testing.TB) func(ZAPRequest) ZAPReply {
	want := key(t, testClientPublic)
	return func(req ZAPRequest) ZAPReply {
		if req.Mechanism == MechanismCurve && len(req.Credentials) == 1 && bytes.Equal(req.Credentials[0], want[:]) {
			return ZAPReply{Status: ZAPSuccess, UserID: []byte(want.Z85())}
		}
		return ZAPReply{Status: ZAPAuthFailure, Text: "unknown key"}
	}
}

func TestCurveHandshake(t *testing.T) {
	client, server := curvePair(t, testServerPublic)
	_, ss := handshake(t, client, server, allowClient(t))
	require.Len(t, ss.zaps, 1)
	assert.Equal(t, MechanismCurve, ss.zaps[0].Mechanism)
	assert.Equal(t, Router, client.Peer().Type)
	assert.Equal(t, Dealer, server.Peer().Type)
	assert.Equal(t, []byte("id"), server.Peer().Identity)
	uid, _ := server.Peer().Property(PropUserID)
	assert.Equal(t, testClientPublic, string(uid))
}

// TestCurveMessagesBothWays checks the codecs Codec hands over: libzmq's
// nonce counts (client from 3, server from 2), the flags byte, and that
// each side opens what the other sealed.
func TestCurveMessagesBothWays(t *testing.T) {
	client, server := curvePair(t, testServerPublic)
	handshake(t, client, server, allowClient(t))
	cs, co := client.Codec()
	ss, so := server.Codec()
	require.NotNil(t, cs)
	require.NotNil(t, ss)

	for i, tc := range []struct {
		seal  *CurveSealer
		open  *CurveOpener
		nonce uint64
	}{{cs, so, 3}, {ss, co, 2}} {
		plain := []byte{CurveFlagMore, 'h', 'i'}
		msg := tc.seal.AppendMessage(nil, plain)
		require.Len(t, msg, CurveMessageLen(2), "case %d", i)
		assert.Equal(t, []byte{0, byte(len(msg) - 2)}, msg[:2], "a data frame without flags, as libzmq sends")
		assert.Equal(t, messageName, string(msg[2:10]))
		assert.Equal(t, tc.nonce, binary.BigEndian.Uint64(msg[10:18]))
		got, err := tc.open.Open(nil, msg[2:])
		require.NoError(t, err)
		assert.Equal(t, plain, got)
	}
}

func TestCurveReplayedMessageIsRejected(t *testing.T) {
	client, server := curvePair(t, testServerPublic)
	handshake(t, client, server, allowClient(t))
	cs, _ := client.Codec()
	_, so := server.Codec()
	first := cs.AppendMessage(nil, []byte{0, 'a'})[2:]
	cs.AppendMessage(nil, []byte{0, 'b'}) // lost: a skipped nonce is fine
	third := cs.AppendMessage(nil, []byte{0, 'c'})[2:]
	_, err := so.Open(nil, third)
	require.NoError(t, err)
	_, err = so.Open(nil, first)
	require.ErrorIs(t, err, ErrNonce)
	_, err = so.Open(nil, third)
	require.ErrorIs(t, err, ErrNonce, "the same MESSAGE twice")
}

func TestCurveForgedMessageIsRejected(t *testing.T) {
	client, server := curvePair(t, testServerPublic)
	handshake(t, client, server, allowClient(t))
	cs, _ := client.Codec()
	_, so := server.Codec()
	msg := cs.AppendMessage(nil, []byte{0, 'a', 'b'})[2:]
	for i := 16; i < len(msg); i++ {
		forged := bytes.Clone(msg)
		forged[i] ^= 0x20
		_, err := so.Open(nil, forged)
		require.ErrorIs(t, err, ErrCrypto, "byte %d flipped", i)
	}
	_, err := so.Open(nil, msg[:CurveMessageOverhead-1])
	require.ErrorIs(t, err, ErrBadCommand)
	_, err = so.Open(nil, append([]byte("\x07MESSAGX"), msg[8:]...))
	require.ErrorIs(t, err, ErrUnexpectedCommand)
	got, err := so.Open(nil, msg)
	require.NoError(t, err, "failures do not advance the nonce")
	assert.Equal(t, []byte{0, 'a', 'b'}, got)
}

func TestCurveWrongServerKeyClosesSilently(t *testing.T) {
	client, server := curvePair(t, testClientPublic) // not the server's key
	sc, ss := pump(t, client, server, allowClient(t))
	require.ErrorIs(t, ss.err, ErrCrypto)
	assert.Empty(t, ss.out, "no ERROR: libzmq closes silently")
	assert.Empty(t, ss.zaps)
	assert.Equal(t, StepContinue, sc.step)
	require.NoError(t, sc.err, "the client hears nothing")
}

func TestCurveUnknownClientGetsError400(t *testing.T) {
	client, server := curvePair(t, testServerPublic)
	sc, ss := pump(t, client, server, func(ZAPRequest) ZAPReply {
		return ZAPReply{Status: ZAPAuthFailure, Text: "no"}
	})
	requireRefused400(t, sc, ss)
	s, o := server.Codec()
	assert.Nil(t, s)
	assert.Nil(t, o)
}

func TestCurveTemporaryFailureIsSilent(t *testing.T) {
	client, server := curvePair(t, testServerPublic)
	sc, ss := pump(t, client, server, func(ZAPRequest) ZAPReply { return ZAPReply{Status: ZAPTemporaryFail} })
	require.ErrorIs(t, ss.err, ErrAuth)
	require.NoError(t, sc.err)
	assert.Equal(t, StepContinue, sc.step)
}

// TestCurveServerOpensLibzmqHello: our server accepts libzmq's HELLO and
// answers a 168-byte WELCOME; our client's HELLO has libzmq's layout.
func TestCurveServerOpensLibzmqHello(t *testing.T) {
	_, server := curvePair(t, testServerPublic)
	out, step, err := server.Command(nil, libzmqHello[2:])
	require.NoError(t, err)
	assert.Equal(t, StepContinue, step)
	assert.Equal(t, mustHex("04a8"), out[:2])
	assert.Equal(t, "\x07WELCOME", string(out[2:10]))
	assert.Len(t, out, 2+curveWelcomeSize)

	client, _ := curvePair(t, testServerPublic)
	hello, _, err := client.Start(nil)
	require.NoError(t, err)
	require.Len(t, hello, len(libzmqHello))
	assert.Equal(t, libzmqHello[:82], hello[:82], "header, name, version, padding")
	assert.Equal(t, libzmqHello[114:122], hello[114:122], "short nonce 1")
}

func TestCurveWrongKeyCannotOpenLibzmqHello(t *testing.T) {
	server := NewCurveServer(HandshakeConfig{Type: Router}, CurveKeys{Secret: key(t, testClientSecret)})
	_, _, err := server.Command(nil, libzmqHello[2:])
	require.ErrorIs(t, err, ErrCrypto)
}

// TestCurveHandshakeIsReproducible: with a fixed random source the whole
// transcript is fixed; with crypto/rand each connection gets fresh
// transient keys (C′ differs).
func TestCurveHandshakeIsReproducible(t *testing.T) {
	transcript := func(seed byte) []byte {
		client, server := curvePair(t, testServerPublic)
		if seed != 0 {
			client.keys.Rand = mrand.NewChaCha8([32]byte{seed})
			server.keys.Rand = mrand.NewChaCha8([32]byte{seed, 1})
		}
		hello, _, err := client.Start(nil)
		require.NoError(t, err)
		welcome, _, err := server.Command(nil, hello[2:])
		require.NoError(t, err)
		initiate, _, err := client.Command(nil, welcome[2:])
		require.NoError(t, err)
		return bytes.Join([][]byte{hello, welcome, initiate}, nil)
	}
	assert.Equal(t, transcript(7), transcript(7))
	assert.NotEqual(t, transcript(7), transcript(8))
	a, b := transcript(0), transcript(0)
	assert.NotEqual(t, a[82:114], b[82:114], "C′ is fresh per connection")
}

// TestCurveRejectsTamperedInitiate flips each byte of INITIATE (cookie,
// nonce, box): every one must fail, and no ZAP request go out.
func TestCurveRejectsTamperedInitiate(t *testing.T) {
	seed := func() *mrand.ChaCha8 { return mrand.NewChaCha8([32]byte{42}) }
	for i := 9; i < curveInitiateMinSize; i += 7 {
		client, server := curvePair(t, testServerPublic)
		client.keys.Rand, server.keys.Rand = seed(), seed()
		hello, _, _ := client.Start(nil)
		welcome, _, err := server.Command(nil, hello[2:])
		require.NoError(t, err)
		initiate, _, err := client.Command(nil, welcome[2:])
		require.NoError(t, err)
		body := initiate[FrameHeaderLen(len(initiate)-9):]
		body[i] ^= 1
		out, step, err := server.Command(nil, body)
		require.Error(t, err, "byte %d", i)
		assert.NotEqual(t, StepZAP, step)
		assert.Empty(t, out)
	}
}

func TestCurveRejectsMalformedCommands(t *testing.T) {
	for name, body := range map[string][]byte{
		"short HELLO":     libzmqHello[2:199],
		"long HELLO":      append(bytes.Clone(libzmqHello[2:]), 0),
		"HELLO version 2": append([]byte("\x05HELLO\x02\x00"), libzmqHello[10:]...),
		"INITIATE first":  append([]byte("\x08INITIATE"), make([]byte, 300)...),
		"MESSAGE first":   append([]byte("\x07MESSAGE"), make([]byte, 40)...),
		"empty":           {},
	} {
		_, server := curvePair(t, testServerPublic)
		_, _, err := server.Command(nil, body)
		require.Error(t, err, name)
		assert.Equal(t, curveFailed, server.state, name)
	}
	client, _ := curvePair(t, testServerPublic)
	_, _, err := client.Start(nil)
	require.NoError(t, err)
	_, _, err = client.Command(nil, append([]byte("\x07WELCOME"), make([]byte, 150)...))
	require.ErrorIs(t, err, ErrBadCommand)
}

func TestCurveErasesSecrets(t *testing.T) {
	client, server := curvePair(t, testServerPublic)
	handshake(t, client, server, allowClient(t))
	client.Codec()
	server.Codec()
	for _, h := range []*Curve{client, server} {
		assert.Equal(t, CurveKey{}, h.keys.Secret)
		assert.Equal(t, CurveKey{}, h.tSec)
		assert.Equal(t, [32]byte{}, h.shared)
		assert.Equal(t, [32]byte{}, h.cookieKey)
	}
}

// Low-order public keys (libsodium's blocklist, canonical forms): with any
// of them X25519 yields zeros and the "shared" key is public.
var lowOrderPoints = []string{
	zeros(32),
	"01" + zeros(31),
	"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
	"5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
}

func TestCurveRefusesLowOrderKeys(t *testing.T) {
	_, sec, err := NewCurveKeypair()
	require.NoError(t, err)
	var shared [32]byte
	for _, p := range lowOrderPoints {
		peer := CurveKey(mustHex(p))
		require.ErrorIs(t, precompute(&shared, &peer, &sec), ErrCrypto, p)
		assert.Equal(t, [32]byte{}, shared, "no key left behind")
	}
	peer := key(t, testServerPublic)
	require.NoError(t, precompute(&shared, &peer, &sec))
}

// TestCurveServerRefusesLowOrderHello: with C′ = 0 anybody can seal a HELLO
// box that opens (the key is lowOrderKey); the server refuses it instead
// of answering WELCOME under a key everybody knows.
func TestCurveServerRefusesLowOrderHello(t *testing.T) {
	_, server := curvePair(t, testServerPublic)
	hello := bytes.Clone(libzmqHello[2:])
	copy(hello[80:112], make([]byte, 32))
	nonce := shortNonce(nonceHello, 1)
	binary.BigEndian.PutUint64(hello[112:120], 1)
	box.SealAfterPrecomputation(hello[:120], make([]byte, 64), &nonce, &lowOrderKey)
	out, _, err := server.Command(nil, hello)
	require.ErrorIs(t, err, ErrCrypto)
	assert.Empty(t, out)
}
