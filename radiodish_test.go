//go:build linux

package zring_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/zmtp"
)

// awaitGroup sends probes to group from send until recv, a DISH that joined
// it, receives one: JOIN travels to the RADIO asynchronously, as a
// subscription does. Probes that arrive late are drained by the caller's
// marker.
func awaitGroup(t *testing.T, send func(group, body string) error, recv *zring.Socket, group string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		require.NoError(t, send(group, "probe"))
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		g, body, err := recv.RecvGroupContext(ctx, 0)
		cancel()
		if err == nil {
			require.Equal(t, group, g)
			require.Equal(t, "probe", string(body))
			return
		}
	}
	t.Fatalf("group %q never reached the DISH", group)
}

// groupsUntil receives from dish until the message marker arrives and
// returns what came before it, probes left out.
func groupsUntil(t *testing.T, dish *zring.Socket, marker string) []string {
	t.Helper()
	var got []string
	for {
		g, body, err := dish.RecvGroup(0)
		require.NoError(t, err)
		switch {
		case string(body) == marker:
			return got
		case string(body) != "probe":
			got = append(got, g+":"+string(body))
		}
	}
}

// The groups of the RADIO-DISH runs: the first DISH joins "ab", the
// second "abc" and "x"; then each group below is sent once, and each DISH
// must get exactly its own.
var (
	radioGroups = [][2]string{{"ab", "1"}, {"abc", "2"}, {"a", "3"}, {"x", "4"}, {"", "5"}, {"abcd", "6"}}
	dishWants   = [][]string{{"ab:1"}, {"abc:2", "x:4"}}
	dishJoins   = [][]string{{"ab"}, {"abc", "x"}}
)

// checkGroups sends radioGroups with send to dishes, which joined
// dishJoins, once each has heard a probe, and requires each to receive
// exactly dishWants.
func checkGroups(t *testing.T, send func(group, body string) error, dishes []*zring.Socket) {
	t.Helper()
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
}

func radioSender(r *zring.Socket) func(group, body string) error {
	return func(group, body string) error { return r.SendGroup(group, []byte(body), 0) }
}

// A RADIO reaches exactly the DISHes that joined a message's group: "ab"
// is not a prefix match for "abc", a group nobody joined goes nowhere, and
// a group left is no longer received. Over tcp, ipc and inproc, whichever
// side binds.
func TestRadioDish(t *testing.T) {
	for _, ep := range []string{"tcp://127.0.0.1:*", "ipc://@zring-rd-" + fmt.Sprint(time.Now().UnixNano()), "inproc://rd"} {
		for _, dishBinds := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/dishBinds=%v", ep[:3], dishBinds), func(t *testing.T) {
				c := newContext(t)
				radio := newSocket(t, c, zring.Radio)
				dishes := []*zring.Socket{newSocket(t, c, zring.Dish), newSocket(t, c, zring.Dish)}
				for i, d := range dishes {
					for _, g := range dishJoins[i] {
						require.NoError(t, d.Join(g))
					}
				}
				if dishBinds {
					for i, d := range dishes {
						bindEp := ep
						if ep[:3] != "tcp" {
							bindEp = fmt.Sprint(ep, i)
						}
						require.NoError(t, d.Bind(bindEp))
						require.NoError(t, radio.Connect(d.Endpoint()))
					}
				} else {
					require.NoError(t, radio.Bind(ep))
					for _, d := range dishes {
						require.NoError(t, d.Connect(radio.Endpoint()))
					}
				}
				send := radioSender(radio)
				checkGroups(t, send, dishes)

				require.NoError(t, dishes[1].Leave("x"))
				require.NoError(t, send("x", "after leave"))
				require.NoError(t, send("abc", "end"))
				assert.Empty(t, groupsUntil(t, dishes[1], "end"), "a group left")
			})
		}
	}
}

// A DISH that reconnects tells its new RADIO every group it joined.
func TestDishRejoinsOnReconnect(t *testing.T) {
	c := newContext(t)
	radio := newSocket(t, c, zring.Radio)
	require.NoError(t, radio.Bind("tcp://127.0.0.1:*"))
	ep := radio.Endpoint()
	dish := newSocket(t, c, zring.Dish, zring.WithReconnectIvl(10*time.Millisecond))
	require.NoError(t, dish.Join("g"))
	require.NoError(t, dish.Connect(ep))
	awaitGroup(t, radioSender(radio), dish, "g")

	require.NoError(t, radio.Close())
	again := newSocket(t, c, zring.Radio)
	// The old listener closes on its I/O thread, just after Close returns.
	require.Eventually(t, func() bool { return again.Bind(ep) == nil }, 5*time.Second, 5*time.Millisecond)
	awaitGroup(t, radioSender(again), dish, "g")
}

