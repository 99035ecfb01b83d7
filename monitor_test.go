//go:build linux

package zring_test

import (
	"encoding/binary"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/zmtp"
)

// nextEvent waits for the next event of one of the wanted types, skipping
// others.
func nextEvent(t *testing.T, m *zring.Monitor, want ...zring.EventType) zring.Event {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case ev, ok := <-m.Events():
			require.True(t, ok, "monitor closed while waiting for %v", want)
			for _, w := range want {
				if ev.Type == w {
					return ev
				}
			}
		case <-timeout:
			t.Fatalf("no %v event", want)
		}
	}
}

func monitor(t *testing.T, s *zring.Socket) *zring.Monitor {
	t.Helper()
	m, err := s.Monitor(zring.EventAll)
	require.NoError(t, err)
	return m
}

func TestMonitorConnectionLifecycle(t *testing.T) {
	c := newContext(t)
	server := newSocket(t, c, zring.Rep, zring.WithLinger(0))
	sm := monitor(t, server)
	require.NoError(t, server.Bind("tcp://127.0.0.1:*"))
	ep := server.Endpoint()
	ev := nextEvent(t, sm, zring.EventListening)
	assert.Equal(t, ep, ev.Endpoint)
	assert.NotZero(t, ev.Value, "the listening fd")

	client := newSocket(t, c, zring.Req, zring.WithReconnectIvl(20*time.Millisecond))
	cm := monitor(t, client)
	require.NoError(t, client.Connect(ep))
	assert.Equal(t, zring.EventConnectDelayed, nextEvent(t, cm, zring.EventConnectDelayed, zring.EventConnected).Type)
	assert.Equal(t, ep, nextEvent(t, cm, zring.EventConnected).Endpoint)
	assert.Equal(t, zring.EventHandshakeSucceeded, nextEvent(t, cm, zring.EventHandshakeSucceeded).Type)
	assert.Equal(t, ep, nextEvent(t, sm, zring.EventAccepted).Endpoint)
	nextEvent(t, sm, zring.EventHandshakeSucceeded)

	require.NoError(t, server.Close())
	ev = nextEvent(t, sm, zring.EventClosed)
	assert.Equal(t, ep, ev.Endpoint, "the listener closed")
	ev = nextEvent(t, sm, zring.EventMonitorStopped)
	_, open := <-sm.Events()
	assert.False(t, open, "closing the socket stops its monitor")

	ev = nextEvent(t, cm, zring.EventDisconnected)
	assert.Error(t, ev.Err, "the cause travels with the event")
	ev = nextEvent(t, cm, zring.EventConnectRetried)
	assert.GreaterOrEqual(t, ev.Value, uint32(20), "the reconnect interval in ms, plus jitter below it")
	assert.Less(t, ev.Value, uint32(40))
	cm.Stop()
	assert.Equal(t, zring.EventMonitorStopped, nextEvent(t, cm, zring.EventMonitorStopped).Type)
	cm.Stop() // idempotent
}

func TestMonitorBindFailed(t *testing.T) {
	c := newContext(t)
	a := newSocket(t, c, zring.Pull)
	require.NoError(t, a.Bind("tcp://127.0.0.1:*"))
	b := newSocket(t, c, zring.Pull)
	m := monitor(t, b)
	require.ErrorIs(t, b.Bind(a.Endpoint()), zring.ErrAddrInUse)
	ev := nextEvent(t, m, zring.EventBindFailed)
	assert.EqualValues(t, syscall.EADDRINUSE, ev.Value)
	assert.Equal(t, a.Endpoint(), ev.Endpoint)
}

func TestMonitorHandshakeFailures(t *testing.T) {
	t.Run("incompatible", func(t *testing.T) {
		c := newContext(t)
		a := newSocket(t, c, zring.Push)
		m := monitor(t, a)
		require.NoError(t, a.Bind("tcp://127.0.0.1:*"))
		b := newSocket(t, c, zring.Push)
		require.NoError(t, b.Connect(a.Endpoint()))
		ev := nextEvent(t, m, zring.EventHandshakeFailedProtocol)
		assert.Equal(t, zring.ProtocolErrorInvalidMetadata, ev.Value)
		assert.ErrorIs(t, ev.Err, zmtp.ErrIncompatible)
		nextEvent(t, m, zring.EventDisconnected)
	})
	t.Run("mechanism", func(t *testing.T) {
		s, m := boundMonitored(t, nil)
		p := dialRaw(t, s.Endpoint())
		p.write(zmtp.AppendGreeting(nil, "PLAIN", false))
		assert.Equal(t, zring.ProtocolErrorMechanismMismatch, nextEvent(t, m, zring.EventHandshakeFailedProtocol).Value)
	})
	t.Run("auth status", func(t *testing.T) {
		s, m := boundMonitored(t, nil)
		p := dialRaw(t, s.Endpoint())
		p.write(zmtp.AppendGreeting(nil, "NULL", false))
		p.write(zmtp.AppendError(nil, "400"))
		assert.EqualValues(t, 400, nextEvent(t, m, zring.EventHandshakeFailedAuth).Value)
	})
	t.Run("timeout", func(t *testing.T) {
		s, m := boundMonitored(t, []zring.Option{zring.WithHandshakeIvl(50 * time.Millisecond)})
		dialRaw(t, s.Endpoint()) // says nothing
		ev := nextEvent(t, m, zring.EventHandshakeFailedNoDetail)
		assert.Zero(t, ev.Value)
	})
}

