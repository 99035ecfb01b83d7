package zmtp

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"io"

	"golang.org/x/crypto/nacl/box"
	"golang.org/x/crypto/nacl/secretbox"
)

// Sizes of the CURVE handshake commands (RFC 26), name included.
const (
	curveHelloSize       = 200
	curveWelcomeSize     = 168
	curveInitiateMinSize = 257
	curveReadyMinSize    = 30
	curveCookieSize      = 96 // nonce (16) and secretbox[C' ‖ s'] (80)
)

// CurveKeys are one side's keys for a CURVE handshake.
type CurveKeys struct {
	// Public and Secret are our long-term keypair: the server's S and s,
	// or the client's C and c. Public must be Secret's public key
	// (CurvePublicKey): the client sends it, the server checks the
	// client's vouch against it.
	Public, Secret CurveKey
	// Server is the server's public key S, which a client must know.
	Server CurveKey
	// Rand supplies transient keys, cookie keys and long nonces; nil means
	// crypto/rand. Tests fix it to reproduce a handshake byte for byte.
	Rand io.Reader
}

// curveState is where a CURVE handshake stands.
type curveState uint8

const (
	curveWelcome  curveState = iota // client: HELLO sent, waiting for WELCOME
	curveReady                      // client: INITIATE sent, waiting for READY
	curveHello                      // server: waiting for HELLO
	curveInitiate                   // server: WELCOME sent, waiting for INITIATE
	curveZAP                        // server: waiting for the ZAP verdict
	curveDone
	curveFailed
)

// Curve is the CURVE mechanism (RFC 26, CurveZMQ), client or server. The
// client sends HELLO from a fresh transient key C′, the server answers
// WELCOME with its transient key S′ and a cookie that only it can open,
// the client proves its long-term key C in INITIATE (the vouch) and the
// server, after ZAP approves C, answers READY. Every later frame travels
// encrypted as a MESSAGE through the CurveSealer and CurveOpener that
// Codec returns.
//
// Any cryptographic failure is ErrCrypto and, as in libzmq, closes the
// connection without an ERROR. Transient secrets, the cookie key and the
// copy of the long-term secret are erased as soon as they are used, and
// everything on failure or when Codec hands the session key over.
type Curve struct {
	metadata
	keys      CurveKeys
	server    bool
	state     curveState
	tPub      CurveKey // our transient public key (C′ or S′)
	tSec      CurveKey // our transient secret key (c′ or s′)
	peerT     CurveKey // the peer's transient public key
	shared    [32]byte // box key: C′·S for HELLO and WELCOME, then C′·S′
	cookie    [curveCookieSize]byte
	cookieKey [32]byte // server: opens the cookie it sent
	clientKey CurveKey // server: C, for ZAP
	nonce     uint64   // our next short nonce
	peerNonce uint64   // the peer's last short nonce
}

var _ Mechanism = (*Curve)(nil)

// NewCurveClient returns a CURVE client proving keys.Public (with
// keys.Secret) to the server whose public key is keys.Server.
func NewCurveClient(cfg HandshakeConfig, keys CurveKeys) *Curve {
	return &Curve{metadata: newMetadata(cfg), keys: keys, state: curveWelcome, nonce: 1}
}

// NewCurveServer returns a CURVE server with the long-term keys.Secret
// (and keys.Public). It consults ZAP with each client's public key.
func NewCurveServer(cfg HandshakeConfig, keys CurveKeys) *Curve {
	return &Curve{metadata: newMetadata(cfg), keys: keys, server: true, state: curveHello, nonce: 1}
}

// Name returns "CURVE".
func (h *Curve) Name() string { return MechanismCurve }

// Start appends a client's HELLO; a server sends nothing first.
func (h *Curve) Start(dst []byte) ([]byte, Step, error) {
	if h.state != curveWelcome {
		return dst, StepContinue, nil
	}
	if err := h.newTransient(); err != nil {
		return h.fail(dst, err)
	}
	if err := precompute(&h.shared, &h.keys.Server, &h.tSec); err != nil {
		return h.fail(dst, err)
	}
	var zero [72]byte
	dst = appendCommandHeader(dst, CmdHello, curveHelloSize-1-len(CmdHello))
	dst = append(dst, 1, 0) // CurveZMQ 1.0
	dst = append(dst, zero[:]...)
	dst = append(dst, h.tPub[:]...)
	return h.appendShortBox(dst, nonceHello, zero[:64]), StepContinue, nil
}

// newTransient makes our transient keypair.
func (h *Curve) newTransient() error {
	pub, sec, err := box.GenerateKey(h.random())
	if err != nil {
		return fmt.Errorf("zmtp: CURVE transient key: %w", err)
	}
	h.tPub, h.tSec = *pub, *sec
	clear(sec[:])
	return nil
}

