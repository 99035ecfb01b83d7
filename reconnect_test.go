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
