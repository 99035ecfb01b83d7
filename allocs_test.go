//go:build linux && !race

package zring_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

// The steady-state hot path allocates nothing: not in the sender, not on
// the I/O threads, not in the receiver (AllocsPerRun counts every
// goroutine's allocations).

func TestAllocsPushPullTCP(t *testing.T) {
	pull, push := bindConnect(t, newContext(t), zring.Pull, zring.Push, nil, nil)
	pushPullAllocs(t, pull, push)
}

// Under CURVE, sealing and opening every frame allocate nothing either.
func TestAllocsPushPullCurve(t *testing.T) {
	so, co, _ := curveOptions(t)
	pull, push := bindConnect(t, newContext(t), zring.Pull, zring.Push, so, co)
	pushPullAllocs(t, pull, push)
}

func TestAllocsReqRepCurve(t *testing.T) {
	so, co, _ := curveOptions(t)
	rep, req := bindConnect(t, newContext(t), zring.Rep, zring.Req, so, co)
	reqRepAllocs(t, rep, req)
}

func pushPullAllocs(t *testing.T, pull, push *zring.Socket) {
	msg := make([]byte, 64)
	roundTrip := func() {
		if err := push.Send(msg, 0); err != nil {
			t.Fatal(err)
		}
		f, err := pull.RecvFrame(0)
		if err != nil {
			t.Fatal(err)
		}
		f.Release()
	}
	for i := 0; i < 2000; i++ { // warm the pools and buffers
		roundTrip()
	}
	require.Zero(t, testing.AllocsPerRun(2000, roundTrip))
}

func TestAllocsReqRepTCP(t *testing.T) {
	rep, req := bindConnect(t, newContext(t), zring.Rep, zring.Req, nil, nil)
	reqRepAllocs(t, rep, req)
}

func reqRepAllocs(t *testing.T, rep, req *zring.Socket) {
	msg := make([]byte, 64)
	roundTrip := func() {
		if err := req.Send(msg, 0); err != nil {
			t.Fatal(err)
		}
		f, err := rep.RecvFrame(0)
		if err != nil {
			t.Fatal(err)
		}
		if err := rep.SendFrame(f, 0); err != nil {
			t.Fatal(err)
		}
		if f, err = req.RecvFrame(0); err != nil {
			t.Fatal(err)
		}
		f.Release()
	}
	for i := 0; i < 500; i++ {
		roundTrip()
	}
	require.Zero(t, testing.AllocsPerRun(500, roundTrip))
}

// Fan-out to several subscribers shares the frames and allocates nothing;
// ROUTER routing by id (map lookup, id frame from the pool) neither.
func TestAllocsPubSubFanOutTCP(t *testing.T) {
	c := newContext(t)
	pub := newSocket(t, c, zring.Pub)
	require.NoError(t, pub.Bind("tcp://127.0.0.1:*"))
	subs := make([]*zring.Socket, 3)
	for i := range subs {
		subs[i] = newSocket(t, c, zring.Sub)
		require.NoError(t, subs[i].Subscribe("t"))
		require.NoError(t, subs[i].Connect(pub.Endpoint()))
	}
	for _, s := range subs {
		publishUntil(t, pub, s, "t")
	}
	for _, s := range subs {
		drain(s)
	}
	msg := []byte("topic: 64 bytes ...............................................")
	round := func() {
		if err := pub.Send(msg, 0); err != nil {
			t.Fatal(err)
		}
		for _, s := range subs {
			f, err := s.RecvFrame(0)
			if err != nil {
				t.Fatal(err)
			}
			f.Release()
		}
	}
	for range 2000 {
		round()
	}
	require.Zero(t, testing.AllocsPerRun(2000, round))
}

func TestAllocsDealerRouterTCP(t *testing.T) {
	router, dealer := bindConnect(t, newContext(t), zring.Router, zring.Dealer, nil,
		[]zring.Option{zring.WithRoutingID([]byte("D"))})
	msg := make([]byte, 64)
	id := []byte("D")
	round := func() {
		if err := dealer.Send(msg, 0); err != nil {
			t.Fatal(err)
		}
		idf, err := router.RecvFrame(0)
		if err != nil {
			t.Fatal(err)
		}
		body, err := router.RecvFrame(0)
		if err != nil {
			t.Fatal(err)
		}
		idf.Release()
		if err := router.Send(id, zring.SndMore); err != nil {
			t.Fatal(err)
		}
		if err := router.SendFrame(body, 0); err != nil {
			t.Fatal(err)
		}
		f, err := dealer.RecvFrame(0)
		if err != nil {
			t.Fatal(err)
		}
		f.Release()
	}
	for range 1000 {
		round()
	}
	require.Zero(t, testing.AllocsPerRun(1000, round))
}

