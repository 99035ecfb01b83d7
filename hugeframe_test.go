//go:build linux

package zring_test

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/mempool"
	"github.com/zring/zring/zmtp"
)

// The huge-header attack (issue 13): a peer completes the handshake, then
// sends one frame header claiming an enormous body, and a few bytes of it.
// libzmq closes that one connection; zring used to allocate the claim and
// die (makeslice panic or fatal out of memory).

// hugeClaims are the body sizes the attacker announces. 4 GiB is less
// than this machine may hold, so the connection stays while the bytes
// trickle in; the others exceed any memory and close it at once.
var hugeClaims = []uint64{1 << 62, 1 << 40, 4 << 30}

// hugePairings: for each socket type that binds, a compatible type for the
// good peer and the attacker.
var hugePairings = []struct{ bound, peer zring.Type }{
	{zring.Pair, zring.Pair}, {zring.Pub, zring.Sub}, {zring.Sub, zring.Pub},
	{zring.Req, zring.Rep}, {zring.Rep, zring.Req}, {zring.Dealer, zring.Dealer},
	{zring.Router, zring.Dealer}, {zring.Pull, zring.Push}, {zring.Push, zring.Pull},
	{zring.XPub, zring.Sub}, {zring.XSub, zring.Pub},
}

// hugeSecurity is one mechanism: the bound socket's options, the good
// peer's, and the attacker's client mechanism of a given type.
type hugeSecurity struct {
	name     string
	server   []zring.Option
	client   []zring.Option
	attacker func(typ zmtp.SocketType) zmtp.Mechanism
}

func hugeMechanisms(t *testing.T, c *zring.Context) []hugeSecurity {
	auth := newAuthenticator(t, c)
	auth.SetPasswords("*", map[string]string{"admin": "secret"})
	auth.AllowAnyCurve("*")
	sk, ck := newCurveKeys(t), newCurveKeys(t)
	return []hugeSecurity{
		{name: "NULL", attacker: func(typ zmtp.SocketType) zmtp.Mechanism {
			return zmtp.NewNull(zmtp.HandshakeConfig{Type: typ})
		}},
		{
			name:   "PLAIN",
			server: []zring.Option{zring.WithPlainServer(true)},
			client: []zring.Option{zring.WithPlainUsername("admin"), zring.WithPlainPassword("secret")},
			attacker: func(typ zmtp.SocketType) zmtp.Mechanism {
				return zmtp.NewPlainClient(zmtp.HandshakeConfig{Type: typ}, []byte("admin"), []byte("secret"))
			},
		},
		{
			name:   "CURVE",
			server: curveServer(sk),
			client: curveClient(ck, sk.public),
			attacker: func(typ zmtp.SocketType) zmtp.Mechanism {
				keys := zmtp.CurveKeys{Public: ck.publicKey(t), Server: sk.publicKey(t)}
				var err error
				keys.Secret, err = zmtp.ParseCurveKey(ck.secret)
				require.NoError(t, err)
				return zmtp.NewCurveClient(zmtp.HandshakeConfig{Type: typ}, keys)
			},
		},
	}
}

// handshakeAs completes a whole handshake from a raw connection with m, as
// an honest client would, so what follows is in the data phase.
func handshakeAs(t *testing.T, endpoint string, m zmtp.Mechanism) *rawPeer {
	t.Helper()
	p := dialRaw(t, endpoint)
	p.write(zmtp.AppendGreeting(nil, m.Name(), false))
	greeting := make([]byte, zmtp.GreetingSize)
	_, err := io.ReadFull(p.conn, greeting)
	require.NoError(t, err)
	out, step, err := m.Start(nil)
	require.NoError(t, err)
	for {
		p.write(out)
		if step == zmtp.StepDone {
			return p
		}
		out, step, err = m.Command(nil, p.readFrame())
		require.NoError(t, err)
	}
}

