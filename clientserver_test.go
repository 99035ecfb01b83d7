//go:build linux

package zring_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/zmtp"
)

// serveEcho answers n requests on server with "re:" and the request, each
// to the routing id it came from, and returns the routing id seen for each
// request's prefix (the text before its '-').
func serveEcho(t *testing.T, server *zring.Socket, n int) map[string]uint32 {
	t.Helper()
	ids := map[string]uint32{}
	for range n {
		req, err := server.RecvFrame(0)
		require.NoError(t, err)
		id := req.RoutingID()
		require.NotZero(t, id, "a received message names its peer")
		body := string(req.Bytes())
		req.Release()
		name := body[:len(body)-len(body[indexDash(body):])]
		if seen, ok := ids[name]; ok {
			require.Equal(t, seen, id, "one peer, one routing id")
		}
		ids[name] = id
		rep := zring.FrameOf([]byte("re:" + body))
		rep.SetRoutingID(id)
		require.NoError(t, server.SendFrame(rep, 0))
	}
	return ids
}

func indexDash(s string) int {
	for i := range s {
		if s[i] == '-' {
			return i
		}
	}
	return len(s)
}

// requestAll sends n requests "name-i" and requires each reply to be its
// own, in order: a reply routed to the wrong client fails here.
func requestAll(client *zring.Socket, name string, n int) error {
	for i := range n {
		req := fmt.Sprintf("%s-%d", name, i)
		if err := client.SendString(req, 0); err != nil {
			return err
		}
		got, err := client.RecvString(0)
		if err != nil {
			return err
		}
		if got != "re:"+req {
			return fmt.Errorf("%s got %q, want %q", name, got, "re:"+req)
		}
	}
	return nil
}

// A SERVER tells its CLIENTs apart by routing id and replies to each one
// only, over tcp, ipc and inproc, whichever side binds.
func TestClientServer(t *testing.T) {
	for _, ep := range []string{"tcp://127.0.0.1:*", "ipc://@zring-cs-" + fmt.Sprint(time.Now().UnixNano()), "inproc://cs"} {
		for _, serverBinds := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/serverBinds=%v", ep[:3], serverBinds), func(t *testing.T) {
				c := newContext(t)
				server := newSocket(t, c, zring.Server)
				clients := []*zring.Socket{newSocket(t, c, zring.Client), newSocket(t, c, zring.Client)}
				if serverBinds {
					require.NoError(t, server.Bind(ep))
					for _, cl := range clients {
						require.NoError(t, cl.Connect(server.Endpoint()))
					}
				} else {
					bindEp := ep
					for i, cl := range clients {
						if ep[:3] != "tcp" {
							bindEp = fmt.Sprintf("%s-%d", ep, i)
						}
						require.NoError(t, cl.Bind(bindEp))
						require.NoError(t, server.Connect(cl.Endpoint()))
					}
				}
				const n = 50
				errc := make(chan error, len(clients))
				for i, cl := range clients {
					go func() { errc <- requestAll(cl, fmt.Sprint("c", i), n) }()
				}
				ids := serveEcho(t, server, n*len(clients))
				for range clients {
					require.NoError(t, <-errc)
				}
				require.Len(t, ids, 2)
				require.NotEqual(t, ids["c0"], ids["c1"], "two clients, two routing ids")
			})
		}
	}
}

// CLIENT and SERVER refuse what RFC 41 rules out, with sentinels.
func TestClientServerMisuse(t *testing.T) {
	c := newContext(t)
	server := newSocket(t, c, zring.Server)
	require.NoError(t, server.Bind("inproc://misuse"))
	client := newSocket(t, c, zring.Client)
	require.NoError(t, client.Connect("inproc://misuse"))

	require.ErrorIs(t, client.Send([]byte("a"), zring.SndMore), zring.ErrInvalid, "multipart")
	require.ErrorIs(t, client.SendMulti([][]byte{[]byte("a"), []byte("b")}, 0), zring.ErrInvalid)
	require.ErrorIs(t, server.Send([]byte("no id"), 0), zring.ErrHostUnreachable, "routing id 0")
	f := zring.FrameOf([]byte("nobody"))
	f.SetRoutingID(12345)
	require.ErrorIs(t, server.SendFrame(f, 0), zring.ErrHostUnreachable, "unknown peer")
	f.Release()

	// The client still works after the refusals.
	require.NoError(t, client.SendString("hi", 0))
	req, err := server.RecvFrame(0)
	require.NoError(t, err)
	require.Equal(t, "hi", string(req.Bytes()))
	req.SetLen(0)
	require.NoError(t, server.SendFrame(req, 0))
	got, err := client.Recv(0)
	require.NoError(t, err)
	require.Empty(t, got)
}

