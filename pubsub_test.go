//go:build linux

package zring_test

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/zmtp"
)

// publishUntil sends msg from pub until sub receives it, to ride out the
// subscription's trip upstream (the "slow joiner"). Other messages arriving
// meanwhile are skipped.
func publishUntil(t *testing.T, pub, sub *zring.Socket, msg ...string) [][]byte {
	t.Helper()
	want := frames(msg...)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		require.NoError(t, pub.SendMulti(want, 0))
		time.Sleep(2 * time.Millisecond)
		for {
			got, err := sub.RecvMultiContext(t.Context(), zring.DontWait)
			if err != nil {
				break
			}
			if assert.ObjectsAreEqual(want, got) {
				return got
			}
		}
	}
	t.Fatal("subscription never took effect")
	return nil
}

// drain receives until nothing arrives for a short while.
func drain(s *zring.Socket) {
	for {
		time.Sleep(20 * time.Millisecond)
		if _, err := s.RecvMulti(zring.DontWait); err != nil {
			return
		}
	}
}

func pubSub(t *testing.T, pubType, subType zring.Type, pubOpts, subOpts []zring.Option) (pub, sub *zring.Socket) {
	c := newContext(t)
	return bindConnect(t, c, pubType, subType, pubOpts, subOpts)
}

func TestPubSubTopicFiltering(t *testing.T) {
	pub, sub := pubSub(t, zring.Pub, zring.Sub, nil, []zring.Option{zring.WithRcvTimeout(300 * time.Millisecond)})
	require.NoError(t, sub.Subscribe("weather"))
	assert.Equal(t, frames("weather", "sunny"), publishUntil(t, pub, sub, "weather", "sunny"))
	drain(sub)
	require.NoError(t, pub.SendMulti(frames("sports", "lost"), 0))
	require.NoError(t, pub.SendMulti(frames("weathe", "too short"), 0))
	require.NoError(t, pub.SendMulti(frames("weather.eu", "rain"), 0))
	assert.Equal(t, frames("weather.eu", "rain"), recvMulti(t, sub), "only matching prefixes arrive")
	_, err := sub.Recv(0)
	require.ErrorIs(t, err, zring.ErrTimeout)
}

func TestPubSubEmptyTopicMatchesAll(t *testing.T) {
	pub, sub := pubSub(t, zring.Pub, zring.Sub, nil, nil)
	require.NoError(t, sub.Subscribe(""))
	publishUntil(t, pub, sub, "x")
	require.NoError(t, pub.Send([]byte{}, 0))
	require.NoError(t, pub.Send([]byte("anything"), 0))
	for {
		got := recvMulti(t, sub)
		if string(got[0]) != "x" {
			assert.Equal(t, [][]byte{{}}, got)
			break
		}
	}
	assert.Equal(t, frames("anything"), recvMulti(t, sub))
}

// libzmq's rule (zmtp.md item 39): subscriptions are counted, and the topic
// stays until unsubscribed as often as subscribed.
func TestPubSubDuplicateSubscriptionsCounted(t *testing.T) {
	pub, sub := pubSub(t, zring.Pub, zring.Sub, nil, []zring.Option{zring.WithRcvTimeout(300 * time.Millisecond)})
	require.NoError(t, sub.Subscribe("A"))
	require.NoError(t, sub.Subscribe("A"))
	publishUntil(t, pub, sub, "A")
	require.NoError(t, sub.Unsubscribe("A"))
	time.Sleep(50 * time.Millisecond)
	drain(sub)
	require.NoError(t, pub.Send([]byte("A still"), 0))
	assert.Equal(t, frames("A still"), recvMulti(t, sub))

	require.NoError(t, sub.Unsubscribe("A"))
	time.Sleep(100 * time.Millisecond)
	drain(sub)
	require.NoError(t, pub.Send([]byte("A gone"), 0))
	_, err := sub.Recv(0)
	require.ErrorIs(t, err, zring.ErrTimeout, "the last unsubscribe stops delivery")
}

