//go:build linux

package zring_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/affinity"
)

// Issue 13: API misuse returns an error matching a sentinel and never
// panics.

// misuseCase is one misuse: run returns the error the API gave, which
// must match every sentinel in want (want nil: the call must succeed).
type misuseCase struct {
	name string
	want []error
	run  func(t *testing.T) error
}

func TestMisuseReturnsErrors(t *testing.T) {
	var cases []misuseCase
	cases = append(cases, nilArgumentCases()...)
	cases = append(cases, closedSocketCases()...)
	cases = append(cases, contextOptionCases()...)
	cases = append(cases, optionRangeCases()...)
	cases = append(cases, sockOptRangeCases()...)
	cases = append(cases, doneContextCases()...)
	cases = append(cases, misuseCase{"ErrTimeout is os.ErrDeadlineExceeded", []error{zring.ErrTimeout, zring.ErrAgain, os.ErrDeadlineExceeded}, func(t *testing.T) error {
		s := newSocket(t, newContext(t), zring.Pull, zring.WithRcvTimeout(5*time.Millisecond))
		_, err := s.Recv(0)
		return err
	}})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("panicked: %v", r)
					}
				}()
				err = tc.run(t)
			}()
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range tc.want {
				require.ErrorIs(t, err, w)
			}
		})
	}
}

func nilArgumentCases() []misuseCase {
	var nilCtx context.Context // a variable: vet flags a literal nil context
	inv := []error{zring.ErrInvalid}
	return []misuseCase{
		{"SetOption(nil)", inv, func(t *testing.T) error {
			return newSocket(t, newContext(t), zring.Pair).SetOption(zring.WithLinger(0), nil)
		}},
		{"SetOption(nil) keeps the options", nil, func(t *testing.T) error {
			s := newSocket(t, newContext(t), zring.Pair)
			require.Error(t, s.SetOption(zring.WithSndHWM(7), nil))
			n, err := s.SockOptInt(zring.OptSndHWM)
			require.Equal(t, 1000, n, "a failed SetOption applies nothing")
			return err
		}},
		{"NewSocket with a nil Option", inv, func(t *testing.T) error {
			_, err := newContext(t).NewSocket(zring.Pair, nil)
			return err
		}},
		{"NewSocket on a nil Context", inv, func(t *testing.T) error {
			var c *zring.Context
			_, err := c.NewSocket(zring.Pair)
			return err
		}},
		{"NewContext with a nil option", inv, func(t *testing.T) error {
			_, err := zring.NewContext(nil)
			return err
		}},
		{"methods of a nil Socket", inv, func(t *testing.T) error {
			var s *zring.Socket
			for _, err := range []error{s.SetOption(zring.WithLinger(0)), s.Bind("inproc://x"), s.Connect("inproc://x"),
				s.Unbind("inproc://x"), s.Disconnect("inproc://x"), s.SetSockOpt(zring.OptLinger, 0)} {
				require.ErrorIs(t, err, zring.ErrInvalid)
			}
			_, err := s.SockOpt(zring.OptEvents)
			require.ErrorIs(t, err, zring.ErrInvalid)
			_, err = s.Monitor(zring.EventAll)
			return err
		}},
		{"Proxy(nil, nil, nil)", inv, func(t *testing.T) error { return zring.Proxy(nil, nil, nil) }},
		{"Proxy with a nil backend", inv, func(t *testing.T) error {
			return zring.Proxy(newSocket(t, newContext(t), zring.Pair), nil, nil)
		}},
		{"ProxySteerable with a nil context", inv, func(t *testing.T) error {
			c := newContext(t)
			return zring.ProxySteerable(nilCtx, newSocket(t, c, zring.Pair), newSocket(t, c, zring.Pair), nil, nil)
		}},
		{"SendContext with a nil context", inv, func(t *testing.T) error {
			return newSocket(t, newContext(t), zring.Push).SendContext(nilCtx, []byte("x"), zring.DontWait)
		}},
		{"RecvContext with a nil context", inv, func(t *testing.T) error {
			_, err := newSocket(t, newContext(t), zring.Pull).RecvContext(nilCtx, zring.DontWait)
			return err
		}},
		{"methods of a nil Poller", inv, func(t *testing.T) error {
			var p *zring.Poller
			require.ErrorIs(t, p.Add(zring.PollItem{FD: 0}), zring.ErrInvalid)
			require.ErrorIs(t, p.SetEvents(0, zring.PollIn), zring.ErrInvalid)
			require.NoError(t, p.Close())
			_, err := p.Wait(0)
			return err
		}},
		{"a Poller after Close", []error{zring.ErrClosed}, func(t *testing.T) error {
			p, err := zring.NewPoller(zring.PollItem{Socket: newSocket(t, newContext(t), zring.Pull), Events: zring.PollIn})
			require.NoError(t, err)
			require.NoError(t, p.Close())
			require.NoError(t, p.Close(), "a second Close must not close the descriptor number again")
			require.ErrorIs(t, p.Add(zring.PollItem{FD: 0}), zring.ErrClosed)
			require.ErrorIs(t, p.SetEvents(0, zring.PollIn), zring.ErrClosed)
			_, err = p.Wait(0)
			return err
		}},
		{"Poller.WaitContext with a nil context", inv, func(t *testing.T) error {
			p, err := zring.NewPoller(zring.PollItem{Socket: newSocket(t, newContext(t), zring.Pull), Events: zring.PollIn})
			require.NoError(t, err)
			defer p.Close()
			_, err = p.WaitContext(nilCtx, 0)
			return err
		}},
	}
}