func boundMonitored(t *testing.T, opts []zring.Option) (*zring.Socket, *zring.Monitor) {
	s := newSocket(t, newContext(t), zring.Pull, opts...)
	m := monitor(t, s)
	require.NoError(t, s.Bind("tcp://127.0.0.1:*"))
	return s, m
}

// A libzmq consumer reads MonitorTo's events in libzmq's two-frame format.
func TestInteropMonitorToLibzmqConsumer(t *testing.T) {
	c := newContext(t)
	s := newSocket(t, c, zring.Pull)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	monEP := "tcp://" + l.Addr().String()
	l.Close()
	_, err = s.MonitorTo(monEP, zring.EventListening|zring.EventAccepted)
	require.NoError(t, err)
	consumer := startPeer(t, "PAIR")
	consumer.Connect(monEP)
	time.Sleep(50 * time.Millisecond) // the PAIR link, so no event waits in our queue
	require.NoError(t, s.Bind("tcp://127.0.0.1:*"))

	msg := consumer.Recv()
	require.Len(t, msg, 2)
	require.Len(t, msg[0], 6)
	assert.EqualValues(t, zring.EventListening, binary.LittleEndian.Uint16(msg[0]))
	assert.NotZero(t, binary.LittleEndian.Uint32(msg[0][2:]))
	assert.Equal(t, s.Endpoint(), string(msg[1]))
}

// The libzmq idiom: the monitor PAIR on an inproc endpoint, read by a PAIR
// connected to it in the same process.
func TestMonitorToInproc(t *testing.T) {
	c := newContext(t)
	s := newSocket(t, c, zring.Pull)
	_, err := s.MonitorTo("inproc://monitor.pull", zring.EventListening)
	require.NoError(t, err)
	reader := newSocket(t, c, zring.Pair)
	require.NoError(t, reader.Connect("inproc://monitor.pull"))
	require.Eventually(t, func() bool { return reader.PeerCount() == 1 }, 5*time.Second, time.Millisecond)
	time.Sleep(10 * time.Millisecond) // the monitor's PAIR attaches its end
	require.NoError(t, s.Bind("tcp://127.0.0.1:*"))
	msg := recvMulti(t, reader)
	require.Len(t, msg, 2)
	assert.EqualValues(t, zring.EventListening, binary.LittleEndian.Uint16(msg[0]))
	assert.Equal(t, s.Endpoint(), string(msg[1]))
}

// A monitor started while its socket closes is either refused or stopped:
// its channel always closes, so MonitorTo's goroutine and PAIR socket end.
// The rounds shift Monitor against Close by a varying spin, so that some
// start Monitor just before Close and some just after.
func TestMonitorRacingCloseAlwaysStops(t *testing.T) {
	c := newContext(t)
	refused := 0
	const rounds = 3000
	for i := range rounds {
		s, err := c.NewSocket(zring.Pull)
		require.NoError(t, err)
		gate := make(chan struct{})
		closed := make(chan struct{})
		go func() {
			<-gate
			assert.NoError(t, s.Close())
			close(closed)
		}()
		close(gate)
		spin(i % 64)
		m, err := s.Monitor(zring.EventAll)
		<-closed
		if err != nil {
			require.ErrorIs(t, err, zring.ErrClosed)
			refused++
			continue
		}
		select {
		case <-drained(m):
		case <-time.After(5 * time.Second):
			t.Fatalf("round %d: the monitor of a closed socket never stopped", i)
		}
	}
	t.Logf("%d of %d rounds refused the monitor", refused, rounds)
}

// spin burns about n×100 ns without yielding.
func spin(n int) {
	x := 0
	for j := range n * 30 {
		x += j
	}
	sink = x
}

var sink int

// drained is closed when m's channel is.
func drained(m *zring.Monitor) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		for range m.Events() {
		}
		close(done)
	}()
	return done
}

// A Monitor is an io.Closer: Close ends it as Stop does.
func TestMonitorIsCloser(t *testing.T) {
	s := newSocket(t, newContext(t), zring.Pair)
	m, err := s.Monitor(zring.EventAll)
	require.NoError(t, err)
	var c io.Closer = m
	require.NoError(t, c.Close())
	require.NoError(t, c.Close(), "idempotent")
	ev, ok := <-m.Events()
	require.True(t, ok)
	assert.Equal(t, zring.EventMonitorStopped, ev.Type)
	_, ok = <-m.Events()
	assert.False(t, ok, "closed after MONITOR_STOPPED")
}