func TestPubNeverBlocks(t *testing.T) {
	pub, sub := pubSub(t, zring.Pub, zring.Sub, []zring.Option{zring.WithSndHWM(8)}, []zring.Option{zring.WithRcvHWM(8)})
	require.NoError(t, sub.Subscribe(""))
	publishUntil(t, pub, sub, "x")
	start := time.Now()
	for range 200_000 {
		require.NoError(t, pub.SendContext(t.Context(), make([]byte, 64), zring.DontWait), "PUB drops, never ErrAgain")
	}
	assert.Less(t, time.Since(start), 20*time.Second)
	require.ErrorIs(t, sub.SetOption(zring.WithRcvTimeout(100*time.Millisecond)), nil)
	n := 0
	for ; ; n++ {
		if _, err := sub.Recv(0); err != nil {
			break
		}
	}
	assert.Less(t, n, 200_000, "the slow subscriber lost messages instead of blocking the publisher")
}

func TestXPubReportsSubscriptions(t *testing.T) {
	c := newContext(t)
	xpub := newSocket(t, c, zring.XPub, zring.WithRcvTimeout(300*time.Millisecond))
	require.NoError(t, xpub.Bind("tcp://127.0.0.1:*"))
	sub1 := newSocket(t, c, zring.Sub)
	sub2 := newSocket(t, c, zring.Sub)
	require.NoError(t, sub1.Connect(xpub.Endpoint()))
	require.NoError(t, sub2.Connect(xpub.Endpoint()))
	require.NoError(t, sub1.Subscribe("A"))
	assert.Equal(t, [][]byte{{1, 'A'}}, recvMulti(t, xpub))
	require.NoError(t, sub2.Subscribe("A"))
	require.NoError(t, sub2.Subscribe("B"))
	assert.Equal(t, [][]byte{{1, 'B'}}, recvMulti(t, xpub), "A's second subscriber is not reported")
	require.NoError(t, sub1.Unsubscribe("A"))
	require.NoError(t, sub2.Close())
	got := map[string]bool{}
	for range 2 {
		got[string(recvMulti(t, xpub)[0])] = true
	}
	assert.Equal(t, map[string]bool{"\x00A": true, "\x00B": true}, got,
		"last cancels, synthesised for the subscriber that left")
}

func TestXPubVerbose(t *testing.T) {
	xpub, sub := pubSub(t, zring.XPub, zring.Sub, []zring.Option{zring.WithXPubVerbose(true)}, nil)
	require.NoError(t, sub.Subscribe("A"))
	require.NoError(t, sub.Subscribe("A"))
	assert.Equal(t, [][]byte{{1, 'A'}}, recvMulti(t, xpub))
	assert.Equal(t, [][]byte{{1, 'A'}}, recvMulti(t, xpub), "verbose reports duplicates")
}

func TestXPubManual(t *testing.T) {
	xpub, sub := pubSub(t, zring.XPub, zring.Sub, []zring.Option{zring.WithXPubManual(true)}, nil)
	require.NoError(t, sub.Subscribe("asked"))
	assert.Equal(t, [][]byte{append([]byte{1}, "asked"...)}, recvMulti(t, xpub))
	require.NoError(t, xpub.Send([]byte("asked but not granted"), 0))
	require.NoError(t, xpub.Subscribe("ask"), "the application grants a wider topic")
	require.NoError(t, xpub.Send([]byte("asked, granted"), 0))
	assert.Equal(t, frames("asked, granted"), recvMulti(t, sub))
}

func TestXPubWelcomeMessage(t *testing.T) {
	c := newContext(t)
	xpub := newSocket(t, c, zring.XPub, zring.WithXPubWelcomeMsg([]byte("Welcome")))
	require.NoError(t, xpub.Bind("tcp://127.0.0.1:*"))
	sub := newSocket(t, c, zring.Sub)
	require.NoError(t, sub.Subscribe("W"))
	require.NoError(t, sub.Connect(xpub.Endpoint()))
	// As in libzmq, the XPUB attaches its peer while it runs an API call.
	assert.Equal(t, [][]byte{{1, 'W'}}, recvMulti(t, xpub))
	assert.Equal(t, frames("Welcome"), recvMulti(t, sub))
}

func TestXPubNoDrop(t *testing.T) {
	xpub, sub := pubSub(t, zring.XPub, zring.Sub,
		[]zring.Option{zring.WithXPubNoDrop(true), zring.WithSndHWM(4)}, []zring.Option{zring.WithRcvHWM(4)})
	require.NoError(t, sub.Subscribe(""))
	recvMulti(t, xpub)
	var sent int
	for ; sent < 1_000_000; sent++ {
		if err := xpub.SendContext(t.Context(), make([]byte, 1024), zring.DontWait); err != nil {
			require.ErrorIs(t, err, zring.ErrAgain)
			break
		}
	}
	require.Less(t, sent, 1_000_000, "NODROP refuses with ErrAgain instead of dropping")
	for range sent {
		recvMulti(t, sub)
	}
}