// closedSocketCases call every operation on a closed socket, and on a
// socket of a closed context.
func closedSocketCases() []misuseCase {
	closed := func(t *testing.T, typ zring.Type) *zring.Socket {
		s := newSocket(t, newContext(t), typ)
		require.NoError(t, s.Close())
		return s
	}
	cl := []error{zring.ErrClosed}
	var cases []misuseCase
	for name, call := range map[string]func(s *zring.Socket) error{
		"SetOption":    func(s *zring.Socket) error { return s.SetOption(zring.WithLinger(0)) },
		"SetSockOpt":   func(s *zring.Socket) error { return s.SetSockOpt(zring.OptLinger, 0) },
		"SockOpt":      func(s *zring.Socket) error { _, err := s.SockOpt(zring.OptLinger); return err },
		"SockOptInt":   func(s *zring.Socket) error { _, err := s.SockOptInt(zring.OptSndHWM); return err },
		"SockOptBytes": func(s *zring.Socket) error { _, err := s.SockOptBytes(zring.OptRoutingID); return err },
		"Events":       func(s *zring.Socket) error { _, err := s.SockOpt(zring.OptEvents); return err },
		"Bind tcp":     func(s *zring.Socket) error { return s.Bind("tcp://127.0.0.1:*") },
		"Bind inproc":  func(s *zring.Socket) error { return s.Bind("inproc://misuse-closed") },
		"Connect tcp":  func(s *zring.Socket) error { return s.Connect("tcp://127.0.0.1:1") },
		"Connect inproc": func(s *zring.Socket) error {
			return s.Connect("inproc://misuse-closed")
		},
		"Unbind":     func(s *zring.Socket) error { return s.Unbind("tcp://127.0.0.1:5555") },
		"Disconnect": func(s *zring.Socket) error { return s.Disconnect("tcp://127.0.0.1:5555") },
		"Monitor":    func(s *zring.Socket) error { _, err := s.Monitor(zring.EventAll); return err },
		"MonitorTo": func(s *zring.Socket) error {
			_, err := s.MonitorTo("inproc://misuse-mon", zring.EventAll)
			return err
		},
		"Send":        func(s *zring.Socket) error { return s.Send([]byte("x"), zring.DontWait) },
		"Recv":        func(s *zring.Socket) error { _, err := s.Recv(zring.DontWait); return err },
		"Subscribe":   func(s *zring.Socket) error { return s.Subscribe("a") },
		"Unsubscribe": func(s *zring.Socket) error { return s.Unsubscribe("a") },
	} {
		cases = append(cases, misuseCase{name + " after Close", cl, func(t *testing.T) error {
			return call(closed(t, zring.Sub))
		}})
	}
	cases = append(cases,
		misuseCase{"Unbind of a bound endpoint after Close", cl, func(t *testing.T) error {
			s := newSocket(t, newContext(t), zring.Pull)
			require.NoError(t, s.Bind("tcp://127.0.0.1:*"))
			ep := s.Endpoint()
			require.NoError(t, s.Close())
			return s.Unbind(ep)
		}},
		misuseCase{"SetOption after Context.Close", []error{zring.ErrTerminated}, func(t *testing.T) error {
			c, err := zring.NewContext()
			require.NoError(t, err)
			s, err := c.NewSocket(zring.Pair)
			require.NoError(t, err)
			require.NoError(t, c.Close())
			_, err = s.SockOpt(zring.OptLinger)
			require.ErrorIs(t, err, zring.ErrTerminated)
			return s.SetOption(zring.WithLinger(0))
		}},
		misuseCase{"NewSocket after Context.Close", []error{zring.ErrTerminated}, func(t *testing.T) error {
			c, err := zring.NewContext()
			require.NoError(t, err)
			require.NoError(t, c.Close())
			_, err = c.NewSocket(zring.Pair)
			return err
		}},
	)
	return cases
}

