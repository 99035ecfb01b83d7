package socket_test

import (
	"encoding/binary"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring/socket"
	"github.com/zring/zring/zmtp"
)

// nextEvent waits for the next event of one of the wanted types, skipping
// others.
func nextEvent(t *testing.T, m *socket.Monitor, want ...socket.EventType) socket.Event {
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

func monitor(t *testing.T, s *socket.Socket) *socket.Monitor {
	t.Helper()
	m, err := s.Monitor(socket.EventAll)
	require.NoError(t, err)
	return m
}

func TestMonitorConnectionLifecycle(t *testing.T) {
	c := newContext(t)
	server := newSocket(t, c, socket.Rep, socket.WithLinger(0))
	sm := monitor(t, server)
	require.NoError(t, server.Bind("tcp://127.0.0.1:*"))
	ep := server.Endpoint()
	ev := nextEvent(t, sm, socket.EventListening)
	assert.Equal(t, ep, ev.Endpoint)
	assert.NotZero(t, ev.Value, "the listening fd")

	client := newSocket(t, c, socket.Req, socket.WithReconnectIvl(20*time.Millisecond))
	cm := monitor(t, client)
	require.NoError(t, client.Connect(ep))
	assert.Equal(t, socket.EventConnectDelayed, nextEvent(t, cm, socket.EventConnectDelayed, socket.EventConnected).Type)
	assert.Equal(t, ep, nextEvent(t, cm, socket.EventConnected).Endpoint)
	assert.Equal(t, socket.EventHandshakeSucceeded, nextEvent(t, cm, socket.EventHandshakeSucceeded).Type)
	assert.Equal(t, ep, nextEvent(t, sm, socket.EventAccepted).Endpoint)
	nextEvent(t, sm, socket.EventHandshakeSucceeded)

	require.NoError(t, server.Close())
	ev = nextEvent(t, sm, socket.EventClosed)
	assert.Equal(t, ep, ev.Endpoint, "the listener closed")
	ev = nextEvent(t, sm, socket.EventMonitorStopped)
	_, open := <-sm.Events()
	assert.False(t, open, "closing the socket stops its monitor")

	ev = nextEvent(t, cm, socket.EventDisconnected)
	assert.Error(t, ev.Err, "the cause travels with the event")
	ev = nextEvent(t, cm, socket.EventConnectRetried)
	assert.GreaterOrEqual(t, ev.Value, uint32(20), "the reconnect interval in ms, plus jitter below it")
	assert.Less(t, ev.Value, uint32(40))
	cm.Stop()
	assert.Equal(t, socket.EventMonitorStopped, nextEvent(t, cm, socket.EventMonitorStopped).Type)
	cm.Stop() // idempotent
}

func TestMonitorBindFailed(t *testing.T) {
	c := newContext(t)
	a := newSocket(t, c, socket.Pull)
	require.NoError(t, a.Bind("tcp://127.0.0.1:*"))
	b := newSocket(t, c, socket.Pull)
	m := monitor(t, b)
	require.ErrorIs(t, b.Bind(a.Endpoint()), socket.ErrAddrInUse)
	ev := nextEvent(t, m, socket.EventBindFailed)
	assert.EqualValues(t, syscall.EADDRINUSE, ev.Value)
	assert.Equal(t, a.Endpoint(), ev.Endpoint)
}

func TestMonitorHandshakeFailures(t *testing.T) {
	t.Run("incompatible", func(t *testing.T) {
		c := newContext(t)
		a := newSocket(t, c, socket.Push)
		m := monitor(t, a)
		require.NoError(t, a.Bind("tcp://127.0.0.1:*"))
		b := newSocket(t, c, socket.Push)
		require.NoError(t, b.Connect(a.Endpoint()))
		ev := nextEvent(t, m, socket.EventHandshakeFailedProtocol)
		assert.Equal(t, socket.ProtocolErrorInvalidMetadata, ev.Value)
		assert.ErrorIs(t, ev.Err, zmtp.ErrIncompatible)
		nextEvent(t, m, socket.EventDisconnected)
	})
	t.Run("mechanism", func(t *testing.T) {
		s, m := boundMonitored(t, nil)
		p := dialRaw(t, s.Endpoint())
		p.write(zmtp.AppendGreeting(nil, "PLAIN", false))
		assert.Equal(t, socket.ProtocolErrorMechanismMismatch, nextEvent(t, m, socket.EventHandshakeFailedProtocol).Value)
	})
	t.Run("auth status", func(t *testing.T) {
		s, m := boundMonitored(t, nil)
		p := dialRaw(t, s.Endpoint())
		p.write(zmtp.AppendGreeting(nil, "NULL", false))
		p.write(zmtp.AppendError(nil, "400"))
		assert.EqualValues(t, 400, nextEvent(t, m, socket.EventHandshakeFailedAuth).Value)
	})
	t.Run("timeout", func(t *testing.T) {
		s, m := boundMonitored(t, []socket.Option{socket.WithHandshakeIvl(50 * time.Millisecond)})
		dialRaw(t, s.Endpoint()) // says nothing
		ev := nextEvent(t, m, socket.EventHandshakeFailedNoDetail)
		assert.Zero(t, ev.Value)
	})
}

func boundMonitored(t *testing.T, opts []socket.Option) (*socket.Socket, *socket.Monitor) {
	s := newSocket(t, newContext(t), socket.Pull, opts...)
	m := monitor(t, s)
	require.NoError(t, s.Bind("tcp://127.0.0.1:*"))
	return s, m
}

// A libzmq consumer reads MonitorTo's events in libzmq's two-frame format.
func TestInteropMonitorToLibzmqConsumer(t *testing.T) {
	c := newContext(t)
	s := newSocket(t, c, socket.Pull)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	monEP := "tcp://" + l.Addr().String()
	l.Close()
	_, err = s.MonitorTo(monEP, socket.EventListening|socket.EventAccepted)
	require.NoError(t, err)
	consumer := startPeer(t, "PAIR")
	consumer.Connect(monEP)
	time.Sleep(50 * time.Millisecond) // the PAIR link, so no event waits in our queue
	require.NoError(t, s.Bind("tcp://127.0.0.1:*"))

	msg := consumer.Recv()
	require.Len(t, msg, 2)
	require.Len(t, msg[0], 6)
	assert.EqualValues(t, socket.EventListening, binary.LittleEndian.Uint16(msg[0]))
	assert.NotZero(t, binary.LittleEndian.Uint32(msg[0][2:]))
	assert.Equal(t, s.Endpoint(), string(msg[1]))
}

// The libzmq idiom: the monitor PAIR on an inproc endpoint, read by a PAIR
// connected to it in the same process.
func TestMonitorToInproc(t *testing.T) {
	c := newContext(t)
	s := newSocket(t, c, socket.Pull)
	_, err := s.MonitorTo("inproc://monitor.pull", socket.EventListening)
	require.NoError(t, err)
	reader := newSocket(t, c, socket.Pair)
	require.NoError(t, reader.Connect("inproc://monitor.pull"))
	require.Eventually(t, func() bool { return reader.PeerCount() == 1 }, 5*time.Second, time.Millisecond)
	time.Sleep(10 * time.Millisecond) // the monitor's PAIR attaches its end
	require.NoError(t, s.Bind("tcp://127.0.0.1:*"))
	msg := recvMulti(t, reader)
	require.Len(t, msg, 2)
	assert.EqualValues(t, socket.EventListening, binary.LittleEndian.Uint16(msg[0]))
	assert.Equal(t, s.Endpoint(), string(msg[1]))
}