func TestInvertMatching(t *testing.T) {
	pub, sub := pubSub(t, zring.Pub, zring.Sub,
		[]zring.Option{zring.WithInvertMatching(true)}, []zring.Option{zring.WithInvertMatching(true)})
	require.NoError(t, sub.Subscribe("A"))
	assert.Equal(t, frames("B"), publishUntil(t, pub, sub, "B"))
	drain(sub)
	require.NoError(t, pub.Send([]byte("A not for me"), 0))
	require.NoError(t, pub.Send([]byte("C for me"), 0))
	assert.Equal(t, frames("C for me"), recvMulti(t, sub))
}

// An XSUB/XPUB proxy forwards subscriptions up and messages down.
func TestXSubXPubProxyForwards(t *testing.T) {
	c := newContext(t)
	pub := newSocket(t, c, zring.Pub)
	require.NoError(t, pub.Bind("tcp://127.0.0.1:*"))
	xsub := newSocket(t, c, zring.XSub)
	require.NoError(t, xsub.Connect(pub.Endpoint()))
	xpub := newSocket(t, c, zring.XPub)
	require.NoError(t, xpub.Bind("tcp://127.0.0.1:*"))
	sub := newSocket(t, c, zring.Sub)
	require.NoError(t, sub.Connect(xpub.Endpoint()))
	require.NoError(t, sub.Subscribe("news"))

	subMsg := recvMulti(t, xpub) // the subscription, up
	require.Equal(t, [][]byte{append([]byte{1}, "news"...)}, subMsg)
	require.NoError(t, xsub.SendMulti(subMsg, 0))
	stop := make(chan struct{})
	defer close(stop)
	go func() { // messages, down
		for {
			select {
			case <-stop:
				return
			default:
			}
			msg, err := xsub.RecvMultiContext(t.Context(), zring.DontWait)
			if err != nil {
				time.Sleep(time.Millisecond)
				continue
			}
			_ = xpub.SendMulti(msg, 0)
		}
	}()
	assert.Equal(t, frames("news", "flash"), publishUntil(t, pub, sub, "news", "flash"))
}

// A SUB resubscribes by itself when its publisher restarts.
func TestSubResubscribesAfterPublisherRestart(t *testing.T) {
	c := newContext(t)
	pub := newSocket(t, c, zring.Pub, zring.WithLinger(0))
	require.NoError(t, pub.Bind("tcp://127.0.0.1:*"))
	ep := pub.Endpoint()
	sub := newSocket(t, c, zring.Sub, zring.WithReconnectIvl(10*time.Millisecond))
	require.NoError(t, sub.Connect(ep))
	require.NoError(t, sub.Subscribe("T"))
	publishUntil(t, pub, sub, "T1")
	require.NoError(t, pub.Close())

	var pub2 *zring.Socket
	require.Eventually(t, func() bool {
		var err error
		pub2, err = c.NewSocket(zring.Pub, zring.WithLinger(0))
		require.NoError(t, err)
		if pub2.Bind(ep) == nil {
			return true
		}
		pub2.Close()
		return false
	}, 5*time.Second, 10*time.Millisecond)
	t.Cleanup(func() { pub2.Close() })
	assert.Equal(t, frames("T2"), publishUntil(t, pub2, sub, "T2"))
}

// Subscriptions in ZMTP 3.0 form ([0x01|topic] data frames) reach an XPUB,
// and a SUB talking to a 3.0 peer sends that form (zmtp.md item 37).
func TestSubscriptionsZMTP30Form(t *testing.T) {
	c := newContext(t)
	xpub := newSocket(t, c, zring.XPub)
	require.NoError(t, xpub.Bind("tcp://127.0.0.1:*"))
	p := dialRaw(t, xpub.Endpoint())
	p.handshake30(zmtp.Sub)
	p.write([]byte{0x00, 0x02, 0x01, 'A'}) // golden: subscribe "A", 3.0 form
	assert.Equal(t, [][]byte{{1, 'A'}}, recvMulti(t, xpub))
	p.write(zmtp.AppendCommand(nil, zmtp.CmdSubscribe, []byte("B")))
	assert.Equal(t, [][]byte{{1, 'B'}}, recvMulti(t, xpub), "the 3.1 command is accepted from a 3.0 peer too")

	sub := newSocket(t, c, zring.Sub)
	require.NoError(t, sub.Bind("tcp://127.0.0.1:*"))
	pub := dialRaw(t, sub.Endpoint())
	pub.handshake30(zmtp.Pub)
	waitPeers(t, sub, 1)
	require.NoError(t, sub.Subscribe("A"))
	command, body := pub.nextFrame()
	assert.False(t, command, "3.0 peers get a data frame")
	assert.Equal(t, []byte{1, 'A'}, body)
}