// The RADIO and DISH rules of use, each an errors.Is sentinel.
func TestRadioDishMisuse(t *testing.T) {
	c := newContext(t)
	radio := newSocket(t, c, zring.Radio)
	dish := newSocket(t, c, zring.Dish)
	long := strings.Repeat("g", zmtp.MaxGroupLen+1)

	require.ErrorIs(t, radio.SendString("no group", 0), zring.ErrInvalid, "a RADIO message is a group and a body")
	require.ErrorIs(t, radio.SendGroup(long, nil, 0), zring.ErrInvalid)
	require.NoError(t, radio.SendGroup(long[1:], nil, 0), "255 bytes is a group")
	require.ErrorIs(t, radio.SendMulti([][]byte{[]byte("g"), []byte("a"), []byte("b")}, 0), zring.ErrInvalid)
	require.NoError(t, radio.SendMulti([][]byte{[]byte("g"), []byte("body")}, 0))
	_, err := radio.Recv(zring.DontWait)
	require.ErrorIs(t, err, zring.ErrNotSupported)
	require.ErrorIs(t, radio.Join("g"), zring.ErrNotSupported)

	require.NoError(t, dish.Join("g"))
	require.ErrorIs(t, dish.Join("g"), zring.ErrInvalid, "joined twice")
	require.ErrorIs(t, dish.Leave("h"), zring.ErrInvalid, "never joined")
	require.ErrorIs(t, dish.Join(long), zring.ErrInvalid)
	require.NoError(t, dish.Join(long[1:]))
	require.ErrorIs(t, dish.SendString("x", zring.DontWait), zring.ErrNotSupported)
	require.ErrorIs(t, dish.SendGroup("g", nil, 0), zring.ErrNotSupported)
	_, _, err = radio.RecvGroup(zring.DontWait)
	require.ErrorIs(t, err, zring.ErrNotSupported)

	push := newSocket(t, c, zring.Push)
	require.ErrorIs(t, push.Join("g"), zring.ErrNotSupported)
}

// RecvGroup in the middle of a message begun with RecvFrame refuses with
// ErrState and takes nothing: the body is still there for RecvFrame.
func TestRecvGroupAfterPartialRecv(t *testing.T) {
	c := newContext(t)
	dish := newSocket(t, c, zring.Dish)
	require.NoError(t, dish.Join("g"))
	require.NoError(t, dish.Bind("inproc://partial-group"))
	radio := newSocket(t, c, zring.Radio)
	require.NoError(t, radio.Connect("inproc://partial-group"))
	awaitGroup(t, radioSender(radio), dish, "g")
	require.NoError(t, radio.SendGroup("g", []byte("body"), 0))
	require.NoError(t, radio.SendGroup("g", []byte("next"), 0))

	g, err := dish.RecvFrame(0)
	require.NoError(t, err)
	require.Equal(t, "g", string(g.Bytes()))
	require.True(t, g.More())
	g.Release()
	_, _, err = dish.RecvGroup(zring.DontWait)
	require.ErrorIs(t, err, zring.ErrState)
	body, err := dish.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "body", body, "nothing of the message was lost")
	group, next, err := dish.RecvGroup(0)
	require.NoError(t, err)
	require.Equal(t, "g:next", group+":"+string(next))
}

