//go:build linux

package zring_test

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/internal/testpeer"
)

// Interop of the draft socket types with libzmq 4.3.5 built with the draft
// API (testpeer.StartDraft, `make peers`).

func startDraftPeer(t *testing.T, typ string) *testpeer.Peer {
	p := testpeer.StartDraft(t, typ)
	p.MustDo("setsockopt LINGER 2000")
	p.MustDo("setsockopt RCVTIMEO 10000")
	p.MustDo("setsockopt SNDTIMEO 10000")
	return p
}

// peerRecv receives one message on a draft peer: its routing id and body.
func peerRecv(t *testing.T, p *testpeer.Peer) (uint32, string) {
	t.Helper()
	id, body, ok := strings.Cut(p.MustDo("recv"), " ")
	require.True(t, ok)
	rid, err := strconv.ParseUint(id, 10, 32)
	require.NoError(t, err)
	if body == "-" {
		return uint32(rid), ""
	}
	b, err := hex.DecodeString(body)
	require.NoError(t, err)
	return uint32(rid), string(b)
}

func hexOf(s string) string {
	if s == "" {
		return "-"
	}
	return hex.EncodeToString([]byte(s))
}

// linkDraft binds z or the peers and connects the other, per zringBinds.
func linkDraft(t *testing.T, z *zring.Socket, peers []*testpeer.Peer, ep string, zringBinds bool) {
	t.Helper()
	if zringBinds {
		require.NoError(t, z.Bind(ep))
		for _, p := range peers {
			p.MustDo("connect " + z.Endpoint())
		}
		return
	}
	for i, p := range peers {
		bindEp := ep
		if strings.HasPrefix(ep, "ipc://") {
			bindEp = fmt.Sprintf("%s-%d", ep, i)
		}
		require.NoError(t, z.Connect(p.MustDo("bind "+bindEp)))
	}
}

func draftEndpoints() []string {
	return []string{"tcp://127.0.0.1:*", "ipc://@zring-draft-" + strconv.FormatInt(time.Now().UnixNano(), 36), "ws://127.0.0.1:*/zmq"}
}

// A zring SERVER and two libzmq CLIENTs: each request carries its client's
// routing id, and each reply, sent to that id, reaches that client only.
func TestInteropZringServerLibzmqClients(t *testing.T) {
	for _, ep := range draftEndpoints() {
		for _, zringBinds := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/zringBinds=%v", ep[:3], zringBinds), func(t *testing.T) {
				c := newContext(t)
				server := newSocket(t, c, zring.Server)
				clients := []*testpeer.Peer{startDraftPeer(t, "CLIENT"), startDraftPeer(t, "CLIENT")}
				linkDraft(t, server, clients, ep, zringBinds)
				const n = 20
				for i := range n {
					for k, cl := range clients {
						cl.MustDo("send " + hexOf(fmt.Sprintf("c%d-%d", k, i)))
					}
				}
				ids := serveEcho(t, server, n*len(clients))
				require.Len(t, ids, 2)
				require.NotEqual(t, ids["c0"], ids["c1"])
				for k, cl := range clients {
					for i := range n {
						_, body := peerRecv(t, cl)
						require.Equal(t, fmt.Sprintf("re:c%d-%d", k, i), body, "client %d", k)
					}
				}
			})
		}
	}
}

// Two zring CLIENTs and a libzmq SERVER: the server's routing ids tell
// them apart, and its replies reach the client each is addressed to.
func TestInteropZringClientsLibzmqServer(t *testing.T) {
	for _, ep := range draftEndpoints() {
		for _, zringBinds := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/zringBinds=%v", ep[:3], zringBinds), func(t *testing.T) {
				c := newContext(t)
				server := startDraftPeer(t, "SERVER")
				clients := []*zring.Socket{newSocket(t, c, zring.Client), newSocket(t, c, zring.Client)}
				if zringBinds {
					for k, cl := range clients {
						bindEp := ep
						if strings.HasPrefix(ep, "ipc://") {
							bindEp = fmt.Sprintf("%s-%d", ep, k)
						}
						require.NoError(t, cl.Bind(bindEp))
						server.MustDo("connect " + cl.Endpoint())
					}
				} else {
					bound := server.MustDo("bind " + ep)
					for _, cl := range clients {
						require.NoError(t, cl.Connect(bound))
					}
				}
				const n = 20
				ids := map[string]uint32{}
				for i := range n {
					for k, cl := range clients {
						require.NoError(t, cl.SendString(fmt.Sprintf("c%d-%d", k, i), 0))
					}
					for range clients {
						id, body := peerRecv(t, server)
						require.NotZero(t, id)
						name := body[:indexDash(body)]
						if seen, ok := ids[name]; ok {
							require.Equal(t, seen, id)
						}
						ids[name] = id
						server.MustDo(fmt.Sprintf("sendto %d %s", id, hexOf("re:"+body)))
					}
					for k, cl := range clients {
						got, err := cl.RecvString(0)
						require.NoError(t, err)
						require.Equal(t, fmt.Sprintf("re:c%d-%d", k, i), got)
					}
				}
				require.Len(t, ids, 2)
				require.NotEqual(t, ids["c0"], ids["c1"])
			})
		}
	}
}