// An XPUB queues what its subscribers send for the application with the
// pipe it came from, for its Metadata: with upstream data from an XSUB
// that queue allocates nothing in steady state either. (Subscriptions
// themselves grow the tries.)
func TestAllocsXSubUpstreamToXPubTCP(t *testing.T) {
	xpub, xsub := bindConnect(t, newContext(t), zring.XPub, zring.XSub, nil, nil)
	msg := []byte("upstream data: 64 bytes .......................................")
	round := func() {
		if err := xsub.Send(msg, 0); err != nil {
			t.Fatal(err)
		}
		f, err := xpub.RecvFrame(0)
		if err != nil {
			t.Fatal(err)
		}
		f.Release()
	}
	for range 2000 {
		round()
	}
	require.Zero(t, testing.AllocsPerRun(2000, round))
}

// The batch API allocates nothing per batch either, over TCP and inproc.
func TestAllocsBatch(t *testing.T) {
	for _, ep := range []string{"tcp://127.0.0.1:*", "inproc://allocs-batch"} {
		pull, push := bindConnectAt(t, newContext(t), ep, zring.Pull, zring.Push, nil, nil)
		msgs := make([]*zring.Frame, 32)
		dst := make([]*zring.Frame, 32)
		batch := func() {
			for i := range msgs {
				msgs[i] = zring.NewFrame(64)
			}
			for sent := 0; sent < len(msgs); {
				n, err := push.SendBatchContext(t.Context(), msgs[sent:], 0)
				if err != nil {
					t.Fatal(err)
				}
				sent += n
			}
			for got := 0; got < len(msgs); {
				n, err := pull.RecvBatchContext(t.Context(), dst, 0)
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range dst[:n] {
					zring.ReleaseMsg(m)
				}
				got += n
			}
		}
		for i := 0; i < 200; i++ { // warm the pools and buffers
			batch()
		}
		require.Zero(t, testing.AllocsPerRun(200, batch), ep)
	}
}

// RADIO to DISH allocates nothing per message either: the group frame
// rides with the body over tcp, and over udp one datagram is read and
// written with the link's buffers.
func TestAllocsRadioDish(t *testing.T) {
	for _, ep := range []string{"tcp://127.0.0.1:*", "udp://127.0.0.1:*"} {
		c := newContext(t)
		dish := newSocket(t, c, zring.Dish)
		require.NoError(t, dish.Join("g"))
		require.NoError(t, dish.Bind(ep))
		radio := newSocket(t, c, zring.Radio)
		require.NoError(t, radio.Connect(dish.Endpoint()))
		awaitGroup(t, radioSender(radio), dish, "g")
		body := make([]byte, 64)
		round := func() {
			g := zring.NewFrame(1)
			g.Bytes()[0] = 'g'
			if err := radio.SendFrame(g, zring.SndMore); err != nil {
				t.Fatal(err)
			}
			if err := radio.Send(body, 0); err != nil {
				t.Fatal(err)
			}
			for range 2 {
				f, err := dish.RecvFrame(0)
				if err != nil {
					t.Fatal(err)
				}
				f.Release()
			}
		}
		for range 2000 {
			round()
		}
		require.Zero(t, testing.AllocsPerRun(2000, round), ep)
	}
}

// Over ws:// the bridge's goroutines allocate nothing per message either.
func TestAllocsWS(t *testing.T) {
	c := newContext(t)
	rep, req := bindConnectAt(t, c, "ws://127.0.0.1:*/zmq", zring.Rep, zring.Req, nil, nil)
	reqRepAllocs(t, rep, req)
	pull, push := bindConnectAt(t, c, "ws://127.0.0.1:*/zmq", zring.Pull, zring.Push, nil, nil)
	pushPullAllocs(t, pull, push)
}

// Over wss:// the one allocation left is crypto/tls's, one per TLS record
// read (Conn.readFromUntil's atLeastReader escapes into
// bytes.Buffer.ReadFrom, Go 1.26): a REQ/REP round trip reads two
// records, one on each side. Nothing else on the path allocates.
func TestAllocsWSS(t *testing.T) {
	fx := newTLSFixture(t)
	rep, req := bindConnectAt(t, newContext(t), "wss://127.0.0.1:*/zmq", zring.Rep, zring.Req,
		[]zring.Option{zring.WithTLSCertificate(fx.cert)}, []zring.Option{zring.WithTLSRootCAs(fx.pool)})
	msg := make([]byte, 64)
	roundTrip := func() {
		require.NoError(t, req.Send(msg, 0))
		f, err := rep.RecvFrame(0)
		require.NoError(t, err)
		f.Release()
		require.NoError(t, rep.Send(msg, 0))
		f, err = req.RecvFrame(0)
		require.NoError(t, err)
		f.Release()
	}
	for range 2000 {
		roundTrip()
	}
	require.LessOrEqual(t, testing.AllocsPerRun(2000, roundTrip), 2.0)
}
