//go:build linux

package zring_test

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/internal/testpeer"
)

// peerRecvGroup receives one message on a libzmq DISH: group and body.
func peerRecvGroup(t *testing.T, p *testpeer.Peer) (string, string, error) {
	t.Helper()
	out, err := p.Do("recvgroup")
	if err != nil {
		return "", "", err
	}
	g, body, ok := strings.Cut(out, " ")
	require.True(t, ok, out)
	return unhexOf(t, g), unhexOf(t, body), nil
}

func unhexOf(t *testing.T, h string) string {
	if h == "-" {
		return ""
	}
	b, err := hex.DecodeString(h)
	require.NoError(t, err)
	return string(b)
}

// awaitPeerGroup is awaitGroup for a libzmq DISH.
func awaitPeerGroup(t *testing.T, radio *zring.Socket, dish *testpeer.Peer, group string) {
	t.Helper()
	dish.MustDo("setsockopt RCVTIMEO 20")
	defer dish.MustDo("setsockopt RCVTIMEO 10000")
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		require.NoError(t, radio.SendGroup(group, []byte("probe"), 0))
		if g, body, err := peerRecvGroup(t, dish); err == nil {
			require.Equal(t, group+":probe", g+":"+body)
			return
		}
	}
	t.Fatalf("group %q never reached the libzmq DISH", group)
}

// peerGroupsUntil is groupsUntil for a libzmq DISH.
func peerGroupsUntil(t *testing.T, dish *testpeer.Peer, marker string) []string {
	t.Helper()
	var got []string
	for {
		g, body, err := peerRecvGroup(t, dish)
		require.NoError(t, err)
		switch {
		case body == marker:
			return got
		case body != "probe":
			got = append(got, g+":"+body)
		}
	}
}

// A zring RADIO and two libzmq 4.3.5 DISHes, and a libzmq RADIO and two
// zring DISHes, both bind directions, over tcp and ipc: JOIN reaches the
// RADIO and each DISH receives exactly the groups it joined.
func TestInteropRadioDish(t *testing.T) {
	for _, ep := range draftEndpoints() {
		for _, zringBinds := range []bool{true, false} {
			t.Run(fmt.Sprintf("zringRadio/%s/zringBinds=%v", ep[:3], zringBinds), func(t *testing.T) {
				c := newContext(t)
				radio := newSocket(t, c, zring.Radio)
				dishes := []*testpeer.Peer{startDraftPeer(t, "DISH"), startDraftPeer(t, "DISH")}
				for i, d := range dishes {
					for _, g := range dishJoins[i] {
						d.MustDo("join " + hexOf(g))
					}
				}
				linkDraft(t, radio, dishes, ep, zringBinds)
				for i, d := range dishes {
					for _, g := range dishJoins[i] {
						awaitPeerGroup(t, radio, d, g)
					}
				}
				for _, m := range radioGroups {
					require.NoError(t, radio.SendGroup(m[0], []byte(m[1]), 0))
				}
				require.NoError(t, radio.SendGroup("ab", []byte("end"), 0))
				require.NoError(t, radio.SendGroup("abc", []byte("end"), 0))
				for i, d := range dishes {
					assert.Equal(t, dishWants[i], peerGroupsUntil(t, d, "end"), "dish %d", i)
				}
			})
			t.Run(fmt.Sprintf("zringDish/%s/zringBinds=%v", ep[:3], zringBinds), func(t *testing.T) {
				c := newContext(t)
				radio := startDraftPeer(t, "RADIO")
				dishes := []*zring.Socket{newSocket(t, c, zring.Dish), newSocket(t, c, zring.Dish)}
				for i, d := range dishes {
					for _, g := range dishJoins[i] {
						require.NoError(t, d.Join(g))
					}
					if zringBinds {
						bindEp := ep
						if !strings.HasPrefix(ep, "tcp") {
							bindEp = fmt.Sprint(ep, "-", i)
						}
						require.NoError(t, d.Bind(bindEp))
						radio.MustDo("connect " + d.Endpoint())
					}
				}
				if !zringBinds {
					bound := radio.MustDo("bind " + ep)
					for _, d := range dishes {
						require.NoError(t, d.Connect(bound))
					}
				}
				send := func(group, body string) error {
					radio.MustDo("sendgroup " + hexOf(group) + " " + hexOf(body))
					return nil
				}
				checkGroups(t, send, dishes)
			})
		}
	}
}

