package perfutil

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/zring/zring"
	"github.com/zring/zring/perf/perfmt"
)

// The zring side the tools share: setting up, the four message loops, and
// tearing down. Every loop uses the zero-copy API (pooled frames), and any
// failure ends the tool through Fatalf.

// Context starts a zring context with the -io-threads, -cpus, -poller and
// -raise-procs flags.
func (c *Config) Context() *zring.Context {
	opts := []zring.ContextOption{zring.WithIOThreads(c.IOThreads), zring.WithCPUs(c.CPUs...),
		zring.WithRaiseGOMAXPROCS(c.RaiseProcs)}
	if c.Poller != "" {
		opts = append(opts, zring.WithPoller(zring.PollerKind(c.Poller)))
	}
	ctx, err := zring.NewContext(opts...)
	if err != nil {
		c.Fatalf("new context: %v", err)
	}
	return ctx
}

// The CURVE keys of libzmq's perf tools (perf/local_thr.cpp and
// remote_thr.cpp), so that zring's and libzmq's tools pair up under
// [curve]: the binding side is the server.
const (
	CurveServerPublic = "DX4nh=yUn{-9ugra0X3Src4SU-4xTgqxcYY.+<SH"
	CurveServerSecret = "{X}#>t#jRGaQ}gMhv=30r(Mw+87YGs+5%kh=i@f8"
	CurveClientPublic = "<n^oA}I:66W+*ds3tAmi1+KJzv-}k&fC2aA5Bj0K"
	CurveClientSecret = "9R9bV}[6z6DC-%$!jTVTKvWc=LEL{4i4gzUe$@Zx"
)

// Open makes a socket of type t and binds it to endpoint, or connects it
// (-connections times); with [curve], as a CURVE server when it binds and
// a client when it connects.
func (c *Config) Open(ctx *zring.Context, t zring.Type, bind bool, endpoint string) *zring.Socket {
	var opts []zring.Option
	switch {
	case c.Curve && bind:
		opts = []zring.Option{zring.WithCurveServer(true), zring.WithCurveSecretKey(curveKey(CurveServerSecret))}
	case c.Curve:
		opts = []zring.Option{zring.WithCurveServerKey(curveKey(CurveServerPublic)),
			zring.WithCurvePublicKey(curveKey(CurveClientPublic)), zring.WithCurveSecretKey(curveKey(CurveClientSecret))}
	}
	if t == zring.Radio {
		// Lossless, as the fan-out tools' XPUB: the RADIO waits at the HWM.
		opts = append(opts, zring.WithXPubNoDrop(true))
	}
	s, err := ctx.NewSocket(t, opts...)
	if err != nil {
		c.Fatalf("new socket: %v", err)
	}
	if t == zring.Dish {
		if err := s.Join(Group); err != nil {
			c.Fatalf("join: %v", err)
		}
	}
	op, join := "connect", s.Connect
	if bind {
		op, join = "bind", s.Bind
	}
	for range c.Conns {
		if err := join(endpoint); err != nil {
			c.Fatalf("%s %s: %v", op, endpoint, err)
		}
		if bind {
			break
		}
	}
	if t == zring.Radio {
		time.Sleep(time.Second) // a RADIO drops what it sends before the DISH's JOIN arrives
	}
	return s
}

// Group is the RADIO/DISH group of -pattern radio, as in bench/c/perf.h.
const Group = "perf"

// SenderType and ReceiverType are the throughput tools' socket types for
// -pattern: PUSH and PULL, CLIENT and SERVER, or RADIO and DISH.
func (c *Config) SenderType() zring.Type {
	switch c.Pattern {
	case "client":
		return zring.Client
	case "radio":
		return zring.Radio
	}
	return zring.Push
}

// ReceiverType is the receiving side of SenderType.
func (c *Config) ReceiverType() zring.Type {
	switch c.Pattern {
	case "client":
		return zring.Server
	case "radio":
		return zring.Dish
	}
	return zring.Pull
}

