package socket_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring/affinity"
	"github.com/zring/zring/mempool"
	"github.com/zring/zring/socket"
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
	cases = append(cases, misuseCase{"ErrTimeout is os.ErrDeadlineExceeded", []error{socket.ErrTimeout, socket.ErrAgain, os.ErrDeadlineExceeded}, func(t *testing.T) error {
		s := newSocket(t, newContext(t), socket.Pull, socket.WithRcvTimeout(5*time.Millisecond))
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
	inv := []error{socket.ErrInvalid}
	return []misuseCase{
		{"SetOption(nil)", inv, func(t *testing.T) error {
			return newSocket(t, newContext(t), socket.Pair).SetOption(socket.WithLinger(0), nil)
		}},
		{"SetOption(nil) keeps the options", nil, func(t *testing.T) error {
			s := newSocket(t, newContext(t), socket.Pair)
			require.Error(t, s.SetOption(socket.WithSndHWM(7), nil))
			n, err := s.SockOptInt(socket.OptSndHWM)
			require.Equal(t, 1000, n, "a failed SetOption applies nothing")
			return err
		}},
		{"NewSocket with a nil Option", inv, func(t *testing.T) error {
			_, err := newContext(t).NewSocket(socket.Pair, nil)
			return err
		}},
		{"NewSocket on a nil Context", inv, func(t *testing.T) error {
			var c *socket.Context
			_, err := c.NewSocket(socket.Pair)
			return err
		}},
		{"NewContext with a nil option", inv, func(t *testing.T) error {
			_, err := socket.NewContext(nil)
			return err
		}},
		{"methods of a nil Socket", inv, func(t *testing.T) error {
			var s *socket.Socket
			for _, err := range []error{s.SetOption(socket.WithLinger(0)), s.Bind("inproc://x"), s.Connect("inproc://x"),
				s.Unbind("inproc://x"), s.Disconnect("inproc://x"), s.SetSockOpt(socket.OptLinger, 0)} {
				require.ErrorIs(t, err, socket.ErrInvalid)
			}
			_, err := s.SockOpt(socket.OptEvents)
			require.ErrorIs(t, err, socket.ErrInvalid)
			_, err = s.Monitor(socket.EventAll)
			return err
		}},
		{"Proxy(nil, nil, nil)", inv, func(t *testing.T) error { return socket.Proxy(nil, nil, nil) }},
		{"Proxy with a nil backend", inv, func(t *testing.T) error {
			return socket.Proxy(newSocket(t, newContext(t), socket.Pair), nil, nil)
		}},
		{"ProxySteerable with a nil context", inv, func(t *testing.T) error {
			c := newContext(t)
			return socket.ProxySteerable(nilCtx, newSocket(t, c, socket.Pair), newSocket(t, c, socket.Pair), nil, nil)
		}},
		{"SendContext with a nil context", inv, func(t *testing.T) error {
			return newSocket(t, newContext(t), socket.Push).SendContext(nilCtx, []byte("x"), socket.DontWait)
		}},
		{"RecvContext with a nil context", inv, func(t *testing.T) error {
			_, err := newSocket(t, newContext(t), socket.Pull).RecvContext(nilCtx, socket.DontWait)
			return err
		}},
		{"methods of a nil Poller", inv, func(t *testing.T) error {
			var p *socket.Poller
			require.ErrorIs(t, p.Add(socket.PollItem{FD: 0}), socket.ErrInvalid)
			require.ErrorIs(t, p.SetEvents(0, socket.PollIn), socket.ErrInvalid)
			require.NoError(t, p.Close())
			_, err := p.Wait(0)
			return err
		}},
		{"a Poller after Close", []error{socket.ErrClosed}, func(t *testing.T) error {
			p, err := socket.NewPoller(socket.PollItem{Socket: newSocket(t, newContext(t), socket.Pull), Events: socket.PollIn})
			require.NoError(t, err)
			require.NoError(t, p.Close())
			require.NoError(t, p.Close(), "a second Close must not close the descriptor number again")
			require.ErrorIs(t, p.Add(socket.PollItem{FD: 0}), socket.ErrClosed)
			require.ErrorIs(t, p.SetEvents(0, socket.PollIn), socket.ErrClosed)
			_, err = p.Wait(0)
			return err
		}},
		{"Poller.WaitContext with a nil context", inv, func(t *testing.T) error {
			p, err := socket.NewPoller(socket.PollItem{Socket: newSocket(t, newContext(t), socket.Pull), Events: socket.PollIn})
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
	closed := func(t *testing.T, typ socket.Type) *socket.Socket {
		s := newSocket(t, newContext(t), typ)
		require.NoError(t, s.Close())
		return s
	}
	cl := []error{socket.ErrClosed}
	var cases []misuseCase
	for name, call := range map[string]func(s *socket.Socket) error{
		"SetOption":    func(s *socket.Socket) error { return s.SetOption(socket.WithLinger(0)) },
		"SetSockOpt":   func(s *socket.Socket) error { return s.SetSockOpt(socket.OptLinger, 0) },
		"SockOpt":      func(s *socket.Socket) error { _, err := s.SockOpt(socket.OptLinger); return err },
		"SockOptInt":   func(s *socket.Socket) error { _, err := s.SockOptInt(socket.OptSndHWM); return err },
		"SockOptBytes": func(s *socket.Socket) error { _, err := s.SockOptBytes(socket.OptRoutingID); return err },
		"Events":       func(s *socket.Socket) error { _, err := s.SockOpt(socket.OptEvents); return err },
		"Bind tcp":     func(s *socket.Socket) error { return s.Bind("tcp://127.0.0.1:*") },
		"Bind inproc":  func(s *socket.Socket) error { return s.Bind("inproc://misuse-closed") },
		"Connect tcp":  func(s *socket.Socket) error { return s.Connect("tcp://127.0.0.1:1") },
		"Connect inproc": func(s *socket.Socket) error {
			return s.Connect("inproc://misuse-closed")
		},
		"Unbind":     func(s *socket.Socket) error { return s.Unbind("tcp://127.0.0.1:5555") },
		"Disconnect": func(s *socket.Socket) error { return s.Disconnect("tcp://127.0.0.1:5555") },
		"Monitor":    func(s *socket.Socket) error { _, err := s.Monitor(socket.EventAll); return err },
		"MonitorTo": func(s *socket.Socket) error {
			_, err := s.MonitorTo("inproc://misuse-mon", socket.EventAll)
			return err
		},
		"Send":        func(s *socket.Socket) error { return s.Send([]byte("x"), socket.DontWait) },
		"Recv":        func(s *socket.Socket) error { _, err := s.Recv(socket.DontWait); return err },
		"Subscribe":   func(s *socket.Socket) error { return s.Subscribe("a") },
		"Unsubscribe": func(s *socket.Socket) error { return s.Unsubscribe("a") },
	} {
		cases = append(cases, misuseCase{name + " after Close", cl, func(t *testing.T) error {
			return call(closed(t, socket.Sub))
		}})
	}
	cases = append(cases,
		misuseCase{"Unbind of a bound endpoint after Close", cl, func(t *testing.T) error {
			s := newSocket(t, newContext(t), socket.Pull)
			require.NoError(t, s.Bind("tcp://127.0.0.1:*"))
			ep := s.Endpoint()
			require.NoError(t, s.Close())
			return s.Unbind(ep)
		}},
		misuseCase{"SetOption after Context.Close", []error{socket.ErrTerminated}, func(t *testing.T) error {
			c, err := socket.NewContext()
			require.NoError(t, err)
			s, err := c.NewSocket(socket.Pair)
			require.NoError(t, err)
			require.NoError(t, c.Close())
			_, err = s.SockOpt(socket.OptLinger)
			require.ErrorIs(t, err, socket.ErrTerminated)
			return s.SetOption(socket.WithLinger(0))
		}},
		misuseCase{"NewSocket after Context.Close", []error{socket.ErrTerminated}, func(t *testing.T) error {
			c, err := socket.NewContext()
			require.NoError(t, err)
			require.NoError(t, c.Close())
			_, err = c.NewSocket(socket.Pair)
			return err
		}},
	)
	return cases
}

func contextOptionCases() []misuseCase {
	return []misuseCase{
		{"WithCPUs(9999)", []error{socket.ErrInvalid, affinity.ErrInvalidCPU}, func(t *testing.T) error {
			c, err := socket.NewContext(socket.WithCPUs(9999))
			if err == nil {
				c.Close()
			}
			return err
		}},
		{"WithCPUs(-1)", []error{socket.ErrInvalid}, func(t *testing.T) error {
			c, err := socket.NewContext(socket.WithCPUs(-1))
			if err == nil {
				c.Close()
			}
			return err
		}},
		{"a BINDTODEVICE the kernel refuses", []error{socket.ErrInvalid}, func(t *testing.T) error {
			s := newSocket(t, newContext(t), socket.Pull, socket.WithBindToDevice("zring-nodev0"))
			err := s.Bind("tcp://127.0.0.1:*")
			// The errno stays matchable: ENODEV as root, EPERM without
			// CAP_NET_RAW.
			var errno syscall.Errno
			require.ErrorAs(t, err, &errno)
			require.Contains(t, []syscall.Errno{syscall.ENODEV, syscall.EPERM}, errno)
			return err
		}},
		{"a BINDTODEVICE name too long", []error{socket.ErrInvalid}, func(t *testing.T) error {
			_, err := newContext(t).NewSocket(socket.Pull, socket.WithBindToDevice(strings.Repeat("e", 17)))
			return err
		}},
	}
}

// optionRangeCases check the typed options against libzmq 4.3's
// zmq_setsockopt ranges.
func optionRangeCases() []misuseCase {
	inv := []error{socket.ErrInvalid}
	ms := time.Millisecond
	var cases []misuseCase
	for _, o := range []struct {
		name string
		opt  socket.Option
		ok   bool
	}{
		{"HANDSHAKE_IVL -1", socket.WithHandshakeIvl(-1), false},
		{"HANDSHAKE_IVL 0", socket.WithHandshakeIvl(0), true},
		{"TCP_KEEPALIVE 2", socket.WithTCPKeepalive(2), false},
		{"TCP_KEEPALIVE -2", socket.WithTCPKeepalive(-2), false},
		{"TCP_KEEPALIVE_CNT -2", socket.WithTCPKeepaliveCnt(-2), false},
		{"TCP_KEEPALIVE_CNT -1", socket.WithTCPKeepaliveCnt(-1), true},
		{"TCP_KEEPALIVE_IDLE -2", socket.WithTCPKeepaliveIdle(-2), false},
		{"TCP_KEEPALIVE_IDLE -1", socket.WithTCPKeepaliveIdle(-1), true},
		{"TCP_KEEPALIVE_INTVL -2", socket.WithTCPKeepaliveIntvl(-2), false},
		{"TCP_KEEPALIVE_INTVL 0", socket.WithTCPKeepaliveIntvl(0), true},
		{"SNDBUF -2", socket.WithSndBuf(-2), false},
		{"SNDBUF -1", socket.WithSndBuf(-1), true},
		{"RCVBUF -2", socket.WithRcvBuf(-2), false},
		{"RCVBUF -1", socket.WithRcvBuf(-1), true},
		{"SNDHWM -1", socket.WithSndHWM(-1), false},
		{"RCVHWM -1", socket.WithRcvHWM(-1), false},
		{"BACKLOG -1", socket.WithBacklog(-1), false},
		{"TOS -1", socket.WithTOS(-1), false},
		{"RECONNECT_IVL -1", socket.WithReconnectIvl(-ms), true},
		{"RECONNECT_IVL 0", socket.WithReconnectIvl(0), true},
		{"RECONNECT_IVL_MAX -1", socket.WithReconnectIvlMax(-ms), false},
		{"CONNECT_TIMEOUT -1", socket.WithConnectTimeout(-ms), false},
		{"TCP_MAXRT -1", socket.WithTCPMaxRT(-ms), false},
		{"HEARTBEAT_IVL -1", socket.WithHeartbeatIvl(-ms), false},
		{"HEARTBEAT_TIMEOUT -1", socket.WithHeartbeatTimeout(-ms), false},
		{"HEARTBEAT_TTL -1", socket.WithHeartbeatTTL(-ms), false},
		{"HEARTBEAT_TTL 6553599 ms", socket.WithHeartbeatTTL(6553599 * ms), true},
		{"HEARTBEAT_TTL 6553600 ms", socket.WithHeartbeatTTL(6553600 * ms), false},
		{"LINGER -1", socket.WithLinger(-ms), true},
		{"ROUTING_ID empty", socket.WithRoutingID(nil), false},
		{"ROUTING_ID 256 bytes", socket.WithRoutingID(make([]byte, 256)), false},
		{"CONNECT_ROUTING_ID empty", socket.WithConnectRoutingID(nil), false},
		{"PLAIN_USERNAME 256 bytes", socket.WithPlainUsername(strings.Repeat("u", 256)), false},
		{"PLAIN_PASSWORD 256 bytes", socket.WithPlainPassword(strings.Repeat("p", 256)), false},
		{"ZAP_DOMAIN 256 bytes", socket.WithZAPDomain(strings.Repeat("d", 256)), false},
		{"CURVE_SECRETKEY 31 bytes", socket.WithCurveSecretKey(strings.Repeat("k", 31)), false},
		{"RECONNECT_STOP -1", socket.WithReconnectStop(-1), false},
	} {
		want := inv
		if o.ok {
			want = nil
		}
		cases = append(cases, misuseCase{"With " + o.name, want, func(t *testing.T) error {
			return newSocket(t, newContext(t), socket.Router).SetOption(o.opt)
		}})
	}
	return cases
}

// sockOptRangeCases check that the integer path applies libzmq's ranges,
// including its strict (0/1) and non-negative booleans.
func sockOptRangeCases() []misuseCase {
	inv := []error{socket.ErrInvalid}
	var cases []misuseCase
	for _, o := range []struct {
		opt socket.Opt
		v   int
		ok  bool
	}{
		{socket.OptLinger, -2, false}, {socket.OptLinger, -1, true},
		{socket.OptSndTimeo, -2, false}, {socket.OptSndTimeo, -1, true},
		{socket.OptRcvTimeo, -2, false}, {socket.OptRcvTimeo, -1, true},
		{socket.OptReconnectIvl, -2, false}, {socket.OptReconnectIvl, -1, true}, {socket.OptReconnectIvl, 0, true},
		{socket.OptReconnectIvlMax, -1, false},
		{socket.OptHandshakeIvl, -1, false},
		{socket.OptConnectTimeout, -1, false},
		{socket.OptTCPMaxRT, -1, false},
		{socket.OptHeartbeatIvl, -1, false},
		{socket.OptHeartbeatTimeout, -1, false},
		{socket.OptHeartbeatTTL, -1, false}, {socket.OptHeartbeatTTL, 6553599, true}, {socket.OptHeartbeatTTL, 6553600, false},
		{socket.OptSndHWM, -1, false}, {socket.OptRcvHWM, -1, false},
		{socket.OptSndBuf, -2, false}, {socket.OptSndBuf, -1, true},
		{socket.OptRcvBuf, -2, false},
		{socket.OptBacklog, -1, false},
		{socket.OptTOS, -1, false},
		{socket.OptTCPKeepalive, 2, false},
		{socket.OptTCPKeepaliveCnt, -2, false}, {socket.OptTCPKeepaliveCnt, -1, true},
		{socket.OptTCPKeepaliveIdle, -2, false},
		{socket.OptTCPKeepaliveIntvl, -2, false},
		{socket.OptIPv6, 2, false}, {socket.OptIPv6, -1, false}, {socket.OptIPv6, 1, true},
		{socket.OptImmediate, 2, false},
		{socket.OptConflate, 2, false},
		{socket.OptStreamNotify, 2, false},
		{socket.OptPlainServer, 2, false},
		{socket.OptCurveServer, -1, false},
		{socket.OptRouterMandatory, -1, false}, {socket.OptRouterMandatory, 2, true},
		{socket.OptRouterHandover, -1, false},
		{socket.OptProbeRouter, -1, false},
		{socket.OptReqCorrelate, -1, false},
		{socket.OptReqRelaxed, -1, false},
		{socket.OptXPubVerbose, -1, false},
		{socket.OptXPubVerboser, -1, false},
		{socket.OptXPubNoDrop, -1, false},
		{socket.OptXPubManual, -1, false},
		{socket.OptInvertMatching, -5, true},
		{socket.OptZAPEnforceDomain, 7, true},
	} {
		want := inv
		if o.ok {
			want = nil
		}
		cases = append(cases, misuseCase{fmt.Sprintf("SetSockOpt(%d, %d)", o.opt, o.v), want, func(t *testing.T) error {
			return newSocket(t, newContext(t), socket.XPub).SetSockOpt(o.opt, o.v)
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
		pair := func(t *testing.T, waiting bool) (a, b *socket.Socket) {
			c := newContext(t)
			a, b = newSocket(t, c, socket.Pair), newSocket(t, c, socket.Pair)
			ep := fmt.Sprintf("inproc://misuse-%p", a)
			require.NoError(t, a.Bind(ep))
			require.NoError(t, b.Connect(ep))
			if waiting {
				require.NoError(t, b.SendMulti([][]byte{[]byte("kept"), []byte("whole")}))
				requirePollIn(t, a)
			}
			return a, b
		}
		// untouched checks that the message sent by pair is still there,
		// whole.
		untouched := func(t *testing.T, a *socket.Socket) {
			msg, err := a.RecvMulti(socket.DontWait)
			require.NoError(t, err)
			require.Equal(t, [][]byte{[]byte("kept"), []byte("whole")}, msg)
		}
		// nothingSent checks that b received nothing.
		nothingSent := func(t *testing.T, b *socket.Socket) {
			time.Sleep(20 * time.Millisecond)
			_, err := b.Recv(socket.DontWait)
			require.ErrorIs(t, err, socket.ErrAgain)
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
				err := a.SendMultiContext(ctx, [][]byte{[]byte("x")}, socket.DontWait)
				nothingSent(t, b)
				return err
			}},
			misuseCase{"SendFrameContext" + suffix, want, func(t *testing.T) error {
				a, b := pair(t, false)
				f := mempool.FromBytes([]byte("x"))
				err := a.SendFrameContext(ctx, f, 0)
				require.Equal(t, int32(1), f.Refs(), "the caller still owns the frame")
				require.NoError(t, f.Release())
				nothingSent(t, b)
				return err
			}},
			misuseCase{"RecvContext" + suffix, want, func(t *testing.T) error {
				a, _ := pair(t, true)
				_, err := a.RecvContext(ctx, socket.DontWait)
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
				_, _, err := a.RecvMultiMetadata(ctx, 0)
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
				p, err := socket.NewPoller(socket.PollItem{Socket: a, Events: socket.PollIn})
				require.NoError(t, err)
				defer p.Close()
				_, err = p.WaitContext(ctx, 0)
				return err
			}},
			misuseCase{"ProxySteerable" + suffix, want, func(t *testing.T) error {
				a, b := pair(t, true)
				err := socket.ProxySteerable(ctx, a, b, nil, nil)
				untouched(t, a)
				return err
			}},
		)
	}
	return cases
}

// requirePollIn waits until s has a message to receive.
func requirePollIn(t *testing.T, s *socket.Socket) {
	t.Helper()
	p, err := socket.NewPoller(socket.PollItem{Socket: s, Events: socket.PollIn})
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
			l := newSocket(t, c, socket.Pull)
			require.NoError(t, l.Bind("tcp://127.0.0.1:*"))
			ep := l.Endpoint()
			require.NoError(t, l.Close()) // nothing listens there now
			s := newSocket(t, c, socket.Push)
			require.NoError(t, s.SetSockOpt(socket.OptReconnectIvl, ivl))
			m, err := s.Monitor(socket.EventConnectRetried | socket.EventClosed | socket.EventConnectDelayed)
			require.NoError(t, err)
			require.NoError(t, s.Connect(ep))
			deadline := time.After(300 * time.Millisecond)
			for {
				select {
				case ev := <-m.Events():
					require.NotEqual(t, socket.EventConnectRetried, ev.Type, "reconnected: %v", ev)
					continue
				case <-deadline:
				}
				break
			}
		})
	}
}
