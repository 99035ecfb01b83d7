//go:build linux

package zring_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/internal/dnstest"
)

// A connect to a host name looks it up again before each reconnect: when
// the peer moves to a new address and the name follows it, what the
// sender queued meanwhile reaches the peer at its new address.
func TestReconnectFollowsTheName(t *testing.T) {
	z := dnstest.Start(t)
	const name = "worker.zring.test"
	port := strconv.Itoa(freePort(t))
	z.Set(name, "127.0.0.2")
	c := newContext(t)
	old := newSocket(t, c, zring.Pull)
	require.NoError(t, old.Bind("tcp://127.0.0.2:"+port))
	push := newSocket(t, c, zring.Push, zring.WithResolver(z.Resolver()), zring.WithReconnectIvl(10*time.Millisecond))
	mon, err := push.Monitor(zring.EventDisconnected)
	require.NoError(t, err)
	defer mon.Close()
	require.NoError(t, push.Connect("tcp://"+name+":"+port))
	requireDelivers(t, push, old, "at the first address")

	// The peer moves: its old address is gone, the name points at the new
	// one. (What is sent before the sender sees the old connection end may
	// be written into it and lost, as over any TCP connection.)
	z.Set(name, "127.0.0.3")
	require.NoError(t, old.Close())
	nextEvent(t, mon, zring.EventDisconnected)
	moved := newSocket(t, c, zring.Pull)
	require.NoError(t, moved.Bind("tcp://127.0.0.3:"+port))
	lookups := z.Lookups(name)
	requireDelivers(t, push, moved, "at the new address")
	require.Greater(t, z.Lookups(name), lookups, "the reconnect asked the DNS again")
}

// A name that stops resolving is a failed attempt with its reason in the
// monitor, retried until the name is back.
func TestReconnectWhileTheNameIsGone(t *testing.T) {
	z := dnstest.Start(t)
	const name = "gone.zring.test"
	port := strconv.Itoa(freePort(t))
	z.Set(name, "127.0.0.4")
	c := newContext(t)
	pull := newSocket(t, c, zring.Pull)
	require.NoError(t, pull.Bind("tcp://127.0.0.4:"+port))
	push := newSocket(t, c, zring.Push, zring.WithResolver(z.Resolver()), zring.WithReconnectIvl(10*time.Millisecond))
	mon, err := push.Monitor(zring.EventClosed | zring.EventConnected)
	require.NoError(t, err)
	defer mon.Close()
	require.NoError(t, push.Connect("tcp://"+name+":"+port))
	requireDelivers(t, push, pull, "first")

	z.Set(name) // no addresses
	require.NoError(t, pull.Unbind(pull.Endpoint()))
	for deadline := time.Now().Add(5 * time.Second); ; {
		require.True(t, time.Now().Before(deadline), "no failed lookup reported")
		ev := nextEvent(t, mon, zring.EventClosed)
		if errors.Is(ev.Err, zring.ErrEndpoint) {
			require.ErrorContains(t, ev.Err, name)
			break
		}
	}
	z.Set(name, "127.0.0.4")
	require.NoError(t, pull.Bind("tcp://127.0.0.4:"+port))
	requireDelivers(t, push, pull, "back")
}

// An IP literal is never looked up.
func TestReconnectToAnIPAsksNoDNS(t *testing.T) {
	z := dnstest.Start(t)
	c := newContext(t)
	pull, push := bindConnect(t, c, zring.Pull, zring.Push, nil, []zring.Option{zring.WithResolver(z.Resolver())})
	requireDelivers(t, push, pull, "x")
	require.Zero(t, z.Queried())
}