func TestSubscriptionsZMTP31Form(t *testing.T) {
	c := newContext(t)
	sub := newSocket(t, c, zring.Sub)
	require.NoError(t, sub.Bind("tcp://127.0.0.1:*"))
	pub := dialRaw(t, sub.Endpoint())
	pub.handshake(zmtp.Pub)
	waitPeers(t, sub, 1)
	require.NoError(t, sub.Subscribe("A"))
	assert.Equal(t, []byte("A"), pub.nextCommand(zmtp.CmdSubscribe))
	require.NoError(t, sub.Unsubscribe("A"))
	assert.Equal(t, []byte("A"), pub.nextCommand(zmtp.CmdCancel))
}

// handshake30 is handshake announcing ZMTP 3.0.
func (p *rawPeer) handshake30(typ zmtp.SocketType) {
	p.t.Helper()
	g := zmtp.AppendGreeting(nil, "NULL", false)
	g[11] = 0 // minor version
	p.write(g)
	greeting := make([]byte, zmtp.GreetingSize)
	_, err := io.ReadFull(p.conn, greeting)
	require.NoError(p.t, err)
	p.write(zmtp.AppendReady(nil, typ, nil))
	p.nextCommand(zmtp.CmdReady)
}

// nextFrame returns the next frame after those already read.
func (p *rawPeer) nextFrame() (command bool, body []byte) {
	p.t.Helper()
	require.NoError(p.t, p.conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	hdr := make([]byte, 2)
	_, err := io.ReadFull(p.conn, hdr)
	require.NoError(p.t, err)
	require.Zero(p.t, hdr[0]&0x02, "short frames only in this test")
	body = make([]byte, hdr[1])
	_, err = io.ReadFull(p.conn, body)
	require.NoError(p.t, err)
	return hdr[0]&0x04 != 0, body
}

// A PUB shares one multipart chain among its subscribers; inproc
// subscribers receiving it at the same time each get it whole (one cutting
// the chain's links used to cut them for the others).
func TestPubMultipartSharedByInprocSubscribers(t *testing.T) {
	c := newContext(t)
	pub := newSocket(t, c, zring.Pub, zring.WithSndHWM(1<<14))
	require.NoError(t, pub.Bind("inproc://shared-multipart"))
	const subs, n = 3, 2000
	var socks []*zring.Socket
	for i := 0; i < subs; i++ {
		sub := newSocket(t, c, zring.Sub, zring.WithRcvHWM(1<<14), zring.WithRcvTimeout(5*time.Second))
		require.NoError(t, sub.Connect("inproc://shared-multipart"))
		require.NoError(t, sub.Subscribe(""))
		socks = append(socks, sub)
	}
	time.Sleep(50 * time.Millisecond) // inproc subscriptions are processed on the next send
	errc := make(chan error, subs)
	for k, sub := range socks {
		go func() {
			for i := 0; i < n; i++ {
				var got [][]byte
				var err error
				if k == 0 { // one receiver takes whole chains
					dst := make([]*zring.Frame, 1)
					if _, err = sub.RecvBatchContext(context.Background(), dst, 0); err == nil {
						for f := dst[0]; f != nil; f = f.Next() {
							got = append(got, append([]byte{}, f.Bytes()...))
						}
						zring.ReleaseMsg(dst[0])
					}
				} else {
					got, err = sub.RecvMulti(0)
				}
				if err == nil && fmt.Sprint(got) != fmt.Sprint([][]byte{[]byte(fmt.Sprint(i)), []byte("a"), []byte("b")}) {
					err = fmt.Errorf("subscriber %d, message %d: %q", k, i, got)
				}
				if err != nil {
					errc <- err
					return
				}
			}
			errc <- nil
		}()
	}
	for i := 0; i < n; i++ {
		require.NoError(t, pub.SendMulti([][]byte{[]byte(fmt.Sprint(i)), []byte("a"), []byte("b")}, 0))
	}
	for range socks {
		require.NoError(t, <-errc)
	}
}