func (h *Curve) random() io.Reader {
	if h.keys.Rand != nil {
		return h.keys.Rand
	}
	return rand.Reader
}

// appendShortBox appends our next short nonce and msg boxed with the
// shared key under prefix.
func (h *Curve) appendShortBox(dst []byte, prefix string, msg []byte) []byte {
	dst = binary.BigEndian.AppendUint64(dst, h.nonce)
	nonce := shortNonce(prefix, h.nonce)
	h.nonce++
	return box.SealAfterPrecomputation(dst, msg, &nonce, &h.shared)
}

// Command advances the handshake with one received command. A client
// takes ERROR while it waits for WELCOME or READY.
func (h *Curve) Command(dst, body []byte) ([]byte, Step, error) {
	name, data, err := ParseCommand(body)
	if err != nil {
		return h.fail(dst, err)
	}
	client := h.state == curveWelcome || h.state == curveReady
	switch {
	case string(name) == CmdError && client:
		return h.fail(dst, peerError(data))
	case string(name) == CmdWelcome && h.state == curveWelcome:
		return h.checked(h.onWelcome(dst, body))
	case string(name) == CmdReady && h.state == curveReady:
		return h.checked(h.onReady(dst, body))
	case string(name) == CmdHello && h.state == curveHello:
		return h.checked(h.onHello(dst, body))
	case string(name) == CmdInitiate && h.state == curveInitiate:
		return h.checked(h.onInitiate(dst, body))
	}
	return h.fail(dst, fmt.Errorf("%w: CURVE %q", ErrUnexpectedCommand, name))
}

// checked erases every secret when a step failed.
func (h *Curve) checked(dst []byte, step Step, err error) ([]byte, Step, error) {
	if err != nil {
		return h.fail(dst, err)
	}
	return dst, step, nil
}

// fail erases every secret and reports err.
func (h *Curve) fail(dst []byte, err error) ([]byte, Step, error) {
	h.erase()
	h.state = curveFailed
	return dst, StepContinue, err
}

// erase clears every key the mechanism holds.
func (h *Curve) erase() {
	clear(h.keys.Secret[:])
	clear(h.tSec[:])
	clear(h.shared[:])
	clear(h.cookieKey[:])
}

// onWelcome (client) opens S′ and the cookie, then sends INITIATE.
func (h *Curve) onWelcome(dst, body []byte) ([]byte, Step, error) {
	if len(body) != curveWelcomeSize {
		return dst, StepContinue, fmt.Errorf("%w: CURVE WELCOME of %d bytes", ErrBadCommand, len(body))
	}
	nonce := longNonce(nonceWelcome, body[8:24])
	var plain [32 + curveCookieSize]byte
	if _, ok := box.OpenAfterPrecomputation(plain[:0], body[24:], &nonce, &h.shared); !ok {
		return dst, StepContinue, fmt.Errorf("%w: WELCOME (wrong server key?)", ErrCrypto)
	}
	copy(h.peerT[:], plain[:32])
	copy(h.cookie[:], plain[32:])
	if err := precompute(&h.shared, &h.peerT, &h.tSec); err != nil {
		return dst, StepContinue, err
	}
	clear(h.tSec[:])
	dst, err := h.appendInitiate(dst)
	if err != nil {
		return dst, StepContinue, err
	}
	h.state = curveReady
	return dst, StepContinue, nil
}

// appendInitiate (client) appends INITIATE: the cookie, then C, the vouch
// Box[C′ ‖ S](C→S′) and our metadata, boxed from C′ to S′.
func (h *Curve) appendInitiate(dst []byte) ([]byte, error) {
	var vn [16]byte
	if _, err := io.ReadFull(h.random(), vn[:]); err != nil {
		return dst, fmt.Errorf("zmtp: CURVE vouch nonce: %w", err)
	}
	var vouch [64]byte
	copy(vouch[:32], h.tPub[:])
	copy(vouch[32:], h.keys.Server[:])
	vouchNonce := longNonce(nonceVouch, vn[:])
	plain := make([]byte, 0, 128+MetadataSize(h.self, h.identity))
	plain = append(append(plain, h.keys.Public[:]...), vn[:]...)
	plain = box.Seal(plain, vouch[:], &vouchNonce, (*[32]byte)(&h.peerT), (*[32]byte)(&h.keys.Secret))
	clear(h.keys.Secret[:]) // the long-term secret is needed for the vouch only
	plain = AppendMetadata(plain, h.self, h.identity)
	dst = appendCommandHeader(dst, CmdInitiate, curveCookieSize+8+box.Overhead+len(plain))
	dst = append(dst, h.cookie[:]...)
	return h.appendShortBox(dst, nonceInitiate, plain), nil
}