// requireServed proves the bound socket still exchanges a fresh message
// with its good peer, in whichever direction the pattern allows (the fuzz
// targets' goodPair.served). A nil peer (PAIR during the attack) skips the
// check.
func requireServed(t *testing.T, bound, peer *zring.Socket) {
	t.Helper()
	if peer != nil {
		require.NoError(t, (&goodPair{bound: bound, peer: peer}).served())
	}
}

// TestHugeFrameHeader: at every socket type and under every mechanism, the
// attack costs about a megabyte whatever the claim, a claim beyond the
// machine's memory closes that connection at once with a monitor event,
// and the good peer is served before, during and after.
func TestHugeFrameHeader(t *testing.T) {
	reportRSS(t) // when TestHugeFrameHeaderPeakRSS asks
	c := newContext(t)
	for _, sec := range hugeMechanisms(t, c) {
		for _, pair := range hugePairings {
			t.Run(fmt.Sprintf("%s/%v", sec.name, pair.bound), func(t *testing.T) {
				// typeOpts: a REQ is relaxed, so a request the attacker got
				// is sent again.
				bound := newSocket(t, c, pair.bound, append(typeOpts(pair.bound), sec.server...)...)
				mon := monitor(t, bound)
				require.NoError(t, bound.Bind("tcp://127.0.0.1:*"))
				peer := newSocket(t, c, pair.peer, append(typeOpts(pair.peer), sec.client...)...)
				require.NoError(t, fuzzSubscribeAll(bound))
				require.NoError(t, fuzzSubscribeAll(peer))
				if pair.bound == zring.Pair {
					// PAIR takes one peer: the attacker comes first.
					for _, claim := range hugeClaims {
						attackHugeFrame(t, bound, nil, mon, pair, sec, claim)
					}
					require.NoError(t, peer.Connect(bound.Endpoint()))
					requireServed(t, bound, peer)
					return
				}
				require.NoError(t, peer.Connect(bound.Endpoint()))
				requireServed(t, bound, peer)
				for _, claim := range hugeClaims {
					attackHugeFrame(t, bound, peer, mon, pair, sec, claim)
				}
			})
		}
	}
}

func attackHugeFrame(t *testing.T, bound, peer *zring.Socket, mon *zring.Monitor, pair struct{ bound, peer zring.Type }, sec hugeSecurity, claim uint64) {
	t.Helper()
	base, baseMapped, errs := mempool.LargeBytes(), largeMapped(), bound.Stats().ProtocolErrors
	bad := handshakeAs(t, bound.Endpoint(), sec.attacker(pair.peer))
	nextEvent(t, mon, zring.EventHandshakeSucceeded)
	bad.write(zmtp.AppendFrameHeader(nil, 0, int(claim)))
	bad.write(make([]byte, 100))
	if claim > uint64(mempool.LargeLimit()) {
		bad.requireClosed()
		ev := nextEvent(t, mon, zring.EventDisconnected)
		assert.ErrorIs(t, ev.Err, zmtp.ErrFrameTooLarge, "claim %d", claim)
		assert.ErrorIs(t, ev.Err, mempool.ErrNoMemory, "claim %d", claim)
		assert.Equal(t, errs+1, bound.Stats().ProtocolErrors, "counted")
		requireServed(t, bound, peer)
		return
	}
	// The claim is plausible: the connection waits for the body, which
	// costs what has arrived (rounded up to the first megabyte).
	requireServed(t, bound, peer)
	assert.LessOrEqual(t, largeMapped()-baseMapped, int64(mempool.MaxPooled), "claim %d", claim)
	require.NoError(t, bad.conn.Close())
	ev := nextEvent(t, mon, zring.EventDisconnected)
	assert.Error(t, ev.Err)
	requireServed(t, bound, peer)
	require.Eventually(t, func() bool { return mempool.LargeBytes() == base }, 5*time.Second, 5*time.Millisecond, "the partial body is released")
}

// largeMapped is all the memory large frames hold, kept mappings included:
// what an attacker could make the process take from the system.
func largeMapped() int64 { return mempool.LargeBytes() + mempool.LargeCachedBytes() }
