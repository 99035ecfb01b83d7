//go:build linux

package zring_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/internal/testpeer"
)

// PUB/SUB and XPUB/XSUB against real libzmq, both directions and roles.

// publishToPeer sends msg from a zring publisher until the libzmq
// subscriber receives it (its subscription must travel first).
func publishToPeer(t *testing.T, pub *zring.Socket, sub *testpeer.Peer, msg ...string) {
	t.Helper()
	want := frames(msg...)
	sub.SetOption("RCVTIMEO", 20)
	defer sub.SetOption("RCVTIMEO", 10000)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		require.NoError(t, pub.SendMulti(want, 0))
		for {
			got, err := sub.TryRecv()
			if err != nil {
				break
			}
			if assert.ObjectsAreEqual(want, got) {
				return
			}
		}
	}
	t.Fatalf("libzmq subscriber never received %q", msg)
}

// peerPublishUntil is publishToPeer the other way round.
func peerPublishUntil(t *testing.T, pub *testpeer.Peer, sub *zring.Socket, msg ...string) {
	t.Helper()
	want := frames(msg...)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		pub.Send(want...)
		time.Sleep(5 * time.Millisecond)
		for {
			got, err := sub.RecvMultiContext(t.Context(), zring.DontWait)
			if err != nil {
				break
			}
			if assert.ObjectsAreEqual(want, got) {
				return
			}
		}
	}
	t.Fatalf("zring subscriber never received %q", msg)
}

func TestInteropPubToLibzmqSub(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		pub := newSocket(t, c, zring.Pub)
		sub := startPeer(t, "SUB")
		sub.SetOption("SUBSCRIBE", "weather")
		link(t, pub, sub, zringBinds)
		publishToPeer(t, pub, sub, "weather", "sunny")
		require.NoError(t, pub.SendMulti(frames("sports", "filtered by zring"), 0))
		require.NoError(t, pub.SendMulti(frames("weather.eu", "rain"), 0))
		assert.Equal(t, frames("weather.eu", "rain"), nextNot(sub, "weather"))
	})
}

// recvPoking receives from s while making the libzmq peer run its pending
// commands: a bound libzmq socket attaches an accepted peer (and sends it
// its subscriptions) only inside an API call.
func recvPoking(t *testing.T, s *zring.Socket, peer *testpeer.Peer) [][]byte {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		peer.MustDo("getsockopt EVENTS")
		if msg, err := s.RecvMultiContext(t.Context(), zring.DontWait); err == nil {
			return msg
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatal("nothing received")
	return nil
}

// nextNot receives from the peer, skipping leftover copies of the probe
// message whose first frame is skip.
func nextNot(p *testpeer.Peer, skip string) [][]byte {
	for {
		got := p.Recv()
		if string(got[0]) != skip {
			return got
		}
	}
}

func TestInteropLibzmqPubToSub(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		sub := newSocket(t, c, zring.Sub, zring.WithRcvTimeout(300*time.Millisecond))
		pub := startPeer(t, "PUB")
		link(t, sub, pub, zringBinds)
		require.NoError(t, sub.Subscribe("A"))
		require.NoError(t, sub.Subscribe("A"))
		peerPublishUntil(t, pub, sub, "A", "1")
		// zmtp.md item 39: one of two subscriptions cancelled, A still
		// arrives from libzmq's PUB.
		require.NoError(t, sub.Unsubscribe("A"))
		time.Sleep(50 * time.Millisecond)
		drain(sub)
		pub.Send([]byte("B"), []byte("filtered"))
		pub.Send([]byte("A"), []byte("2"))
		assert.Equal(t, frames("A", "2"), recvMulti(t, sub))
		require.NoError(t, sub.Unsubscribe("A"))
		time.Sleep(100 * time.Millisecond)
		drain(sub)
		pub.Send([]byte("A"), []byte("3"))
		_, err := sub.Recv(0)
		require.ErrorIs(t, err, zring.ErrTimeout, "libzmq's PUB stopped sending after the last cancel")
	})
}