// onReady (client) opens the server's metadata: the handshake is done.
func (h *Curve) onReady(dst, body []byte) ([]byte, Step, error) {
	if len(body) < curveReadyMinSize {
		return dst, StepContinue, fmt.Errorf("%w: CURVE READY of %d bytes", ErrBadCommand, len(body))
	}
	n := binary.BigEndian.Uint64(body[6:14])
	nonce := shortNonce(nonceReady, n)
	plain, ok := box.OpenAfterPrecomputation(nil, body[14:], &nonce, &h.shared)
	if !ok {
		return dst, StepContinue, fmt.Errorf("%w: READY", ErrCrypto)
	}
	if err := h.accept(plain); err != nil {
		return dst, StepContinue, err
	}
	h.peerNonce = n
	h.state = curveDone
	return dst, StepDone, nil
}

// onHello (server) checks the client's HELLO and answers WELCOME.
func (h *Curve) onHello(dst, body []byte) ([]byte, Step, error) {
	if len(body) != curveHelloSize {
		return dst, StepContinue, fmt.Errorf("%w: CURVE HELLO of %d bytes", ErrBadCommand, len(body))
	}
	if body[6] != 1 || body[7] != 0 {
		return dst, StepContinue, fmt.Errorf("%w: CURVE HELLO version %d.%d", ErrBadCommand, body[6], body[7])
	}
	copy(h.peerT[:], body[80:112])
	err := precompute(&h.shared, &h.peerT, &h.keys.Secret)
	clear(h.keys.Secret[:]) // every later box uses the precomputed key
	if err != nil {
		return dst, StepContinue, err
	}
	nonce := shortNonce(nonceHello, binary.BigEndian.Uint64(body[112:120]))
	var zero [64]byte
	if _, ok := box.OpenAfterPrecomputation(zero[:0], body[120:], &nonce, &h.shared); !ok {
		return dst, StepContinue, fmt.Errorf("%w: HELLO (client has the wrong server key?)", ErrCrypto)
	}
	dst, err = h.appendWelcome(dst)
	if err != nil {
		return dst, StepContinue, err
	}
	h.state = curveInitiate
	return dst, StepContinue, nil
}

// appendWelcome (server) appends WELCOME: S′ and the cookie
// nonce ‖ SecretBox[C′ ‖ s′](t) under a fresh cookie key t, boxed from S
// to C′.
func (h *Curve) appendWelcome(dst []byte) ([]byte, error) {
	if err := h.newTransient(); err != nil {
		return dst, err
	}
	var random [32 + 16 + 16]byte // cookie key, cookie nonce, WELCOME nonce
	if _, err := io.ReadFull(h.random(), random[:]); err != nil {
		return dst, fmt.Errorf("zmtp: CURVE cookie: %w", err)
	}
	copy(h.cookieKey[:], random[:32])
	var cookie [64]byte
	copy(cookie[:32], h.peerT[:])
	copy(cookie[32:], h.tSec[:])
	cookieNonce := longNonce(nonceCookie, random[32:48])
	var plain [32 + curveCookieSize]byte
	p := append(append(plain[:0], h.tPub[:]...), random[32:48]...)
	secretbox.Seal(p, cookie[:], &cookieNonce, &h.cookieKey)
	clear(cookie[:])
	welcomeNonce := longNonce(nonceWelcome, random[48:])
	dst = appendCommandHeader(dst, CmdWelcome, curveWelcomeSize-1-len(CmdWelcome))
	dst = append(dst, random[48:]...)
	dst = box.SealAfterPrecomputation(dst, plain[:], &welcomeNonce, &h.shared)
	clear(plain[:])
	return dst, nil
}

// onInitiate (server) opens the cookie, the INITIATE box and the vouch,
// checks that they agree on C′ and S, and asks ZAP about C.
func (h *Curve) onInitiate(dst, body []byte) ([]byte, Step, error) {
	if len(body) < curveInitiateMinSize {
		return dst, StepContinue, fmt.Errorf("%w: CURVE INITIATE of %d bytes", ErrBadCommand, len(body))
	}
	if err := h.openCookie(body[9 : 9+curveCookieSize]); err != nil {
		return dst, StepContinue, err
	}
	if err := precompute(&h.shared, &h.peerT, &h.tSec); err != nil {
		return dst, StepContinue, err
	}
	n := binary.BigEndian.Uint64(body[105:113])
	nonce := shortNonce(nonceInitiate, n)
	plain, ok := box.OpenAfterPrecomputation(nil, body[113:], &nonce, &h.shared)
	if !ok {
		return dst, StepContinue, fmt.Errorf("%w: INITIATE", ErrCrypto)
	}
	// 257 bytes at least leave 128 of plaintext: C, vouch nonce, vouch.
	copy(h.clientKey[:], plain[:32])
	if err := h.openVouch(plain[32:48], plain[48:128]); err != nil {
		return dst, StepContinue, err
	}
	clear(h.tSec[:])
	if err := h.accept(plain[128:]); err != nil {
		return dst, StepContinue, err
	}
	h.peerNonce = n
	h.state = curveZAP
	return dst, StepZAP, nil
}

