//go:build linux

package zring_test

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/zmtp"
)

// freeUDPPort returns a udp port nothing on 127.0.0.1 holds now, for a
// multicast group, whose members all bind the same port.
func freeUDPPort(t *testing.T) int {
	t.Helper()
	c, err := net.ListenPacket("udp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// multicastEndpoint is a group on the loopback interface, which needs no
// network: "udp://127.0.0.1;239.x.y.z:port".
func multicastEndpoint(t *testing.T) string {
	n := time.Now().UnixNano()
	return fmt.Sprintf("udp://127.0.0.1;239.%d.%d.%d:%d", n>>16&0xff, n>>8&0xff, 1+n&0x7f, freeUDPPort(t))
}

// A RADIO sends every group to a udp endpoint and each DISH keeps exactly
// the groups it joined: unicast to one DISH, and multicast on loopback to
// two DISHes bound to the same group.
func TestRadioDishUDP(t *testing.T) {
	t.Run("unicast", func(t *testing.T) {
		c := newContext(t)
		dish := newSocket(t, c, zring.Dish)
		require.NoError(t, dish.Join("ab"))
		require.NoError(t, dish.Join("x"))
		require.NoError(t, dish.Bind("udp://127.0.0.1:*"))
		require.True(t, strings.HasPrefix(dish.Endpoint(), "udp://127.0.0.1:"), dish.Endpoint())
		require.NotEqual(t, "udp://127.0.0.1:0", dish.Endpoint())
		radio := newSocket(t, c, zring.Radio)
		require.NoError(t, radio.Connect(dish.Endpoint()))
		send := radioSender(radio)
		awaitGroup(t, send, dish, "ab")
		for _, m := range radioGroups {
			require.NoError(t, send(m[0], m[1]))
		}
		require.NoError(t, send("ab", "end"))
		assert.Equal(t, []string{"ab:1", "x:4"}, groupsUntil(t, dish, "end"))
	})
	t.Run("multicast", func(t *testing.T) {
		c := newContext(t)
		ep := multicastEndpoint(t)
		dishes := []*zring.Socket{newSocket(t, c, zring.Dish), newSocket(t, c, zring.Dish)}
		for i, d := range dishes {
			for _, g := range dishJoins[i] {
				require.NoError(t, d.Join(g))
			}
			require.NoError(t, d.Bind(ep))
		}
		radio := newSocket(t, c, zring.Radio)
		require.NoError(t, radio.Connect(ep))
		checkGroups(t, radioSender(radio), dishes)
	})
}

// Two DGRAMs exchange datagrams: each message is the peer's "ip:port" and
// the body, and a reply goes to the address received.
func TestDgram(t *testing.T) {
	c := newContext(t)
	a, b := newSocket(t, c, zring.Dgram), newSocket(t, c, zring.Dgram)
	require.NoError(t, a.Bind("udp://127.0.0.1:*"))
	require.NoError(t, b.Bind("udp://127.0.0.1:*"))
	addrOf := func(s *zring.Socket) string { return strings.TrimPrefix(s.Endpoint(), "udp://") }

	require.NoError(t, a.SendMulti([][]byte{[]byte(addrOf(b)), []byte("hello")}, 0))
	got, err := b.RecvMulti(0)
	require.NoError(t, err)
	require.Equal(t, [][]byte{[]byte(addrOf(a)), []byte("hello")}, got)
	// libzmq's address frame ends with a zero byte; either form is sent to.
	require.NoError(t, b.SendMulti([][]byte{append(got[0], 0), []byte("re:hello")}, 0))
	got, err = a.RecvMulti(0)
	require.NoError(t, err)
	require.Equal(t, [][]byte{[]byte(addrOf(b)), []byte("re:hello")}, got)

	// A single part, or three, is ErrInvalid; an address that does not
	// parse is dropped, and the next message goes.
	require.ErrorIs(t, a.SendString("no address", 0), zring.ErrInvalid)
	require.ErrorIs(t, a.SendMulti([][]byte{[]byte(addrOf(b)), []byte("x"), []byte("y")}, 0), zring.ErrInvalid)
	for _, bad := range []string{"", "127.0.0.1", "127.0.0.1:0", "256.0.0.1:5", "1.2.3:4", "[::1]:5", "host:5"} {
		require.NoError(t, a.SendMulti([][]byte{[]byte(bad), []byte("lost")}, 0), bad)
	}
	require.NoError(t, a.SendMulti([][]byte{[]byte(addrOf(b)), []byte("after")}, 0))
	got, err = b.RecvMulti(0)
	require.NoError(t, err)
	require.Equal(t, "after", string(got[1]))
}

// udp:// is for RADIO (connect), DISH and DGRAM (bind) only; Unbind ends a
// udp bind.
func TestUDPRules(t *testing.T) {
	c := newContext(t)
	for _, typ := range []zring.Type{zring.Push, zring.Pub, zring.Server} {
		s := newSocket(t, c, typ)
		require.ErrorIs(t, s.Bind("udp://127.0.0.1:*"), zring.ErrNotSupported, "%v", typ)
		require.ErrorIs(t, s.Connect("udp://127.0.0.1:5555"), zring.ErrNotSupported, "%v", typ)
	}
	require.ErrorIs(t, newSocket(t, c, zring.Radio).Bind("udp://127.0.0.1:*"), zring.ErrNotSupported)
	require.ErrorIs(t, newSocket(t, c, zring.Dish).Connect("udp://127.0.0.1:5555"), zring.ErrNotSupported)
	require.ErrorIs(t, newSocket(t, c, zring.Dgram).Connect("udp://127.0.0.1:5555"), zring.ErrNotSupported)
	for _, bad := range []string{"udp://127.0.0.1", "udp://127.0.0.1;127.0.0.2:5555", "udp://nosuchif0;239.0.0.1:5555", "udp://239.0.0.1:*"} {
		require.ErrorIs(t, newSocket(t, c, zring.Dish).Bind(bad), zring.ErrEndpoint, bad)
	}

	dish := newSocket(t, c, zring.Dish)
	require.NoError(t, dish.Join("g"))
	require.NoError(t, dish.Bind("udp://127.0.0.1:*"))
	ep := dish.Endpoint()
	radio := newSocket(t, c, zring.Radio)
	require.NoError(t, radio.Connect(ep))
	awaitGroup(t, radioSender(radio), dish, "g")
	require.NoError(t, dish.Unbind(ep))
	require.ErrorIs(t, dish.Unbind(ep), zring.ErrEndpoint)
	require.NoError(t, radio.Disconnect(ep))
	require.ErrorIs(t, radio.Disconnect(ep), zring.ErrEndpoint)
}

// Datagrams that are not libzmq's RADIO form are ignored; the DISH keeps
// receiving good ones.
func TestHostileDatagrams(t *testing.T) {
	c := newContext(t)
	dish := newSocket(t, c, zring.Dish)
	require.NoError(t, dish.Join("g"))
	require.NoError(t, dish.Bind("udp://127.0.0.1:*"))
	conn, err := net.Dial("udp", strings.TrimPrefix(dish.Endpoint(), "udp://"))
	require.NoError(t, err)
	defer conn.Close()
	good, err := zmtp.AppendDatagram(nil, []byte("g"), []byte("good"))
	require.NoError(t, err)
	for _, d := range [][]byte{{}, {5, 'g'}, {255}, append([]byte{1, 'g'}, make([]byte, 60000)...), good} {
		_, err := conn.Write(d)
		require.NoError(t, err)
	}
	for {
		g, body, err := dish.RecvGroup(0)
		require.NoError(t, err)
		require.Equal(t, "g", g)
		if string(body) == "good" {
			return
		}
		require.Len(t, body, 60000, "the one other well-formed datagram")
	}
}