func contextOptionCases() []misuseCase {
	return []misuseCase{
		{"WithCPUs(9999)", []error{zring.ErrInvalid, affinity.ErrInvalidCPU}, func(t *testing.T) error {
			c, err := zring.NewContext(zring.WithCPUs(9999))
			if err == nil {
				c.Close()
			}
			return err
		}},
		{"WithCPUs(-1)", []error{zring.ErrInvalid}, func(t *testing.T) error {
			c, err := zring.NewContext(zring.WithCPUs(-1))
			if err == nil {
				c.Close()
			}
			return err
		}},
		{"a BINDTODEVICE the kernel refuses", []error{zring.ErrInvalid}, func(t *testing.T) error {
			s := newSocket(t, newContext(t), zring.Pull, zring.WithBindToDevice("zring-nodev0"))
			err := s.Bind("tcp://127.0.0.1:*")
			// The errno stays matchable: ENODEV as root, EPERM without
			// CAP_NET_RAW.
			var errno syscall.Errno
			require.ErrorAs(t, err, &errno)
			require.Contains(t, []syscall.Errno{syscall.ENODEV, syscall.EPERM}, errno)
			return err
		}},
		{"a BINDTODEVICE name too long", []error{zring.ErrInvalid}, func(t *testing.T) error {
			_, err := newContext(t).NewSocket(zring.Pull, zring.WithBindToDevice(strings.Repeat("e", 17)))
			return err
		}},
	}
}

