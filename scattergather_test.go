//go:build linux

package zring_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/internal/testpeer"
	"github.com/zring/zring/zmtp"
)

// A SCATTER spreads messages round-robin over its GATHERs, each message
// whole and once; multipart is refused on send and dropped on receive.
func TestScatterGather(t *testing.T) {
	c := newContext(t)
	// The SCATTER connects, so both pipes exist from the first message and
	// round-robin alternates exactly.
	scatter := newSocket(t, c, zring.Scatter)
	gathers := []*zring.Socket{newSocket(t, c, zring.Gather), newSocket(t, c, zring.Gather)}
	for _, g := range gathers {
		require.NoError(t, g.Bind("tcp://127.0.0.1:*"))
		require.NoError(t, scatter.Connect(g.Endpoint()))
	}
	require.ErrorIs(t, scatter.Send([]byte("a"), zring.SndMore), zring.ErrInvalid)
	const n = 100
	for i := range n {
		require.NoError(t, scatter.SendString(fmt.Sprint(i), 0))
	}
	for k, g := range gathers {
		for i := k; i < n; i += 2 {
			got, err := g.RecvString(0)
			require.NoError(t, err)
			require.Equal(t, fmt.Sprint(i), got, "gather %d", k)
		}
	}

	// A GATHER drops a multipart message whole, which no SCATTER sends.
	g := newSocket(t, c, zring.Gather)
	require.NoError(t, g.Bind("tcp://127.0.0.1:*"))
	requireDropsMultipart(t, g, zmtp.Scatter)
}

// zring SCATTER to two libzmq 4.3.5 GATHERs, and two libzmq SCATTERs to a
// zring GATHER, both bind directions, over tcp and ipc: every message
// arrives once.
func TestInteropScatterGather(t *testing.T) {
	const n = 40
	for _, ep := range draftEndpoints() {
		for _, zringBinds := range []bool{true, false} {
			t.Run(fmt.Sprintf("zringScatter/%s/zringBinds=%v", ep[:3], zringBinds), func(t *testing.T) {
				c := newContext(t)
				scatter := newSocket(t, c, zring.Scatter)
				gathers := []*testpeer.Peer{startDraftPeer(t, "GATHER"), startDraftPeer(t, "GATHER")}
				linkDraft(t, scatter, gathers, ep, zringBinds)
				if zringBinds {
					// Round-robin goes over the peers connected when each
					// message is sent: wait until both take one.
					requireBothConnected(t, scatter, gathers)
				}
				for i := range n {
					require.NoError(t, scatter.SendString(fmt.Sprint(i), 0))
				}
				seen := map[string]bool{}
				for k, g := range gathers {
					for range n / 2 {
						_, body := peerRecv(t, g)
						require.False(t, seen[body], "gather %d: %q twice", k, body)
						seen[body] = true
					}
				}
				require.Len(t, seen, n)
			})
			t.Run(fmt.Sprintf("zringGather/%s/zringBinds=%v", ep[:3], zringBinds), func(t *testing.T) {
				c := newContext(t)
				gather := newSocket(t, c, zring.Gather)
				scatters := []*testpeer.Peer{startDraftPeer(t, "SCATTER"), startDraftPeer(t, "SCATTER")}
				linkDraft(t, gather, scatters, ep, zringBinds)
				for i := range n {
					for k, s := range scatters {
						s.MustDo("send " + hexOf(fmt.Sprintf("s%d-%d", k, i)))
					}
				}
				seen := map[string]bool{}
				for range 2 * n {
					got, err := gather.RecvString(0)
					require.NoError(t, err)
					require.False(t, seen[got], "%q twice", got)
					seen[got] = true
				}
				require.Len(t, seen, 2*n)
			})
		}
	}
}

// requireBothConnected sends probes until each libzmq GATHER has one, then
// drains them.
func requireBothConnected(t *testing.T, scatter *zring.Socket, gathers []*testpeer.Peer) {
	t.Helper()
	for _, g := range gathers {
		g.MustDo("setsockopt RCVTIMEO 100")
	}
	for _, g := range gathers {
		for {
			require.NoError(t, scatter.SendString("probe", 0))
			if _, err := g.Do("recv"); err == nil {
				break
			}
		}
	}
	for _, g := range gathers {
		for {
			if _, err := g.Do("recv"); err != nil {
				break
			}
		}
		g.MustDo("setsockopt RCVTIMEO 10000")
	}
}
