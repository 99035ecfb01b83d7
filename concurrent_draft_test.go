//go:build linux

package zring_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

// Every draft type is safe for concurrent use: several goroutines send
// and receive on one socket at once (run under -race), each message stays
// whole, and routing ids and groups still reach the right peer.

// run starts n goroutines of f and returns a wait for them that fails the
// test on the first error.
func run(t *testing.T, n int, f func(g int) error) func() {
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for g := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(g); err != nil {
				errs <- err
			}
		}()
	}
	return func() {
		t.Helper()
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	}
}

// concurrentCtx bounds a concurrent run, so a lost message fails the test
// instead of hanging it.
func concurrentCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// Three goroutines serve one SERVER while each of four CLIENTs sends from
// one goroutine and receives from another: every reply reaches the client
// that asked, once.
func TestConcurrentClientServer(t *testing.T) {
	const clients, each = 4, 200
	ctx := concurrentCtx(t)
	c := newContext(t)
	server := newSocket(t, c, zring.Server)
	require.NoError(t, server.Bind("tcp://127.0.0.1:*"))
	var served atomic.Int64
	serveCtx, stop := context.WithCancel(ctx)
	serving := run(t, 3, func(int) error {
		for {
			req, err := server.RecvFrameContext(serveCtx, 0)
			if serveCtx.Err() != nil {
				return nil
			}
			if err != nil {
				return err
			}
			rep := zring.FrameOf(append([]byte("re:"), req.Bytes()...))
			rep.SetRoutingID(req.RoutingID())
			req.Release()
			if err := server.SendFrameContext(ctx, rep, 0); err != nil {
				return err
			}
			served.Add(1)
		}
	})
	var all []func()
	for i := range clients {
		cl := newSocket(t, c, zring.Client)
		require.NoError(t, cl.Connect(server.Endpoint()))
		all = append(all, run(t, 2, func(g int) error {
			if g == 0 {
				for n := range each {
					if err := cl.SendStringContext(ctx, fmt.Sprintf("c%d-%d", i, n), 0); err != nil {
						return err
					}
				}
				return nil
			}
			seen := map[string]bool{}
			for range each {
				got, err := cl.RecvStringContext(ctx, 0)
				if err != nil {
					return fmt.Errorf("client %d after %d replies: %w", i, len(seen), err)
				}
				if !strings.HasPrefix(got, fmt.Sprintf("re:c%d-", i)) || seen[got] {
					return fmt.Errorf("client %d got %q", i, got)
				}
				seen[got] = true
			}
			return nil
		}))
	}
	for _, wait := range all {
		wait()
	}
	stop()
	serving()
	require.EqualValues(t, clients*each, served.Load())
}

// Three goroutines send on one RADIO to two groups while two goroutines
// receive on each DISH, and a fifth joins and leaves other groups on it:
// each DISH gets exactly its group's messages.
func TestConcurrentRadioDish(t *testing.T) {
	const senders, each = 3, 200
	ctx := concurrentCtx(t)
	c := newContext(t)
	radio := newSocket(t, c, zring.Radio)
	require.NoError(t, radio.Bind("tcp://127.0.0.1:*"))
	groups := []string{"a", "b"}
	dishes := make([]*zring.Socket, len(groups))
	for i, g := range groups {
		dishes[i] = newSocket(t, c, zring.Dish)
		require.NoError(t, dishes[i].Join(g))
		require.NoError(t, dishes[i].Connect(radio.Endpoint()))
		awaitGroup(t, radioSender(radio), dishes[i], g)
	}
	sending := run(t, senders, func(s int) error {
		for n := range each {
			for _, g := range groups {
				if err := radio.SendGroupContext(ctx, g, fmt.Appendf(nil, "%d-%d", s, n), 0); err != nil {
					return err
				}
			}
		}
		return nil
	})
	var waits []func()
	for i, d := range dishes {
		var got atomic.Int64
		recvCtx, done := context.WithCancel(ctx)
		seen := sync.Map{}
		waits = append(waits, run(t, 3, func(r int) error {
			if r == 2 { // churn other groups' membership meanwhile
				for k := 0; recvCtx.Err() == nil; k++ {
					g := fmt.Sprint("other-", k%4)
					if err := d.Join(g); err != nil {
						return err
					}
					if err := d.Leave(g); err != nil {
						return err
					}
				}
				return nil
			}
			for {
				g, body, err := d.RecvGroupContext(recvCtx, 0)
				if recvCtx.Err() != nil {
					return nil
				}
				if err != nil {
					return err
				}
				if string(body) == "probe" {
					continue
				}
				if g != groups[i] {
					return fmt.Errorf("dish %d got group %q", i, g)
				}
				if _, dup := seen.LoadOrStore(string(body), true); dup {
					return fmt.Errorf("dish %d got %q twice", i, body)
				}
				if got.Add(1) == senders*each {
					done()
				}
			}
		}))
	}
	sending()
	for _, wait := range waits {
		wait()
	}
	require.NoError(t, ctx.Err(), "every message reached its DISH in time")
}