// optionRangeCases check the typed options against libzmq 4.3's
// zmq_setsockopt ranges.
func optionRangeCases() []misuseCase {
	inv := []error{zring.ErrInvalid}
	ms := time.Millisecond
	var cases []misuseCase
	for _, o := range []struct {
		name string
		opt  zring.Option
		ok   bool
	}{
		{"HANDSHAKE_IVL -1", zring.WithHandshakeIvl(-1), false},
		{"HANDSHAKE_IVL 0", zring.WithHandshakeIvl(0), true},
		{"TCP_KEEPALIVE on", zring.WithTCPKeepalive(true), true},
		{"TCP_KEEPALIVE_CNT -2", zring.WithTCPKeepaliveCnt(-2), false},
		{"TCP_KEEPALIVE_CNT -1", zring.WithTCPKeepaliveCnt(-1), true},
		{"TCP_KEEPALIVE_IDLE -1ns", zring.WithTCPKeepaliveIdle(-1), false},
		{"TCP_KEEPALIVE_IDLE 0", zring.WithTCPKeepaliveIdle(0), true},
		{"TCP_KEEPALIVE_INTVL -1s", zring.WithTCPKeepaliveIntvl(-time.Second), false},
		{"TCP_KEEPALIVE_INTVL 0", zring.WithTCPKeepaliveIntvl(0), true},
		{"SNDBUF -2", zring.WithSndBuf(-2), false},
		{"SNDBUF -1", zring.WithSndBuf(-1), true},
		{"RCVBUF -2", zring.WithRcvBuf(-2), false},
		{"RCVBUF -1", zring.WithRcvBuf(-1), true},
		{"SNDHWM -1", zring.WithSndHWM(-1), false},
		{"RCVHWM -1", zring.WithRcvHWM(-1), false},
		{"BACKLOG -1", zring.WithBacklog(-1), false},
		{"TOS -1", zring.WithTOS(-1), false},
		{"RECONNECT_IVL -1", zring.WithReconnectIvl(-ms), true},
		{"RECONNECT_IVL 0", zring.WithReconnectIvl(0), true},
		{"RECONNECT_IVL_MAX -1", zring.WithReconnectIvlMax(-ms), false},
		{"CONNECT_TIMEOUT -1", zring.WithConnectTimeout(-ms), false},
		{"TCP_MAXRT -1", zring.WithTCPMaxRT(-ms), false},
		{"HEARTBEAT_IVL -1", zring.WithHeartbeatIvl(-ms), false},
		{"HEARTBEAT_TIMEOUT -1", zring.WithHeartbeatTimeout(-ms), false},
		{"HEARTBEAT_TTL -1", zring.WithHeartbeatTTL(-ms), false},
		{"HEARTBEAT_TTL 6553599 ms", zring.WithHeartbeatTTL(6553599 * ms), true},
		{"HEARTBEAT_TTL 6553600 ms", zring.WithHeartbeatTTL(6553600 * ms), false},
		{"LINGER -1", zring.WithLinger(-ms), true},
		{"ROUTING_ID empty", zring.WithRoutingID(nil), false},
		{"ROUTING_ID 256 bytes", zring.WithRoutingID(make([]byte, 256)), false},
		{"CONNECT_ROUTING_ID empty", zring.WithConnectRoutingID(nil), false},
		{"PLAIN_USERNAME 256 bytes", zring.WithPlainUsername(strings.Repeat("u", 256)), false},
		{"PLAIN_PASSWORD 256 bytes", zring.WithPlainPassword(strings.Repeat("p", 256)), false},
		{"ZAP_DOMAIN 256 bytes", zring.WithZAPDomain(strings.Repeat("d", 256)), false},
		{"RECONNECT_STOP -1", zring.WithReconnectStop(-1), false},
	} {
		want := inv
		if o.ok {
			want = nil
		}
		cases = append(cases, misuseCase{"With " + o.name, want, func(t *testing.T) error {
			return newSocket(t, newContext(t), zring.Router).SetOption(o.opt)
		}})
	}
	return cases
}

