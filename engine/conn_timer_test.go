//go:build linux

package engine

import (
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/zmtp"
)

// fakeSocket is the least Socket a connecting session needs: it admits the
// session and records its monitor events.
type fakeSocket struct{ events chan fakeEvent }

type fakeEvent struct {
	kind Event
	err  error
}

func (s *fakeSocket) Command(Command, *pipe.Pipe) {}
func (s *fakeSocket) Event(kind Event, _ uint32, _ string, err error) {
	select {
	case s.events <- fakeEvent{kind, err}:
	default:
	}
}
func (s *fakeSocket) Options() SessionOptions  { return SessionOptions{} }
func (s *fakeSocket) Register(*Session) bool   { return true }
func (s *fakeSocket) Unregister(*Session)      {}
func (s *fakeSocket) ListenerClosed(*Listener) {}
func (s *fakeSocket) ZAP() ZAP                 { return nil }
func (s *fakeSocket) Unbound(*Listener)        {}

// next waits for the next event of kind, skipping others.
func (s *fakeSocket) next(t *testing.T, kind Event) fakeEvent {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case ev := <-s.events:
			if ev.kind == kind {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %v event", kind)
		}
	}
}

// pendingTimers returns the deadlines, from now, of the timers scheduled on
// th.
func pendingTimers(th *Thread) []time.Duration {
	var left []time.Duration
	run(th, func() {
		now := MonoNow()
		for _, tm := range th.timers {
			left = append(left, time.Duration(tm.whenNs-now))
		}
	})
	return left
}

// CONNECT_TIMEOUT bounds the connect only and HANDSHAKE_IVL the handshake
// only: once the connect completes its timer is gone, so a peer that
// accepts but never greets is dropped by the handshake timer alone, and
// after that close only the reconnect timer is left. (One timer field
// served both, and arming the handshake's lost the connect's: it stayed
// scheduled, with the closed connection it referenced, until its hour
// passed.)
func TestConnectTimerEndsWithTheConnect(t *testing.T) {
	const handshakeIvl = 200 * time.Millisecond
	ctx := newTestContext(t, Options{})
	th := ctx.Threads()[0]
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close() // holds the connection open, never greets
		}
	}()
	addr, err := ResolveTCP(nil, l.Addr().String(), false, false)
	require.NoError(t, err)
	opts := SessionOptions{
		Type: zmtp.Push, SndHWM: 16, RcvHWM: 16, MaxMsgSize: -1,
		HandshakeIvl:   handshakeIvl,
		ConnectTimeout: time.Hour,
		ReconnectIvl:   time.Hour,
		TCP:            DefaultTCPOptions(),
		Turn:           &Turn{}, Counters: &Counters{},
	}
	sock := &fakeSocket{events: make(chan fakeEvent, 64)}
	require.Empty(t, pendingTimers(th))
	ss, _, err := Dial(sock, th, opts, addr, nil, "tcp://"+l.Addr().String())
	require.NoError(t, err)
	ss.Start()

	sock.next(t, EventConnected)
	start := time.Now()
	// Posted after the event, so it runs once startHandshake has armed
	// the handshake timer.
	left := pendingTimers(th)
	require.Len(t, left, 1, "only the handshake timer, not the connect's: %v", left)
	require.LessOrEqual(t, left[0], handshakeIvl)

	ev := sock.next(t, EventHandshakeFailedNoDetail)
	require.ErrorIs(t, ev.err, errHandshakeTimeout)
	require.GreaterOrEqual(t, time.Since(start), handshakeIvl*9/10)
	ev = sock.next(t, EventDisconnected)
	require.ErrorIs(t, ev.err, errHandshakeTimeout)
	sock.next(t, EventConnectRetried)
	left = pendingTimers(th)
	require.Len(t, left, 1, "only the reconnect timer: %v", left)
	require.Greater(t, left[0], handshakeIvl)

	ss.Close(0)
	require.Empty(t, pendingTimers(th))
}