// Three goroutines send on one SCATTER and two receive on one GATHER, and
// two goroutines on each side of a CHANNEL send and receive at once: every
// message arrives once.
func TestConcurrentScatterGatherChannel(t *testing.T) {
	for _, pair := range [][2]zring.Type{{zring.Gather, zring.Scatter}, {zring.Channel, zring.Channel}} {
		t.Run(pair[0].String(), func(t *testing.T) {
			const senders, each = 3, 300
			ctx := concurrentCtx(t)
			bound, conn := bindConnect(t, newContext(t), pair[0], pair[1], nil, nil)
			var received sync.Map
			var count atomic.Int64
			recvCtx, done := context.WithCancel(ctx)
			receive := func(s *zring.Socket, total int64) func(int) error {
				return func(int) error {
					for {
						msg, err := s.RecvStringContext(recvCtx, 0)
						if recvCtx.Err() != nil {
							return nil
						}
						if err != nil {
							return err
						}
						if _, dup := received.LoadOrStore(msg, true); dup {
							return fmt.Errorf("%q arrived twice", msg)
						}
						if count.Add(1) == total {
							done()
						}
					}
				}
			}
			send := func(s *zring.Socket, side string) func(int) error {
				return func(g int) error {
					for n := range each {
						if err := s.SendStringContext(ctx, fmt.Sprintf("%s%d-%d", side, g, n), 0); err != nil {
							return err
						}
					}
					return nil
				}
			}
			var waits []func()
			if pair[0] == zring.Gather {
				waits = append(waits, run(t, senders, send(conn, "s")), run(t, 2, receive(bound, senders*each)))
			} else { // both ends of a CHANNEL send and receive
				total := int64(2 * 2 * each)
				waits = append(waits,
					run(t, 2, send(conn, "c")), run(t, 2, send(bound, "b")),
					run(t, 2, receive(conn, total)), run(t, 2, receive(bound, total)))
			}
			for _, wait := range waits {
				wait()
			}
			require.NoError(t, ctx.Err(), "every message arrived in time")
		})
	}
}

// Four goroutines each ConnectPeer on one PEER socket and send to their
// own routing id; the bound PEER answers the id each message came with,
// and each answer names the connection it was sent to.
func TestConcurrentPeer(t *testing.T) {
	const goroutines, each = 4, 100
	ctx := concurrentCtx(t)
	c := newContext(t)
	bound := newSocket(t, c, zring.Peer)
	require.NoError(t, bound.Bind("tcp://127.0.0.1:*"))
	conn := newSocket(t, c, zring.Peer)
	ids := make([]uint32, goroutines)
	connecting := run(t, goroutines, func(g int) error {
		id, err := conn.ConnectPeer(bound.Endpoint())
		ids[g] = id
		return err
	})
	connecting()
	echoCtx, stop := context.WithCancel(ctx)
	echo := run(t, 2, func(int) error {
		for {
			f, err := bound.RecvFrameContext(echoCtx, 0)
			if echoCtx.Err() != nil {
				return nil
			}
			if err != nil {
				return err
			}
			rep := zring.FrameOf(f.Bytes())
			rep.SetRoutingID(f.RoutingID())
			f.Release()
			if err := bound.SendFrameContext(ctx, rep, 0); err != nil {
				return err
			}
		}
	})
	sending := run(t, goroutines, func(g int) error {
		for n := range each {
			f := zring.FrameOf(fmt.Appendf(nil, "%d-%d", g, n))
			f.SetRoutingID(ids[g])
			if err := conn.SendFrameContext(ctx, f, 0); err != nil {
				return err
			}
		}
		return nil
	})
	for range goroutines * each {
		back, err := conn.RecvFrameContext(ctx, 0)
		require.NoError(t, err)
		var g, n int
		_, err = fmt.Sscanf(string(back.Bytes()), "%d-%d", &g, &n)
		require.NoError(t, err)
		require.Equal(t, ids[g], back.RoutingID(), "the answer came back on the connection it was sent to")
		back.Release()
	}
	sending()
	stop()
	echo()
}

// Three goroutines send on one DGRAM while another receives the echoes
// that two goroutines on the other DGRAM send back to each sender's
// address; a window keeps the datagrams in flight few enough that
// loopback loses none.
func TestConcurrentDgram(t *testing.T) {
	const senders, each, window = 3, 100, 16
	ctx := concurrentCtx(t)
	c := newContext(t)
	a, b := newSocket(t, c, zring.Dgram), newSocket(t, c, zring.Dgram)
	require.NoError(t, a.Bind("udp://127.0.0.1:*"))
	require.NoError(t, b.Bind("udp://127.0.0.1:*"))
	to := []byte(strings.TrimPrefix(b.Endpoint(), "udp://"))
	echoCtx, stop := context.WithCancel(ctx)
	echo := run(t, 2, func(int) error {
		for {
			parts, err := b.RecvMultiContext(echoCtx, 0)
			if echoCtx.Err() != nil {
				return nil
			}
			if err != nil {
				return err
			}
			if err := b.SendMultiContext(ctx, parts, 0); err != nil {
				return err
			}
		}
	})
	slots := make(chan struct{}, window)
	sending := run(t, senders, func(g int) error {
		for n := range each {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return ctx.Err()
			}
			if err := a.SendMultiContext(ctx, [][]byte{to, fmt.Appendf(nil, "%d-%d", g, n)}, 0); err != nil {
				return err
			}
		}
		return nil
	})
	seen := map[string]bool{}
	for range senders * each {
		parts, err := a.RecvMultiContext(ctx, 0)
		require.NoError(t, err, "after %d echoes", len(seen))
		require.Len(t, parts, 2)
		require.Equal(t, string(to), string(parts[0]), "the echo comes from b")
		require.False(t, seen[string(parts[1])], "%q twice", parts[1])
		seen[string(parts[1])] = true
		<-slots
	}
	sending()
	stop()
	echo()
}