// CloseSocket closes s; with the default linger, queued messages are still
// delivered before the context's Close returns, like zmq_ctx_term.
func (c *Config) CloseSocket(s *zring.Socket) {
	if err := s.Close(); err != nil {
		c.Fatalf("close: %v", err)
	}
}

// CloseContext terminates ctx, then stops and writes the profiles.
func (c *Config) CloseContext(ctx *zring.Context) {
	if err := ctx.Close(); err != nil {
		c.Fatalf("terminate context: %v", err)
	}
	c.StopProfile()
}

// Send sends Count messages of Size bytes, each a pooled frame, with
// SendBatch when -batch is set.
func (c *Config) Send(s *zring.Socket) {
	if c.Batch > 0 {
		c.sendBatches(s)
		return
	}
	for range c.Count {
		if c.Pattern == "radio" {
			g := zring.NewFrame(len(Group))
			copy(g.Bytes(), Group)
			if err := s.SendFrame(g, zring.SndMore); err != nil {
				g.Release()
				c.Fatalf("send: %v", err)
			}
		}
		c.sendFrame(s, zring.NewFrame(c.Size))
	}
}

// sendBatches sends Count messages, up to Batch per SendBatch.
func (c *Config) sendBatches(s *zring.Socket) {
	msgs := make([]*zring.Frame, 0, c.Batch)
	for left := c.Count; left > 0 || len(msgs) > 0; {
		for len(msgs) < cap(msgs) && left > 0 {
			msgs = append(msgs, zring.NewFrame(c.Size))
			left--
		}
		n, err := s.SendBatchContext(context.Background(), msgs, 0)
		if err != nil {
			for _, m := range msgs[n:] {
				m.Release() // still the caller's
			}
			c.Fatalf("send: %v", err)
		}
		msgs = msgs[:copy(msgs, msgs[n:])]
	}
}

// Receive receives Count messages, checking their size, with RecvBatch
// when -batch is set, and returns the microseconds since the first one
// arrived (libzmq's local_thr timing) and how many arrived: Count, but
// over udp:// (Lossy) what came before LossyIdle without a message, timed
// up to the last one.
func (c *Config) Receive(s *zring.Socket) (elapsed uint64, got int) {
	lossy := c.Lossy()
	if c.Batch > 0 && !lossy {
		return c.receiveBatches(s), c.Count
	}
	var watch perfmt.Stopwatch
	for ; got < c.Count && c.recvMessage(s, got > 0 && lossy); got++ {
		switch {
		case got == 0:
			watch = perfmt.StartStopwatch()
			if lossy {
				if err := s.SetOption(zring.WithRcvTimeout(LossyIdle)); err != nil {
					c.Fatalf("set RCVTIMEO: %v", err)
				}
			}
		case lossy:
			elapsed = watch.Micros()
		}
	}
	if !lossy {
		elapsed = watch.Micros()
	}
	return elapsed, got
}

// Lossy reports whether the run's transport may lose messages: udp://,
// where a RADIO's datagrams that find the DISH's socket buffer full are
// gone, so that a receiver cannot wait for Count of them.
func (c *Config) Lossy() bool { return strings.HasPrefix(c.Endpoint, "udp://") }

// LossyIdle is how long a Lossy receiver waits for one more message
// before it ends the run with what it has.
const LossyIdle = time.Second

// recvMessage receives one message of the pattern and checks it; false
// means RCVTIMEO expired first, which only idleOK allows.
func (c *Config) recvMessage(s *zring.Socket, idleOK bool) bool {
	f, err := s.RecvFrame(0)
	if idleOK && errors.Is(err, zring.ErrTimeout) {
		return false
	}
	if err != nil {
		c.Fatalf("recv: %v", err)
	}
	if c.Pattern == "radio" {
		c.checkGroup(f)
		f = c.recvFrame(s)
	} else {
		c.checkSize(f.Len())
	}
	f.Release()
	return true
}