// A SERVER waits at a peer's high-water mark rather than dropping: with
// DontWait it is ErrAgain, with a context it is the context's error.
func TestServerBlocksAtHWM(t *testing.T) {
	c := newContext(t)
	server := newSocket(t, c, zring.Server, zring.WithSndHWM(4))
	require.NoError(t, server.Bind("inproc://hwm"))
	client := newSocket(t, c, zring.Client, zring.WithRcvHWM(4))
	require.NoError(t, client.Connect("inproc://hwm"))
	require.NoError(t, client.SendString("hello", 0))
	req, err := server.RecvFrame(0)
	require.NoError(t, err)
	id := req.RoutingID()
	req.Release()
	sent := 0
	for ; sent < 100; sent++ {
		f := zring.FrameOf([]byte{byte(sent)})
		f.SetRoutingID(id)
		if err := server.SendFrame(f, zring.DontWait); err != nil {
			f.Release()
			require.ErrorIs(t, err, zring.ErrAgain)
			break
		}
	}
	require.Less(t, sent, 100, "never blocked")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	f := zring.FrameOf([]byte("late"))
	f.SetRoutingID(id)
	require.ErrorIs(t, server.SendFrameContext(ctx, f, 0), context.DeadlineExceeded)
	f.Release()
	for i := range sent {
		got, err := client.Recv(0)
		require.NoError(t, err)
		require.Equal(t, []byte{byte(i)}, got, "nothing dropped")
	}
}

// A multipart message, which no CLIENT sends, is dropped whole by a SERVER,
// which goes on with the next message.
func TestServerDropsMultipart(t *testing.T) {
	c := newContext(t)
	server := newSocket(t, c, zring.Server)
	require.NoError(t, server.Bind("tcp://127.0.0.1:*"))
	requireDropsMultipart(t, server, zmtp.Client)
}

// Version and Has answer as zmq_version and zmq_has do.
func TestVersionHas(t *testing.T) {
	major, minor, patch := zring.Version()
	require.Equal(t, [3]int{4, 3, 5}, [3]int{major, minor, patch})
	require.True(t, zring.Has("curve"))
	require.True(t, zring.Has("ipc"))
	// "draft" promises every draft socket type, "udp" its transport.
	require.True(t, zring.Has("draft"))
	ctx := newContext(t)
	for _, typ := range []zring.Type{zring.Client, zring.Server, zring.Radio, zring.Dish, zring.Scatter,
		zring.Gather, zring.Dgram, zring.Peer, zring.Channel} {
		newSocket(t, ctx, typ)
	}
	require.True(t, zring.Has("udp"))
	require.NoError(t, newSocket(t, ctx, zring.Dish).Bind("udp://127.0.0.1:*"))
	// "ws" and "wss" promise both transports.
	require.True(t, zring.Has("ws"))
	require.True(t, zring.Has("wss"))
	require.NoError(t, newSocket(t, ctx, zring.Pair).Bind("ws://127.0.0.1:*"))
	require.ErrorIs(t, newSocket(t, ctx, zring.Pair).Bind("wss://127.0.0.1:*"), zring.ErrInvalid, "wss binds need a certificate")
	for _, name := range []string{"pgm", "tipc", "norm", "gssapi", "nonsense", ""} {
		require.False(t, zring.Has(name), name)
	}
	c, err := zring.NewContext(zring.WithPoller(zring.PollerUring))
	if err == nil {
		c.Close()
	}
	require.Equal(t, err == nil, zring.Has("uring"), "uring: a context on io_uring opens (%v)", err)
}