// RADIO-DISH over udp with libzmq 4.3.5, each side in each role, unicast
// and multicast on loopback: libzmq's DISH binds, its RADIO connects, and
// the datagrams carry libzmq's group format both ways.
func TestInteropRadioDishUDP(t *testing.T) {
	endpoints := map[string]func(t *testing.T) string{
		"unicast":   func(t *testing.T) string { return fmt.Sprintf("udp://127.0.0.1:%d", freeUDPPort(t)) },
		"multicast": multicastEndpoint,
	}
	for name, endpoint := range endpoints {
		t.Run("zringRadio/"+name, func(t *testing.T) {
			c := newContext(t)
			ep := endpoint(t)
			dish := startDraftPeer(t, "DISH")
			for _, g := range []string{"ab", "x"} {
				dish.MustDo("join " + hexOf(g))
			}
			dish.MustDo("bind " + ep)
			radio := newSocket(t, c, zring.Radio)
			require.NoError(t, radio.Connect(ep))
			awaitPeerGroup(t, radio, dish, "ab")
			for _, m := range radioGroups {
				require.NoError(t, radio.SendGroup(m[0], []byte(m[1]), 0))
			}
			require.NoError(t, radio.SendGroup("ab", []byte("end"), 0))
			assert.Equal(t, []string{"ab:1", "x:4"}, peerGroupsUntil(t, dish, "end"))
		})
		t.Run("zringDish/"+name, func(t *testing.T) {
			c := newContext(t)
			ep := endpoint(t)
			dish := newSocket(t, c, zring.Dish)
			for _, g := range []string{"ab", "x"} {
				require.NoError(t, dish.Join(g))
			}
			require.NoError(t, dish.Bind(ep))
			radio := startDraftPeer(t, "RADIO")
			radio.MustDo("connect " + ep)
			send := func(group, body string) error {
				radio.MustDo("sendgroup " + hexOf(group) + " " + hexOf(body))
				return nil
			}
			awaitGroup(t, send, dish, "ab")
			for _, m := range radioGroups {
				require.NoError(t, send(m[0], m[1]))
			}
			require.NoError(t, send("ab", "end"))
			assert.Equal(t, []string{"ab:1", "x:4"}, groupsUntil(t, dish, "end"))
		})
	}
}

// DGRAM with a libzmq 4.3.5 DGRAM, both ways: each side receives the
// other's "ip:port" with the datagram and replies to it.
func TestInteropDgram(t *testing.T) {
	c := newContext(t)
	z := newSocket(t, c, zring.Dgram)
	require.NoError(t, z.Bind("udp://127.0.0.1:*"))
	zAddr := strings.TrimPrefix(z.Endpoint(), "udp://")
	peerAddr := fmt.Sprintf("127.0.0.1:%d", freeUDPPort(t))
	peer := startDraftPeer(t, "DGRAM")
	peer.MustDo("bind udp://" + peerAddr)

	// zring to libzmq: libzmq's address frame ends with a zero byte.
	// libzmq binds udp on its I/O thread after "bind" returns, so the
	// first datagrams may find no socket: resend until one arrives.
	peer.MustDo("setsockopt RCVTIMEO 20")
	var parts []string
	for deadline := time.Now().Add(10 * time.Second); parts == nil && time.Now().Before(deadline); {
		require.NoError(t, z.SendMulti([][]byte{[]byte(peerAddr), []byte("from zring")}, 0))
		if out, err := peer.Do("recvmulti"); err == nil {
			parts = strings.Fields(out)
		}
	}
	peer.MustDo("setsockopt RCVTIMEO 10000")
	require.Len(t, parts, 2)
	require.Equal(t, zAddr+"\x00", unhexOf(t, parts[0]))
	require.Equal(t, "from zring", unhexOf(t, parts[1]))

	// libzmq to zring, replying to the address it received.
	peer.MustDo("sendmulti " + parts[0] + " " + hexOf("from libzmq"))
	got, err := z.RecvMulti(0)
	require.NoError(t, err)
	require.Equal(t, [][]byte{[]byte(peerAddr), []byte("from libzmq")}, got)
}