// receiveBatches is Receive with RecvBatch, up to Batch messages a call.
func (c *Config) receiveBatches(s *zring.Socket) uint64 {
	var watch perfmt.Stopwatch
	dst := make([]*zring.Frame, c.Batch)
	for got := 0; got < c.Count; {
		n, err := s.RecvBatchContext(context.Background(), dst[:min(len(dst), c.Count-got)], 0)
		if err != nil {
			c.Fatalf("recv: %v", err)
		}
		if got == 0 {
			watch = perfmt.StartStopwatch()
		}
		for _, m := range dst[:n] {
			if m.Next() != nil {
				c.Fatalf("multipart message received, want one frame of %d bytes", c.Size)
			}
			c.checkSize(m.Len())
			zring.ReleaseMsg(m)
		}
		got += n
	}
	return watch.Micros()
}

// Roundtrips sends Count requests of Size bytes and receives each reply,
// marking each round trip in laps unless laps is nil.
func (c *Config) Roundtrips(s *zring.Socket, laps *perfmt.Laps) {
	for range c.Count {
		c.sendFrame(s, zring.NewFrame(c.Size))
		c.recvFrame(s).Release()
		if laps != nil {
			laps.Mark()
		}
	}
}

// Echo receives Count messages and sends each frame back itself:
// ownership passes to the socket. With -router each message is a ROUTER's
// [routing id, payload], and the routing id goes back first.
func (c *Config) Echo(s *zring.Socket) {
	for range c.Count {
		if c.Router {
			c.echoRoutingID(s)
		}
		c.sendFrame(s, c.recvFrame(s))
	}
}

// echoRoutingID receives a ROUTER message's routing-id frame and sends it
// back as the first part of the reply.
func (c *Config) echoRoutingID(s *zring.Socket) {
	id, err := s.RecvFrame(0)
	if err != nil {
		c.Fatalf("recv: %v", err)
	}
	if !id.More() {
		id.Release()
		c.Fatalf("ROUTER message without a payload")
	}
	if err := s.SendFrame(id, zring.SndMore); err != nil {
		id.Release()
		c.Fatalf("send: %v", err)
	}
}

// ReqType and RepType are the latency tools' socket types: REQ and REP,
// DEALER and ROUTER with -router, or CLIENT and SERVER with -pattern
// client (the SERVER's reply goes to the routing id its request frame
// carries).
func (c *Config) ReqType() zring.Type {
	switch {
	case c.Router:
		return zring.Dealer
	case c.Pattern == "client":
		return zring.Client
	}
	return zring.Req
}

// RepType is the replying side of ReqType.
func (c *Config) RepType() zring.Type {
	switch {
	case c.Router:
		return zring.Router
	case c.Pattern == "client":
		return zring.Server
	}
	return zring.Rep
}

// checkGroup releases g, a RADIO message's first frame, which must be
// Group with more to come.
func (c *Config) checkGroup(g *zring.Frame) {
	if !g.More() || string(g.Bytes()) != Group {
		c.Fatalf("RADIO message without the group %q", Group)
	}
	g.Release()
}

// sendFrame sends f, which the socket then owns.
func (c *Config) sendFrame(s *zring.Socket, f *zring.Frame) {
	if err := s.SendFrame(f, 0); err != nil {
		f.Release() // on error the caller still owns the frame
		c.Fatalf("send: %v", err)
	}
}

// recvFrame receives one frame of Size bytes.
func (c *Config) recvFrame(s *zring.Socket) *zring.Frame {
	f, err := s.RecvFrame(0)
	if err != nil {
		c.Fatalf("recv: %v", err)
	}
	c.checkSize(f.Len())
	return f
}

// checkSize ends the tool, with libzmq's tools' message, when a message
// is not Size bytes long.
func (c *Config) checkSize(n int) {
	if n != c.Size {
		c.Fatalf("message of incorrect size received: %d, want %d", n, c.Size)
	}
}

// curveKey parses one of the tools' fixed Z85 keys.
func curveKey(z85 string) zring.CurveKey {
	k, err := zring.ParseCurveKey(z85)
	if err != nil {
		panic(err) // a constant of this file
	}
	return k
}
