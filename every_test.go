//go:build linux

package zring_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/internal/dnstest"
	"github.com/zring/zring/internal/testpeer"
)

// everyAddress is a PUSH (or typ) that follows name in zone z under
// WithEveryAddress, with the events of its addresses.
func everyAddress(t *testing.T, c *zring.Context, z *dnstest.Zone, typ zring.Type) (*zring.Socket, *zring.Monitor) {
	t.Helper()
	s := newSocket(t, c, typ, zring.WithResolver(z.Resolver()), zring.WithEveryAddress(50*time.Millisecond),
		zring.WithReconnectIvl(10*time.Millisecond))
	mon, err := s.Monitor(zring.EventAddressAdded | zring.EventAddressRemoved | zring.EventDisconnected)
	require.NoError(t, err)
	t.Cleanup(func() { mon.Close() })
	return s, mon
}

// pullsAt binds a PULL on each IP at port.
func pullsAt(t *testing.T, c *zring.Context, port string, ips ...string) map[string]*zring.Socket {
	t.Helper()
	pulls := map[string]*zring.Socket{}
	for _, ip := range ips {
		p := newSocket(t, c, zring.Pull, zring.WithRcvTimeout(5*time.Second))
		require.NoError(t, p.Bind("tcp://"+ip+":"+port))
		pulls[ip] = p
	}
	return pulls
}

// addresses waits for n events of type want and returns their endpoints.
func addresses(t *testing.T, mon *zring.Monitor, want zring.EventType, n int) []string {
	t.Helper()
	var eps []string
	for len(eps) < n {
		eps = append(eps, nextEvent(t, mon, want).Endpoint)
	}
	return eps
}

// One Connect to a name with three addresses reaches all three: a PUSH
// load-balances over them, so 30 messages are 10 for each.
func TestEveryAddressFansOut(t *testing.T) {
	z := dnstest.Start(t)
	const name = "workers.zring.test"
	port := strconv.Itoa(freePort(t))
	z.Set(name, "127.0.0.2", "127.0.0.3", "127.0.0.4")
	c := newContext(t)
	pulls := pullsAt(t, c, port, "127.0.0.2", "127.0.0.3", "127.0.0.4")
	push, mon := everyAddress(t, c, z, zring.Push)
	require.NoError(t, push.Connect("tcp://"+name+":"+port))
	assert.ElementsMatch(t, []string{"tcp://127.0.0.2:" + port, "tcp://127.0.0.3:" + port, "tcp://127.0.0.4:" + port},
		addresses(t, mon, zring.EventAddressAdded, 3))
	for i := range 30 {
		require.NoError(t, push.SendString(fmt.Sprint("m", i), 0))
	}
	for ip, p := range pulls {
		for range 10 {
			_, err := p.RecvString(0)
			require.NoError(t, err, "at %s", ip)
		}
	}
	st := push.Stats()
	assert.Equal(t, uint64(3), st.AddressesAdded)
	assert.Equal(t, 3, st.Peers)
}

// The zone changes: an added address is connected within an interval and
// takes its share; a removed one is dropped, and what was queued for it
// (its peer was down) goes to the others, so nothing sent is lost.
func TestEveryAddressFollowsTheZone(t *testing.T) {
	z := dnstest.Start(t)
	const name = "fleet.zring.test"
	port := strconv.Itoa(freePort(t))
	z.Set(name, "127.0.0.2", "127.0.0.3")
	c := newContext(t)
	pulls := pullsAt(t, c, port, "127.0.0.2", "127.0.0.3", "127.0.0.4")
	push, mon := everyAddress(t, c, z, zring.Push)
	require.NoError(t, push.Connect("tcp://"+name+":"+port))
	addresses(t, mon, zring.EventAddressAdded, 2)

	z.Set(name, "127.0.0.2", "127.0.0.3", "127.0.0.4")
	require.Equal(t, []string{"tcp://127.0.0.4:" + port}, addresses(t, mon, zring.EventAddressAdded, 1))
	for i := range 30 {
		require.NoError(t, push.SendString(fmt.Sprint("m", i), 0))
	}
	for ip, p := range pulls {
		for range 10 {
			_, err := p.RecvString(0)
			require.NoError(t, err, "%s takes its share", ip)
		}
	}

	// 127.0.0.3's peer goes down: its share queues in its pipe while the
	// PUSH reconnects. Then the name drops it.
	require.NoError(t, pulls["127.0.0.3"].Close())
	nextEvent(t, mon, zring.EventDisconnected)
	const n = 30
	for i := range n {
		require.NoError(t, push.SendString(fmt.Sprint("after ", i), 0))
	}
	z.Set(name, "127.0.0.2", "127.0.0.4")
	require.Equal(t, []string{"tcp://127.0.0.3:" + port}, addresses(t, mon, zring.EventAddressRemoved, 1))
	got := map[string]bool{}
	for _, ip := range []string{"127.0.0.2", "127.0.0.4"} {
		p := pulls[ip]
		require.NoError(t, p.SetOption(zring.WithRcvTimeout(300*time.Millisecond)))
		for {
			m, err := p.RecvString(0)
			if err != nil {
				break
			}
			got[m] = true
		}
	}
	assert.Len(t, got, n, "every message sent reached one of the addresses left")
	assert.Equal(t, uint64(1), push.Stats().AddressesRemoved)
}

