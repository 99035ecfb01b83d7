//go:build linux

package zring_test

import (
	"errors"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"golang.org/x/sys/unix"
)

// closedPort returns a tcp endpoint nobody listens on.
func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ep := "tcp://" + l.Addr().String()
	l.Close()
	return ep
}

func TestReconnectBackoff(t *testing.T) {
	c := newContext(t)
	s := newSocket(t, c, zring.Push, zring.WithReconnectIvl(10*time.Millisecond), zring.WithReconnectIvlMax(80*time.Millisecond))
	m := monitor(t, s)
	require.NoError(t, s.Connect(closedPort(t)))
	var waits []uint32
	for range 6 {
		waits = append(waits, nextEvent(t, m, zring.EventConnectRetried).Value)
	}
	base := []uint32{10, 20, 40, 80, 80, 80}
	for i, w := range waits {
		assert.GreaterOrEqual(t, w, base[i], "retry %d: %v", i, waits)
		assert.Less(t, w, base[i]+10, "retry %d: jitter stays below RECONNECT_IVL: %v", i, waits)
	}
}

func TestReconnectStopConnRefused(t *testing.T) {
	c := newContext(t)
	s := newSocket(t, c, zring.Push, zring.WithReconnectIvl(10*time.Millisecond),
		zring.WithReconnectStop(zring.ReconnectStopConnRefused))
	m := monitor(t, s)
	require.NoError(t, s.Connect(closedPort(t)))
	ev := nextEvent(t, m, zring.EventClosed)
	assert.True(t, errors.Is(ev.Err, unix.ECONNREFUSED), "%v", ev.Err)
	time.Sleep(100 * time.Millisecond) // ten intervals
	for len(m.Events()) > 0 {
		assert.NotEqual(t, zring.EventConnectRetried, (<-m.Events()).Type, "no retry after a refusal")
	}
}

func TestReconnectStopAfterDisconnect(t *testing.T) {
	c := newContext(t)
	pull := newSocket(t, c, zring.Pull, zring.WithLinger(0))
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	push := newSocket(t, c, zring.Push, zring.WithReconnectIvl(10*time.Millisecond),
		zring.WithReconnectStop(zring.ReconnectStopAfterDisconnect))
	m := monitor(t, push)
	require.NoError(t, push.Connect(pull.Endpoint()))
	nextEvent(t, m, zring.EventHandshakeSucceeded)
	require.NoError(t, pull.Close())
	nextEvent(t, m, zring.EventDisconnected)
	time.Sleep(100 * time.Millisecond)
	for len(m.Events()) > 0 {
		assert.NotEqual(t, zring.EventConnectRetried, (<-m.Events()).Type, "no retry after the disconnect")
	}
}

// A connect attempt stuck in SYN_SENT (the listener's backlog is full) is
// abandoned at CONNECT_TIMEOUT and retried.
func TestConnectTimeout(t *testing.T) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	defer unix.Close(fd)
	require.NoError(t, unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}))
	require.NoError(t, unix.Listen(fd, 0)) // never accepted
	sa, err := unix.Getsockname(fd)
	require.NoError(t, err)
	addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: sa.(*unix.SockaddrInet4).Port}
	for range 4 { // fill the accept and SYN queues
		if conn, err := net.DialTimeout("tcp", addr.String(), 50*time.Millisecond); err == nil {
			defer conn.Close()
		}
	}

	c := newContext(t)
	s := newSocket(t, c, zring.Push, zring.WithConnectTimeout(100*time.Millisecond), zring.WithReconnectIvl(time.Hour))
	m := monitor(t, s)
	start := time.Now()
	require.NoError(t, s.Connect("tcp://"+addr.String()))
	ev := nextEvent(t, m, zring.EventClosed)
	assert.ErrorContains(t, ev.Err, "connect timed out")
	assert.GreaterOrEqual(t, time.Since(start), 100*time.Millisecond)
	nextEvent(t, m, zring.EventConnectRetried)
}

// CONNECT_TIMEOUT bounds the connect and HANDSHAKE_IVL the handshake: to a
// peer that accepts but never greets, a connect that completed is not
// abandoned at CONNECT_TIMEOUT but dropped at HANDSHAKE_IVL, reported as a
// failed handshake, then retried. (The engine test
// TestConnectTimerEndsWithTheConnect checks the connect's timer is gone.)
func TestConnectTimeoutThenHandshakeTimeout(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			defer conn.Close() // open and silent
		}
	}()

	const handshakeIvl = 300 * time.Millisecond
	c := newContext(t)
	s := newSocket(t, c, zring.Push, zring.WithLinger(0), zring.WithConnectTimeout(50*time.Millisecond),
		zring.WithHandshakeIvl(handshakeIvl), zring.WithReconnectIvl(time.Hour))
	m := monitor(t, s)
	require.NoError(t, s.Connect("tcp://"+l.Addr().String()))
	nextEvent(t, m, zring.EventConnected)
	start := time.Now()
	var got []zring.EventType
	for {
		ev := nextEvent(t, m, zring.EventClosed, zring.EventHandshakeFailedNoDetail, zring.EventDisconnected, zring.EventConnectRetried)
		got = append(got, ev.Type)
		if ev.Type == zring.EventHandshakeFailedNoDetail {
			assert.ErrorContains(t, ev.Err, "handshake timed out")
			assert.GreaterOrEqual(t, time.Since(start), handshakeIvl*9/10, "dropped by the handshake timer")
		}
		if ev.Type == zring.EventConnectRetried {
			break
		}
	}
	assert.Equal(t, []zring.EventType{zring.EventHandshakeFailedNoDetail, zring.EventDisconnected, zring.EventConnectRetried}, got)
}

// A connection that completed its connect and handshake outlives
// CONNECT_TIMEOUT.
func TestConnectTimeoutSparesACompletedConnect(t *testing.T) {
	c := newContext(t)
	pull := newSocket(t, c, zring.Pull, zring.WithLinger(0), zring.WithRcvTimeout(2*time.Second))
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	push := newSocket(t, c, zring.Push, zring.WithConnectTimeout(50*time.Millisecond))
	m := monitor(t, push)
	require.NoError(t, push.Connect(pull.Endpoint()))
	nextEvent(t, m, zring.EventHandshakeSucceeded)
	time.Sleep(150 * time.Millisecond) // three connect timeouts
	for len(m.Events()) > 0 {
		ev := <-m.Events()
		assert.NotContains(t, []zring.EventType{zring.EventClosed, zring.EventDisconnected}, ev.Type, "%v", ev)
	}
	require.NoError(t, push.SendString("still up", 0))
	got, err := pull.RecvString(0)
	require.NoError(t, err)
	assert.Equal(t, "still up", got)
}