// openCookie checks that the cookie is the one we sent: it opens with our
// cookie key and holds C′ and s′. The cookie key is then forgotten.
func (h *Curve) openCookie(c []byte) error {
	nonce := longNonce(nonceCookie, c[:16])
	var plain [64]byte
	_, ok := secretbox.Open(plain[:0], c[16:], &nonce, &h.cookieKey)
	clear(h.cookieKey[:])
	match := subtle.ConstantTimeCompare(plain[:32], h.peerT[:]) & subtle.ConstantTimeCompare(plain[32:], h.tSec[:])
	clear(plain[:])
	if !ok || match != 1 {
		return fmt.Errorf("%w: INITIATE cookie", ErrCrypto)
	}
	return nil
}

// openVouch checks the vouch Box[C′ ‖ S](C→S′): it proves the client holds
// the secret of C and meant this connection to this server.
func (h *Curve) openVouch(vn, vouch []byte) error {
	var key [32]byte
	defer clear(key[:])
	if err := precompute(&key, &h.clientKey, &h.tSec); err != nil {
		return err
	}
	nonce := longNonce(nonceVouch, vn)
	var plain [64]byte
	_, ok := box.OpenAfterPrecomputation(plain[:0], vouch, &nonce, &key)
	if !ok || subtle.ConstantTimeCompare(plain[:32], h.peerT[:]) != 1 ||
		subtle.ConstantTimeCompare(plain[32:], h.keys.Public[:]) != 1 {
		return fmt.Errorf("%w: INITIATE vouch", ErrCrypto)
	}
	return nil
}

// lowOrderKey is the box key that every low-order public key yields with
// any secret key: X25519 then outputs all zeros, a secret anybody can
// compute. libsodium refuses such keys; so does precompute.
var lowOrderKey = func() (k [32]byte) {
	var zero [32]byte
	box.Precompute(&k, &zero, &zero)
	return k
}()

// precompute derives the box key of our secret and a peer's public key,
// refusing a low-order public key (ErrCrypto).
func precompute(shared *[32]byte, peer, secret *CurveKey) error {
	box.Precompute(shared, (*[32]byte)(peer), (*[32]byte)(secret))
	if subtle.ConstantTimeCompare(shared[:], lowOrderKey[:]) == 1 {
		clear(shared[:])
		return fmt.Errorf("%w: low-order public key", ErrCrypto)
	}
	return nil
}

// ZAPRequest carries the client's long-term public key.
func (h *Curve) ZAPRequest() ZAPRequest {
	return ZAPRequest{Mechanism: MechanismCurve, Credentials: [][]byte{h.clientKey[:]}}
}

// ZAPResult answers READY on approval, a plaintext ERROR on a 400 or 500,
// nothing on a 300.
func (h *Curve) ZAPResult(dst []byte, r ZAPReply) ([]byte, Step, error) {
	if h.state != curveZAP {
		return dst, StepContinue, fmt.Errorf("%w: ZAP result not awaited", ErrUnexpectedCommand)
	}
	dst, err := h.takeZAP(dst, r, AppendError)
	if err != nil {
		return h.fail(dst, err)
	}
	plain := AppendMetadata(nil, h.self, h.identity)
	dst = appendCommandHeader(dst, CmdReady, 8+box.Overhead+len(plain))
	dst = h.appendShortBox(dst, nonceReady, plain)
	h.state = curveDone
	return dst, StepDone, nil
}

// Codec returns the connection's MESSAGE sealer and opener once the
// handshake is done (nil before), and erases the mechanism's own copy of
// the session key. The sealer goes on from our next short nonce (3 for a
// client, 2 for a server, as libzmq counts); the opener requires nonces
// above the peer's INITIATE or READY.
func (h *Curve) Codec() (*CurveSealer, *CurveOpener) {
	if h.state != curveDone {
		return nil, nil
	}
	out, in := nonceMessageC, nonceMessageS
	if h.server {
		out, in = in, out
	}
	s := &CurveSealer{key: h.shared, prefix: out, nonce: h.nonce}
	o := &CurveOpener{key: h.shared, prefix: in, last: h.peerNonce}
	h.erase()
	return s, o
}

// Encrypted is implemented by mechanisms whose messages travel encrypted
// after the handshake (CURVE).
type Encrypted interface {
	Codec() (*CurveSealer, *CurveOpener)
}