// A SUB following a name hears every publisher behind it.
func TestEveryAddressSubHearsEveryPublisher(t *testing.T) {
	z := dnstest.Start(t)
	const name = "feeds.zring.test"
	port := strconv.Itoa(freePort(t))
	z.Set(name, "127.0.0.2", "127.0.0.3")
	c := newContext(t)
	var pubs []*zring.Socket
	for _, ip := range []string{"127.0.0.2", "127.0.0.3"} {
		p := newSocket(t, c, zring.Pub)
		require.NoError(t, p.Bind("tcp://"+ip+":"+port))
		pubs = append(pubs, p)
	}
	sub, mon := everyAddress(t, c, z, zring.Sub)
	require.NoError(t, sub.Subscribe(""))
	require.NoError(t, sub.Connect("tcp://"+name+":"+port))
	addresses(t, mon, zring.EventAddressAdded, 2)
	heard := hearAll(sub, 2, 5*time.Second, func() {
		for i, p := range pubs {
			require.NoError(t, p.SendString(fmt.Sprint("pub ", i), 0))
		}
	})
	assert.Equal(t, map[string]bool{"pub 0": true, "pub 1": true}, heard)
}

// hearAll calls publish until sub has heard n different messages or
// within has passed, and returns what it heard. Subscriptions travel
// asynchronously, so the first messages of a publisher may be lost.
func hearAll(sub *zring.Socket, n int, within time.Duration, publish func()) map[string]bool {
	heard := map[string]bool{}
	for deadline := time.Now().Add(within); len(heard) < n && time.Now().Before(deadline); {
		publish()
		for {
			m, err := sub.RecvString(zring.DontWait)
			if err != nil {
				break
			}
			heard[m] = true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return heard
}

// A PULL process is killed and started again at a new address, which the
// name now lists: delivery resumes there, with what was sent meanwhile.
func TestEveryAddressPeerRestartsElsewhere(t *testing.T) {
	z := dnstest.Start(t)
	const name = "mover.zring.test"
	port := strconv.Itoa(freePort(t))
	z.Set(name, "127.0.0.6")
	c := newContext(t)
	push, mon := everyAddress(t, c, z, zring.Push)
	peer := startHelper(t, "pull", "tcp://127.0.0.6:"+port)
	require.NoError(t, push.Connect("tcp://"+name+":"+port))
	addresses(t, mon, zring.EventAddressAdded, 1)
	require.NoError(t, push.SendString("before", 0))
	require.Equal(t, "before", peer.next(t))

	peer.kill()
	nextEvent(t, mon, zring.EventDisconnected)
	for i := range 5 {
		require.NoError(t, push.SendString(fmt.Sprint("meanwhile ", i), 0))
	}
	moved := startHelper(t, "pull", "tcp://127.0.0.7:"+port)
	z.Set(name, "127.0.0.7")
	addresses(t, mon, zring.EventAddressAdded, 1)
	got := map[string]bool{}
	for range 5 {
		got[moved.next(t)] = true
	}
	for i := range 5 {
		assert.True(t, got[fmt.Sprint("meanwhile ", i)], "meanwhile %d", i)
	}
	require.NoError(t, push.SendString("after", 0))
	require.Equal(t, "after", moved.next(t))
}

// A name that no longer exists (NXDOMAIN) removes every address; it comes
// back when the name does.
func TestEveryAddressNameGone(t *testing.T) {
	z := dnstest.Start(t)
	const name = "scaled.zring.test"
	port := strconv.Itoa(freePort(t))
	z.Set(name, "127.0.0.2", "127.0.0.3")
	c := newContext(t)
	pulls := pullsAt(t, c, port, "127.0.0.2")
	push, mon := everyAddress(t, c, z, zring.Push)
	require.NoError(t, push.Connect("tcp://"+name+":"+port))
	addresses(t, mon, zring.EventAddressAdded, 2)
	z.Delete(name)
	assert.ElementsMatch(t, []string{"tcp://127.0.0.2:" + port, "tcp://127.0.0.3:" + port},
		addresses(t, mon, zring.EventAddressRemoved, 2))
	assert.Zero(t, push.Stats().Peers)
	z.Set(name, "127.0.0.2")
	addresses(t, mon, zring.EventAddressAdded, 1)
	requireDelivers(t, push, pulls["127.0.0.2"], "back")
}

// Disconnect of the name ends every address and stops following it.
func TestEveryAddressDisconnect(t *testing.T) {
	z := dnstest.Start(t)
	const name = "bye.zring.test"
	port := strconv.Itoa(freePort(t))
	z.Set(name, "127.0.0.2", "127.0.0.3")
	c := newContext(t)
	pullsAt(t, c, port, "127.0.0.2", "127.0.0.3")
	push, mon := everyAddress(t, c, z, zring.Push)
	ep := "tcp://" + name + ":" + port
	require.NoError(t, push.Connect(ep))
	addresses(t, mon, zring.EventAddressAdded, 2)
	require.NoError(t, push.Disconnect(ep))
	require.ErrorIs(t, push.SendString("x", zring.DontWait), zring.ErrAgain, "no peer left")
	lookups := z.Lookups(name)
	time.Sleep(200 * time.Millisecond) // four intervals
	assert.Equal(t, lookups, z.Lookups(name), "the name is no longer looked up")
	require.ErrorIs(t, push.Disconnect(ep), zring.ErrEndpoint)
}

// Against libzmq: a zring PUSH following a name deals its messages over
// every libzmq PULL behind it, and a zring SUB following a name hears
// every libzmq PUB.
func TestInteropEveryAddress(t *testing.T) {
	z := dnstest.Start(t)
	port := strconv.Itoa(freePort(t))
	c := newContext(t)
	t.Run("push to libzmq pulls", func(t *testing.T) {
		const name = "pulls.zring.test"
		z.Set(name, "127.0.0.2", "127.0.0.3")
		var peers []*testpeer.Peer
		for _, ip := range []string{"127.0.0.2", "127.0.0.3"} {
			p := startPeer(t, "PULL")
			p.Bind("tcp://" + ip + ":" + port)
			peers = append(peers, p)
		}
		push, mon := everyAddress(t, c, z, zring.Push)
		require.NoError(t, push.Connect("tcp://"+name+":"+port))
		addresses(t, mon, zring.EventAddressAdded, 2)
		for i := range 20 {
			require.NoError(t, push.SendString(fmt.Sprint("m", i), 0))
		}
		for i, p := range peers {
			assert.Len(t, p.RecvN(10), 10, "libzmq peer %d takes its half", i)
		}
	})
	t.Run("sub hears libzmq pubs", func(t *testing.T) {
		const name = "pubs.zring.test"
		port := strconv.Itoa(freePort(t))
		z.Set(name, "127.0.0.4", "127.0.0.5")
		var pubs []*testpeer.Peer
		for _, ip := range []string{"127.0.0.4", "127.0.0.5"} {
			p := startPeer(t, "PUB")
			p.Bind("tcp://" + ip + ":" + port)
			pubs = append(pubs, p)
		}
		sub, mon := everyAddress(t, c, z, zring.Sub)
		require.NoError(t, sub.Subscribe(""))
		require.NoError(t, sub.Connect("tcp://"+name+":"+port))
		addresses(t, mon, zring.EventAddressAdded, 2)
		heard := hearAll(sub, 2, 10*time.Second, func() {
			for i, p := range pubs {
				p.Send([]byte(fmt.Sprint("pub ", i)))
			}
		})
		assert.Equal(t, map[string]bool{"pub 0": true, "pub 1": true}, heard)
	})
}