// sockOptRangeCases check that the integer path applies libzmq's ranges,
// including its strict (0/1) and non-negative booleans.
func sockOptRangeCases() []misuseCase {
	inv := []error{zring.ErrInvalid}
	var cases []misuseCase
	for _, o := range []struct {
		opt zring.Opt
		v   int
		ok  bool
	}{
		{zring.OptLinger, -2, false}, {zring.OptLinger, -1, true},
		{zring.OptSndTimeo, -2, false}, {zring.OptSndTimeo, -1, true},
		{zring.OptRcvTimeo, -2, false}, {zring.OptRcvTimeo, -1, true},
		{zring.OptReconnectIvl, -2, false}, {zring.OptReconnectIvl, -1, true}, {zring.OptReconnectIvl, 0, true},
		{zring.OptReconnectIvlMax, -1, false},
		{zring.OptHandshakeIvl, -1, false},
		{zring.OptConnectTimeout, -1, false},
		{zring.OptTCPMaxRT, -1, false},
		{zring.OptHeartbeatIvl, -1, false},
		{zring.OptHeartbeatTimeout, -1, false},
		{zring.OptHeartbeatTTL, -1, false}, {zring.OptHeartbeatTTL, 6553599, true}, {zring.OptHeartbeatTTL, 6553600, false},
		{zring.OptSndHWM, -1, false}, {zring.OptRcvHWM, -1, false},
		{zring.OptSndBuf, -2, false}, {zring.OptSndBuf, -1, true},
		{zring.OptRcvBuf, -2, false},
		{zring.OptBacklog, -1, false},
		{zring.OptTOS, -1, false},
		{zring.OptTCPKeepalive, 2, false},
		{zring.OptTCPKeepaliveCnt, -2, false}, {zring.OptTCPKeepaliveCnt, -1, true},
		{zring.OptTCPKeepaliveIdle, -2, false},
		{zring.OptTCPKeepaliveIntvl, -2, false},
		{zring.OptIPv6, 2, false}, {zring.OptIPv6, -1, false}, {zring.OptIPv6, 1, true},
		{zring.OptImmediate, 2, false},
		{zring.OptConflate, 2, false},
		{zring.OptStreamNotify, 2, false},
		{zring.OptPlainServer, 2, false},
		{zring.OptCurveServer, -1, false},
		{zring.OptRouterMandatory, -1, false}, {zring.OptRouterMandatory, 2, true},
		{zring.OptRouterHandover, -1, false},
		{zring.OptProbeRouter, -1, false},
		{zring.OptReqCorrelate, -1, false},
		{zring.OptReqRelaxed, -1, false},
		{zring.OptXPubVerbose, -1, false},
		{zring.OptXPubVerboser, -1, false},
		{zring.OptXPubNoDrop, -1, false},
		{zring.OptXPubManual, -1, false},
		{zring.OptInvertMatching, -5, true},
		{zring.OptZAPEnforceDomain, 7, true},
	} {
		want := inv
		if o.ok {
			want = nil
		}
		cases = append(cases, misuseCase{fmt.Sprintf("SetSockOpt(%d, %d)", o.opt, o.v), want, func(t *testing.T) error {
			return newSocket(t, newContext(t), zring.XPub).SetSockOpt(o.opt, o.v)
		}})
	}
	return cases
}

