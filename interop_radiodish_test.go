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

// The groups of the RADIO-DISH interop runs: the first DISH joins "ab",
// the second "abc" and "x"; then each group below is sent once, and each
// DISH must get exactly its own.
var (
	radioGroups = [][2]string{{"ab", "1"}, {"abc", "2"}, {"a", "3"}, {"x", "4"}, {"", "5"}, {"abcd", "6"}}
	dishWants   = [][]string{{"ab:1"}, {"abc:2", "x:4"}}
	dishJoins   = [][]string{{"ab"}, {"abc", "x"}}
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
				for i, d := range dishes {
					for _, g := range dishJoins[i] {
						awaitGroup(t, send, d, g)
					}
				}
				for _, m := range radioGroups {
					require.NoError(t, send(m[0], m[1]))
				}
				require.NoError(t, send("ab", "end"))
				require.NoError(t, send("abc", "end"))
				for i, d := range dishes {
					assert.Equal(t, dishWants[i], groupsUntil(t, d, "end"), "dish %d", i)
				}
			})
		}
	}
}
