//go:build linux && !race

package zring_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

// The draft types keep the hot path allocation-free too: a routing id
// rides in the frame, not in a frame of its own, and SCATTER, GATHER,
// CHANNEL and DGRAM are as cheap as PUSH, PULL and PAIR.

// steadyAllocs warms the pools and buffers, then requires no allocation
// per call of round.
func steadyAllocs(t *testing.T, name string, round func()) {
	t.Helper()
	for range 2000 {
		round()
	}
	require.Zero(t, testing.AllocsPerRun(2000, round), name)
}

func recvRelease(t *testing.T, s *zring.Socket) {
	f, err := s.RecvFrame(0)
	if err != nil {
		t.Fatal(err)
	}
	f.Release()
}

// A SERVER replies to the routing id each request came with.
func TestAllocsClientServer(t *testing.T) {
	for _, ep := range []string{"tcp://127.0.0.1:*", "inproc://allocs-cs"} {
		server, client := bindConnectAt(t, newContext(t), ep, zring.Server, zring.Client, nil, nil)
		msg := make([]byte, 64)
		steadyAllocs(t, ep, func() {
			if err := client.Send(msg, 0); err != nil {
				t.Fatal(err)
			}
			req, err := server.RecvFrame(0)
			if err != nil {
				t.Fatal(err)
			}
			id := req.RoutingID()
			req.Release()
			rep := zring.NewFrame(len(msg))
			rep.SetRoutingID(id)
			if err := server.SendFrame(rep, 0); err != nil {
				t.Fatal(err)
			}
			recvRelease(t, client)
		})
	}
}

// A PEER sends to the routing id ConnectPeer returned, and the bound PEER
// answers the id the message came with.
func TestAllocsPeer(t *testing.T) {
	c := newContext(t)
	bound := newSocket(t, c, zring.Peer)
	require.NoError(t, bound.Bind("tcp://127.0.0.1:*"))
	conn := newSocket(t, c, zring.Peer)
	id, err := conn.ConnectPeer(bound.Endpoint())
	require.NoError(t, err)
	steadyAllocs(t, "peer", func() {
		f := zring.NewFrame(64)
		f.SetRoutingID(id)
		if err := conn.SendFrame(f, 0); err != nil {
			t.Fatal(err)
		}
		req, err := bound.RecvFrame(0)
		if err != nil {
			t.Fatal(err)
		}
		rep := zring.NewFrame(64)
		rep.SetRoutingID(req.RoutingID())
		req.Release()
		if err := bound.SendFrame(rep, 0); err != nil {
			t.Fatal(err)
		}
		recvRelease(t, conn)
	})
}

func TestAllocsScatterGatherChannel(t *testing.T) {
	for _, pair := range []struct {
		bind, conn zring.Type
		ep         string
	}{
		{zring.Gather, zring.Scatter, "tcp://127.0.0.1:*"},
		{zring.Gather, zring.Scatter, "inproc://allocs-sg"},
		{zring.Channel, zring.Channel, "tcp://127.0.0.1:*"},
	} {
		bound, conn := bindConnectAt(t, newContext(t), pair.ep, pair.bind, pair.conn, nil, nil)
		msg := make([]byte, 64)
		steadyAllocs(t, pair.bind.String()+" "+pair.ep, func() {
			if err := conn.Send(msg, 0); err != nil {
				t.Fatal(err)
			}
			recvRelease(t, bound)
		})
	}
}

// DGRAM sends an address frame and a body, and receives the sender's
// address (parsed and formatted without allocating) and the body.
func TestAllocsDgram(t *testing.T) {
	c := newContext(t)
	a, b := newSocket(t, c, zring.Dgram), newSocket(t, c, zring.Dgram)
	require.NoError(t, a.Bind("udp://127.0.0.1:*"))
	require.NoError(t, b.Bind("udp://127.0.0.1:*"))
	to := []byte(strings.TrimPrefix(b.Endpoint(), "udp://"))
	body := make([]byte, 64)
	steadyAllocs(t, "dgram", func() {
		if err := a.Send(to, zring.SndMore); err != nil {
			t.Fatal(err)
		}
		if err := a.Send(body, 0); err != nil {
			t.Fatal(err)
		}
		recvRelease(t, b) // the address
		recvRelease(t, b) // the body
	})
}
