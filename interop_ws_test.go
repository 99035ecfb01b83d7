//go:build linux

package zring_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/internal/testpeer"
)

// Interop over ws:// and wss:// (ZWS 2.0) with libzmq 4.3.5, whose wss
// is GnuTLS: each standard pair in both role assignments and both bind
// directions, checked with real messages. The draft types run over ws in
// interop_draft_test.go (draftEndpoints).

// wsLink binds one side on scheme and connects the other, with the TLS
// settings wss needs on each.
type wsLink struct {
	scheme string // "ws" or "wss"
	fx     *tlsFixture
}

func (l wsLink) zringOpts(bind bool) []zring.Option {
	switch {
	case l.scheme != "wss":
		return nil
	case bind:
		return []zring.Option{zring.WithTLSCertificate(l.fx.cert)}
	}
	return []zring.Option{zring.WithTLSRootCAs(l.fx.pool)}
}

func (l wsLink) link(t *testing.T, z *zring.Socket, p *testpeer.Peer, zringBinds bool) {
	t.Helper()
	ep := l.scheme + "://127.0.0.1:*/zmq"
	if l.scheme == "wss" {
		if zringBinds {
			p.MustDo("setsockopt WSS_TRUST_PEM " + hexOf(l.fx.caPEM))
			p.MustDo("setsockopt WSS_HOSTNAME " + hexOf("localhost"))
		} else {
			p.MustDo("setsockopt WSS_CERT_PEM " + hexOf(l.fx.certPEM))
			p.MustDo("setsockopt WSS_KEY_PEM " + hexOf(l.fx.keyPEM))
		}
	}
	if zringBinds {
		require.NoError(t, z.Bind(ep))
		require.True(t, strings.HasPrefix(z.Endpoint(), l.scheme+"://127.0.0.1:"), z.Endpoint())
		p.MustDo("connect " + z.Endpoint())
		return
	}
	require.NoError(t, z.Connect(p.MustDo("bind "+ep)))
}

// peerParts receives one message on the peer: its parts.
func peerParts(t *testing.T, p *testpeer.Peer) []string {
	t.Helper()
	var parts []string
	for _, h := range strings.Fields(p.MustDo("recvmulti")) {
		parts = append(parts, unhexOf(t, h))
	}
	return parts
}

func peerSend(p *testpeer.Peer, parts ...string) {
	hx := make([]string, len(parts))
	for i, s := range parts {
		hx[i] = hexOf(s)
	}
	p.MustDo("sendmulti " + strings.Join(hx, " "))
}

type wsPair struct {
	name     string
	z        zring.Type
	peer     string
	zOpts    []zring.Option
	peerOpts []string
	check    func(t *testing.T, z *zring.Socket, p *testpeer.Peer)
}