func TestInteropXPubWithLibzmqSub(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		xpub := newSocket(t, c, zring.XPub)
		sub := startPeer(t, "SUB")
		link(t, xpub, sub, zringBinds)
		sub.SetOption("SUBSCRIBE", "topic")
		assert.Equal(t, [][]byte{append([]byte{1}, "topic"...)}, recvPoking(t, xpub, sub), "libzmq 4.3.4 sends the 3.1 command")
		require.NoError(t, xpub.SendMulti(frames("topic", "data"), 0))
		assert.Equal(t, frames("topic", "data"), sub.Recv())
		sub.SetOption("UNSUBSCRIBE", "topic")
		assert.Equal(t, [][]byte{append([]byte{0}, "topic"...)}, recvMulti(t, xpub))
	})
}

func TestInteropLibzmqXPubWithSub(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		sub := newSocket(t, c, zring.Sub)
		xpub := startPeer(t, "XPUB")
		link(t, sub, xpub, zringBinds)
		require.Eventually(t, func() bool { return sub.PeerCount() == 1 }, 5*time.Second, time.Millisecond)
		require.NoError(t, sub.Subscribe("topic"))
		assert.Equal(t, [][]byte{append([]byte{1}, "topic"...)}, xpub.Recv(), "our SUBSCRIBE command as libzmq reads it")
		xpub.Send([]byte("topic"), []byte("data"))
		assert.Equal(t, frames("topic", "data"), recvMulti(t, sub))
		require.NoError(t, sub.Unsubscribe("topic"))
		assert.Equal(t, [][]byte{append([]byte{0}, "topic"...)}, xpub.Recv())
	})
}

func TestInteropXSubWithLibzmqXPub(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		xsub := newSocket(t, c, zring.XSub)
		xpub := startPeer(t, "XPUB")
		link(t, xsub, xpub, zringBinds)
		require.Eventually(t, func() bool { return xsub.PeerCount() == 1 }, 5*time.Second, time.Millisecond)
		require.NoError(t, xsub.Send(append([]byte{1}, "t"...), 0))
		assert.Equal(t, [][]byte{{1, 't'}}, xpub.Recv())
		xpub.Send([]byte("t1"))
		assert.Equal(t, frames("t1"), recvMulti(t, xsub))
		require.NoError(t, xsub.Send([]byte("upstream data"), 0))
		assert.Equal(t, frames("upstream data"), xpub.Recv(), "libzmq 4.3.4 XPUB delivers XSUB data")
	})
}

func TestInteropLibzmqXSubWithXPub(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		xpub := newSocket(t, c, zring.XPub)
		xsub := startPeer(t, "XSUB")
		link(t, xpub, xsub, zringBinds)
		xsub.Send([]byte{1, 't'})
		assert.Equal(t, [][]byte{{1, 't'}}, recvPoking(t, xpub, xsub))
		require.NoError(t, xpub.Send([]byte("t1"), 0))
		assert.Equal(t, frames("t1"), xsub.Recv())
		xsub.Send([]byte("upstream data"))
		assert.Equal(t, frames("upstream data"), recvMulti(t, xpub))
	})
}

func TestInteropPubToLibzmqXSub(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		pub := newSocket(t, c, zring.Pub)
		xsub := startPeer(t, "XSUB")
		link(t, pub, xsub, zringBinds)
		xsub.Send([]byte{1, 'k'})
		publishToPeer(t, pub, xsub, "k1")
		require.NoError(t, pub.Send([]byte("x filtered"), 0))
		require.NoError(t, pub.Send([]byte("k2"), 0))
		assert.Equal(t, frames("k2"), nextNot(xsub, "k1"))
	})
}

func TestInteropLibzmqPubToXSub(t *testing.T) {
	roles(t, func(t *testing.T, zringBinds bool) {
		c := newContext(t)
		xsub := newSocket(t, c, zring.XSub)
		pub := startPeer(t, "PUB")
		link(t, xsub, pub, zringBinds)
		require.Eventually(t, func() bool { return xsub.PeerCount() == 1 }, 5*time.Second, time.Millisecond)
		require.NoError(t, xsub.Send([]byte{1, 'k'}, 0))
		peerPublishUntil(t, pub, xsub, "k1")
	})
}