// doneContextCases give every ...Context method a context already done,
// when the operation could complete at once: it must fail with ctx.Err()
// and have no effect.
func doneContextCases() []misuseCase {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	cancel2()
	var cases []misuseCase
	for _, ctx := range []context.Context{canceled, expired} {
		want := []error{ctx.Err()}
		// pair returns two connected inproc PAIR sockets; the first has a
		// message waiting when waiting is set.
		pair := func(t *testing.T, waiting bool) (a, b *zring.Socket) {
			c := newContext(t)
			a, b = newSocket(t, c, zring.Pair), newSocket(t, c, zring.Pair)
			ep := fmt.Sprintf("inproc://misuse-%p", a)
			require.NoError(t, a.Bind(ep))
			require.NoError(t, b.Connect(ep))
			if waiting {
				require.NoError(t, b.SendMulti([][]byte{[]byte("kept"), []byte("whole")}, 0))
				requirePollIn(t, a)
			}
			return a, b
		}
		// untouched checks that the message sent by pair is still there,
		// whole.
		untouched := func(t *testing.T, a *zring.Socket) {
			msg, err := a.RecvMulti(zring.DontWait)
			require.NoError(t, err)
			require.Equal(t, [][]byte{[]byte("kept"), []byte("whole")}, msg)
		}
		// nothingSent checks that b received nothing.
		nothingSent := func(t *testing.T, b *zring.Socket) {
			time.Sleep(20 * time.Millisecond)
			_, err := b.Recv(zring.DontWait)
			require.ErrorIs(t, err, zring.ErrAgain)
		}
		suffix := " with a context " + ctx.Err().Error()
		cases = append(cases,
			misuseCase{"SendContext" + suffix, want, func(t *testing.T) error {
				a, b := pair(t, false)
				err := a.SendContext(ctx, []byte("x"), 0)
				nothingSent(t, b)
				return err
			}},
			misuseCase{"SendMultiContext" + suffix, want, func(t *testing.T) error {
				a, b := pair(t, false)
				err := a.SendMultiContext(ctx, [][]byte{[]byte("x")}, zring.DontWait)
				nothingSent(t, b)
				return err
			}},
			misuseCase{"SendFrameContext" + suffix, want, func(t *testing.T) error {
				a, b := pair(t, false)
				f := zring.FrameOf([]byte("x"))
				err := a.SendFrameContext(ctx, f, 0)
				require.Equal(t, int32(1), f.Refs(), "the caller still owns the frame")
				require.NoError(t, f.Release())
				nothingSent(t, b)
				return err
			}},
			misuseCase{"RecvContext" + suffix, want, func(t *testing.T) error {
				a, _ := pair(t, true)
				_, err := a.RecvContext(ctx, zring.DontWait)
				untouched(t, a)
				return err
			}},
			misuseCase{"RecvMultiContext" + suffix, want, func(t *testing.T) error {
				a, _ := pair(t, true)
				_, err := a.RecvMultiContext(ctx, 0)
				untouched(t, a)
				return err
			}},
			misuseCase{"RecvMultiMetadata" + suffix, want, func(t *testing.T) error {
				a, _ := pair(t, true)
				_, _, err := a.RecvMultiMetadataContext(ctx, 0)
				untouched(t, a)
				return err
			}},
			misuseCase{"RecvFrameContext" + suffix, want, func(t *testing.T) error {
				a, _ := pair(t, true)
				_, err := a.RecvFrameContext(ctx, 0)
				untouched(t, a)
				return err
			}},
			misuseCase{"Poller.WaitContext" + suffix, want, func(t *testing.T) error {
				a, _ := pair(t, true)
				p, err := zring.NewPoller(zring.PollItem{Socket: a, Events: zring.PollIn})
				require.NoError(t, err)
				defer p.Close()
				_, err = p.WaitContext(ctx, 0)
				return err
			}},
			misuseCase{"ProxySteerable" + suffix, want, func(t *testing.T) error {
				a, b := pair(t, true)
				err := zring.ProxySteerable(ctx, a, b, nil, nil)
				untouched(t, a)
				return err
			}},
		)
	}
	return cases
}

// requirePollIn waits until s has a message to receive.
func requirePollIn(t *testing.T, s *zring.Socket) {
	t.Helper()
	p, err := zring.NewPoller(zring.PollItem{Socket: s, Events: zring.PollIn})
	require.NoError(t, err)
	defer p.Close()
	ready, err := p.Wait(5 * time.Second)
	require.NoError(t, err)
	require.Len(t, ready, 1)
}

// TestReconnectIvlNotPositiveNeverReconnects: libzmq's RECONNECT_IVL -1
// (and 0) means no reconnection; it used to be refused, and a zero
// interval must not reach the jittered retry.
func TestReconnectIvlNotPositiveNeverReconnects(t *testing.T) {
	for _, ivl := range []int{-1, 0} {
		t.Run(fmt.Sprint(ivl), func(t *testing.T) {
			c := newContext(t)
			l := newSocket(t, c, zring.Pull)
			require.NoError(t, l.Bind("tcp://127.0.0.1:*"))
			ep := l.Endpoint()
			require.NoError(t, l.Close()) // nothing listens there now
			s := newSocket(t, c, zring.Push)
			require.NoError(t, s.SetSockOpt(zring.OptReconnectIvl, ivl))
			m, err := s.Monitor(zring.EventConnectRetried | zring.EventClosed | zring.EventConnectDelayed)
			require.NoError(t, err)
			require.NoError(t, s.Connect(ep))
			deadline := time.After(300 * time.Millisecond)
			for {
				select {
				case ev := <-m.Events():
					require.NotEqual(t, zring.EventConnectRetried, ev.Type, "reconnected: %v", ev)
					continue
				case <-deadline:
				}
				break
			}
		})
	}
}