func wsPairs() []wsPair {
	reqRep := func(t *testing.T, z *zring.Socket, p *testpeer.Peer) {
		for i := range 3 {
			require.NoError(t, z.Send(fmt.Appendf(nil, "ping %d", i), 0))
			require.Equal(t, []string{fmt.Sprintf("ping %d", i)}, peerParts(t, p))
			peerSend(p, fmt.Sprintf("pong %d", i))
			require.Equal(t, frames(fmt.Sprintf("pong %d", i)), recvMulti(t, z))
		}
	}
	repReq := func(t *testing.T, z *zring.Socket, p *testpeer.Peer) {
		for i := range 3 {
			peerSend(p, fmt.Sprintf("ping %d", i))
			require.Equal(t, frames(fmt.Sprintf("ping %d", i)), recvMulti(t, z))
			require.NoError(t, z.Send(fmt.Appendf(nil, "pong %d", i), 0))
			require.Equal(t, []string{fmt.Sprintf("pong %d", i)}, peerParts(t, p))
		}
	}
	return []wsPair{
		{name: "REQ-REP", z: zring.Req, peer: "REP", check: reqRep},
		{name: "REP-REQ", z: zring.Rep, peer: "REQ", check: repReq},
		{name: "DEALER-ROUTER", z: zring.Dealer, peer: "ROUTER", zOpts: []zring.Option{zring.WithRoutingID([]byte("zd"))},
			check: func(t *testing.T, z *zring.Socket, p *testpeer.Peer) {
				require.NoError(t, z.SendMulti(frames("a", "", "b"), 0))
				require.Equal(t, []string{"zd", "a", "", "b"}, peerParts(t, p), "the routing id zring announced")
				peerSend(p, "zd", "r1", "r2")
				require.Equal(t, frames("r1", "r2"), recvMulti(t, z))
			}},
		{name: "ROUTER-DEALER", z: zring.Router, peer: "DEALER", peerOpts: []string{"ROUTING_ID " + hexOf("pd")},
			check: func(t *testing.T, z *zring.Socket, p *testpeer.Peer) {
				peerSend(p, "a", "b")
				require.Equal(t, frames("pd", "a", "b"), recvMulti(t, z), "the routing id libzmq announced")
				require.NoError(t, z.SendMulti(frames("pd", "r"), 0))
				require.Equal(t, []string{"r"}, peerParts(t, p))
			}},
		{name: "PUB-SUB", z: zring.Pub, peer: "SUB", peerOpts: []string{"SUBSCRIBE " + hexOf("A"), "RCVTIMEO 100"},
			check: func(t *testing.T, z *zring.Socket, p *testpeer.Peer) {
				for i := 0; ; i++ {
					require.Less(t, i, 100, "the subscription never took effect")
					require.NoError(t, z.Send([]byte("B: filtered"), 0))
					require.NoError(t, z.Send([]byte("A: wanted"), 0))
					reply, err := p.Do("recvmulti")
					var perr *testpeer.Error
					if errors.As(err, &perr) && perr.Class == "EAGAIN" {
						continue
					}
					require.NoError(t, err)
					require.Equal(t, hexOf("A: wanted"), reply, "only the subscribed topic arrives")
					break
				}
			}},
		{name: "SUB-PUB", z: zring.Sub, peer: "PUB", zOpts: []zring.Option{zring.WithRcvTimeout(100 * time.Millisecond)},
			check: func(t *testing.T, z *zring.Socket, p *testpeer.Peer) {
				require.NoError(t, z.Subscribe("A"))
				for i := 0; ; i++ {
					require.Less(t, i, 100, "the subscription never took effect")
					peerSend(p, "B: filtered")
					peerSend(p, "A: wanted")
					got, err := z.Recv(0)
					if errors.Is(err, zring.ErrAgain) {
						continue
					}
					require.NoError(t, err)
					require.Equal(t, "A: wanted", string(got), "only the subscribed topic arrives")
					break
				}
			}},
		{name: "PUSH-PULL", z: zring.Push, peer: "PULL",
			check: func(t *testing.T, z *zring.Socket, p *testpeer.Peer) {
				big := strings.Repeat("x", 200_000) // a 64-bit WebSocket length
				require.NoError(t, z.SendMulti(frames("one", big), 0))
				require.Equal(t, []string{"one", big}, peerParts(t, p))
			}},
		{name: "PULL-PUSH", z: zring.Pull, peer: "PUSH",
			check: func(t *testing.T, z *zring.Socket, p *testpeer.Peer) {
				mid := strings.Repeat("y", 1000) // a 16-bit WebSocket length
				peerSend(p, "one", mid)
				require.Equal(t, frames("one", mid), recvMulti(t, z))
			}},
		{name: "PAIR-PAIR", z: zring.Pair, peer: "PAIR",
			check: func(t *testing.T, z *zring.Socket, p *testpeer.Peer) {
				require.NoError(t, z.Send([]byte("there"), 0))
				require.Equal(t, []string{"there"}, peerParts(t, p))
				peerSend(p, "back")
				require.Equal(t, frames("back"), recvMulti(t, z))
			}},
	}
}

func TestInteropWS(t *testing.T) {
	fx := newTLSFixture(t)
	for _, scheme := range []string{"ws", "wss"} {
		l := wsLink{scheme: scheme, fx: fx}
		for _, pr := range wsPairs() {
			for _, zringBinds := range []bool{true, false} {
				t.Run(fmt.Sprintf("%s/%s/zringBinds=%v", scheme, pr.name, zringBinds), func(t *testing.T) {
					c := newContext(t)
					z := newSocket(t, c, pr.z, append(l.zringOpts(zringBinds), pr.zOpts...)...)
					p := startDraftPeer(t, pr.peer)
					for _, o := range pr.peerOpts {
						p.MustDo("setsockopt " + o)
					}
					l.link(t, z, p, zringBinds)
					pr.check(t, z, p)
				})
			}
		}
	}
}