// A RADIO peer that sends a DISH anything but a group and a body, or a
// DISH peer that joins a group longer than 255 bytes, loses its own
// connection with a protocol error; the socket keeps serving its good peer.
func TestHostileRadioDish(t *testing.T) {
	c := newContext(t)
	dish := newSocket(t, c, zring.Dish)
	m := monitor(t, dish)
	require.NoError(t, dish.Join("g"))
	require.NoError(t, dish.Bind("tcp://127.0.0.1:*"))
	good := newSocket(t, c, zring.Radio)
	require.NoError(t, good.Connect(dish.Endpoint()))
	awaitGroup(t, radioSender(good), dish, "g")

	group := func(b []byte, g string, more bool) []byte {
		flags := byte(0)
		if more {
			flags = zmtp.FlagMore
		}
		return append(zmtp.AppendFrameHeader(b, flags, len(g)), g...)
	}
	for name, msg := range map[string][]byte{
		"one frame":    group(nil, "g", false),
		"three frames": group(group(group(nil, "g", true), "a", true), "b", false),
		"long group":   group(group(nil, strings.Repeat("g", 256), true), "b", false),
		// Refused by its header alone: no byte of the gigabyte is sent.
		"huge group claim": zmtp.AppendFrameHeader(nil, zmtp.FlagMore, 1<<30),
	} {
		bad := dialRaw(t, dish.Endpoint())
		bad.handshake(zmtp.Radio)
		bad.write(msg)
		ev := nextEventOf(t, dish, m, zring.EventDisconnected)
		assert.ErrorIs(t, ev.Err, zmtp.ErrBadGroup, name)
		bad.requireClosed()
		require.NoError(t, good.SendGroup("g", []byte("still"), 0))
		g, body, err := dish.RecvGroup(0)
		require.NoError(t, err)
		require.Equal(t, "g:still", g+":"+string(body), name)
	}

	radio := newSocket(t, c, zring.Radio)
	rm := monitor(t, radio)
	require.NoError(t, radio.Bind("tcp://127.0.0.1:*"))
	bad := dialRaw(t, radio.Endpoint())
	bad.handshake(zmtp.Dish)
	// Data from a DISH is dropped, not read as a JOIN.
	bad.write(group(nil, "\x01g", false))
	bad.write(zmtp.AppendMembership(nil, true, []byte(strings.Repeat("g", 256))))
	ev := nextEventOf(t, radio, rm, zring.EventDisconnected)
	assert.ErrorIs(t, ev.Err, zmtp.ErrBadGroup)
	bad.requireClosed()
}

// The RADIO itself filters: a raw DISH peer that joined "ab" is sent
// nothing for "abc" or "a", and each message as the group then the body.
func TestRadioFiltersAtTheSender(t *testing.T) {
	c := newContext(t)
	radio := newSocket(t, c, zring.Radio)
	require.NoError(t, radio.Bind("tcp://127.0.0.1:*"))
	p := dialRaw(t, radio.Endpoint())
	p.handshake(zmtp.Dish)
	// "gone" is joined and left before "ab" is joined: once "ab" arrives,
	// the LEAVE has been applied too (commands apply in order), though a
	// probe between the JOIN and the LEAVE of "gone" may have reached it.
	p.write(zmtp.AppendMembership(nil, true, []byte("gone")))
	p.write(zmtp.AppendMembership(nil, false, []byte("gone")))
	p.write(zmtp.AppendMembership(nil, true, []byte("ab")))
	frames := p.dataFrames()
	// Until the JOIN is in, the RADIO sends "ab" to no one: probe.
	var first [][]byte
	for deadline := time.Now().Add(10 * time.Second); first == nil && time.Now().Before(deadline); {
		for _, g := range []string{"abc", "a", "gone", "ab"} {
			require.NoError(t, radio.SendGroup(g, []byte("to "+g), 0))
		}
	drain:
		for {
			select {
			case msg := <-frames:
				if string(msg[0]) == "gone" {
					continue // sent while "gone" was joined
				}
				first = msg
				break drain
			case <-time.After(20 * time.Millisecond):
				break drain
			}
		}
	}
	require.Equal(t, [][]byte{[]byte("ab"), []byte("to ab")}, first)
	require.NoError(t, radio.SendGroup("ab", []byte("end"), 0))
	for msg := range frames {
		require.Equal(t, "ab", string(msg[0]), "only the joined group")
		if string(msg[1]) == "end" {
			return
		}
	}
	t.Fatal("connection closed before the end")
}

// dataFrames reads the peer's data messages (commands skipped) in the
// background and sends each, as its frames, until the connection ends.
func (p *rawPeer) dataFrames() <-chan [][]byte {
	out := make(chan [][]byte, 1024)
	go func() {
		defer close(out)
		dec := zmtp.NewDecoder(-1)
		var body []byte
		var msg [][]byte
		buf := make([]byte, 4096)
		for {
			n, err := p.conn.Read(buf)
			if err != nil {
				return
			}
			for in, ev := buf[:n], zmtp.EventHeader; ev != zmtp.EventNone; {
				var used int
				var h zmtp.Header
				if used, h, ev, err = dec.Decode(in); err != nil {
					return
				}
				in = in[used:]
				switch {
				case ev == zmtp.EventHeader:
					body = make([]byte, h.Size)
					dec.SetBody(body)
				case ev == zmtp.EventFrame && !h.Command():
					msg = append(msg, body)
					if !h.More() {
						out <- msg
						msg = nil
					}
				}
			}
		}
	}()
	return out
}
