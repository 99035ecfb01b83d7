//go:build linux

package zring_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zring/zring"
	"github.com/zring/zring/zmtp"
)

// Shared machinery of the socket-level fuzz targets (fuzz_bind_test.go,
// fuzz_connect_test.go): process-wide contexts and sockets reused by every
// iteration, the good peers that prove a socket still serves after a
// hostile connection, and a recording proxy that captures what zring
// itself sends, for seeds.

// fuzzTypes are the socket types, the first fourteen indexed by libzmq's
// numbers, then the draft types built since: the fuzzer picks one with a
// byte.
var fuzzTypes = []zring.Type{
	zring.Pair, zring.Pub, zring.Sub, zring.Req, zring.Rep, zring.Dealer,
	zring.Router, zring.Pull, zring.Push, zring.XPub, zring.XSub, zring.Stream,
	zring.Server, zring.Client, zring.Gather, zring.Scatter, zring.Channel,
	zring.Radio, zring.Dish, zring.Peer,
}

// fuzzGroup is the group the fuzz targets' RADIOs send to and DISHes join.
const fuzzGroup = "fuzz"

// Security mechanisms of the fuzzed socket.
const (
	mechNull = iota
	mechPlain
	mechCurve
	numMechs
)

var mechNames = [numMechs]string{"NULL", "PLAIN", "CURVE"}

// goodPeerTypes lists, for a bound type, the compatible types of a
// well-behaved zring peer; the first is the one the checks use.
var goodPeerTypes = map[zring.Type][]zring.Type{
	zring.Pair:    {zring.Pair},
	zring.Pub:     {zring.Sub, zring.XSub},
	zring.Sub:     {zring.Pub, zring.XPub},
	zring.Req:     {zring.Rep, zring.Router},
	zring.Rep:     {zring.Req},
	zring.Dealer:  {zring.Dealer, zring.Router},
	zring.Router:  {zring.Dealer, zring.Req},
	zring.Pull:    {zring.Push},
	zring.Push:    {zring.Pull},
	zring.XPub:    {zring.Sub, zring.XSub},
	zring.XSub:    {zring.Pub, zring.XPub},
	zring.Server:  {zring.Client},
	zring.Client:  {zring.Server},
	zring.Gather:  {zring.Scatter},
	zring.Scatter: {zring.Gather},
	zring.Channel: {zring.Channel},
	zring.Radio:   {zring.Dish},
	zring.Dish:    {zring.Radio},
	zring.Peer:    {zring.Peer},
}

// peerIDs holds, for each good PEER, the routing id ConnectPeer gave it
// for its peer, which it needs to send.
var peerIDs sync.Map // *zring.Socket → uint32

// connectGood connects a good peer s to endpoint: a PEER with
// ConnectPeer, keeping the routing id to send to.
func connectGood(s *zring.Socket, endpoint string) error {
	if s.Type() != zring.Peer {
		return s.Connect(endpoint)
	}
	id, err := s.ConnectPeer(endpoint)
	if err == nil {
		peerIDs.Store(s, id)
	}
	return err
}

// closeGood closes a good peer and forgets its routing id.
func closeGood(s *zring.Socket) {
	peerIDs.Delete(s)
	s.Close()
}

// Fixed CURVE keys, so that recorded seeds stay valid across processes.
var (
	fuzzServerSecret = fixedKey(1)
	fuzzServerPublic = zring.CurvePublicKey(fuzzServerSecret)
	fuzzClientSecret = fixedKey(2)
	fuzzClientPublic = zring.CurvePublicKey(fuzzClientSecret)
)

func fixedKey(seed byte) zring.CurveKey {
	var k zring.CurveKey
	for i := range k {
		k[i] = seed + byte(i)*7
	}
	return k
}

// serverOpts and clientOpts configure each side of a mechanism.
func serverOpts(mech int) []zring.Option {
	switch mech {
	case mechPlain:
		return []zring.Option{zring.WithPlainServer(true)}
	case mechCurve:
		return []zring.Option{zring.WithCurveServer(true), zring.WithCurveSecretKey(fuzzServerSecret)}
	}
	return nil
}

func clientOpts(mech int) []zring.Option {
	switch mech {
	case mechPlain:
		return []zring.Option{zring.WithPlainUsername("admin"), zring.WithPlainPassword("secret")}
	case mechCurve:
		return []zring.Option{zring.WithCurveServerKey(fuzzServerPublic),
			zring.WithCurvePublicKey(fuzzClientPublic), zring.WithCurveSecretKey(fuzzClientSecret)}
	}
	return nil
}

// typeOpts are the options a socket of type typ gets in the fuzz targets,
// besides libzmq's defaults: REQ may resend (the checks retry), LINGER 0 so
// that Close never waits on a dead peer.
func typeOpts(typ zring.Type) []zring.Option {
	opts := []zring.Option{zring.WithLinger(0)}
	if typ == zring.Req {
		opts = append(opts, zring.WithReqRelaxed(true), zring.WithReqCorrelate(true))
	}
	return opts
}

// fuzzWorld holds the process-wide contexts: NULL sockets live in a
// context without a ZAP handler (as libzmq's bind_null fuzzer), PLAIN and
// CURVE servers in one with an Authenticator that admits the good peers.
type fuzzWorld struct {
	null, secure *zring.Context
}

var (
	worldOnce sync.Once
	world     fuzzWorld
	worldErr  error
)

func fuzzContexts(t testing.TB) fuzzWorld {
	worldOnce.Do(func() {
		if world.null, worldErr = zring.NewContext(zring.WithIOThreads(1)); worldErr != nil {
			return
		}
		if world.secure, worldErr = zring.NewContext(zring.WithIOThreads(1)); worldErr != nil {
			return
		}
		var a *zring.Authenticator
		if a, worldErr = zring.NewAuthenticator(world.secure); worldErr != nil {
			return
		}
		a.SetPasswords("*", map[string]string{"admin": "secret"})
		a.AllowAnyCurve("*")
	})
	if worldErr != nil {
		t.Fatalf("fuzz contexts: %v", worldErr)
	}
	return world
}

func (w fuzzWorld) ctx(mech int) *zring.Context {
	if mech == mechNull {
		return w.null
	}
	return w.secure
}

// goodPair is a bound socket and a well-behaved peer connected to it (a
// zring socket, or a raw TCP client for STREAM).
type goodPair struct {
	bound, peer *zring.Socket
	conn        net.Conn // STREAM's peer
}

// Nonces are unique in the process, and differ from those of the process
// that recorded the seeds, so that a replayed message never passes for the
// good peer's.
var (
	nonceSeq    atomic.Uint64
	noncePrefix = fmt.Sprintf("nonce-%x-", time.Now().UnixNano())
)

func newNonce() []byte {
	return []byte(noncePrefix + strconv.FormatUint(nonceSeq.Add(1), 10) + ".")
}

// newPeer makes a well-behaved socket of type typ and connects it to
// endpoint, subscribed to everything if it subscribes.
func newPeer(c *zring.Context, typ zring.Type, mech int, endpoint string) (*zring.Socket, error) {
	opts := append(typeOpts(typ), clientOpts(mech)...)
	s, err := c.NewSocket(typ, opts...)
	if err != nil {
		return nil, err
	}
	if err := fuzzSubscribeAll(s); err != nil {
		s.Close()
		return nil, err
	}
	if err := connectGood(s, endpoint); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// fuzzSubscribeAll subscribes a SUB or XSUB to every topic, and has a
// DISH join fuzzGroup.
func fuzzSubscribeAll(s *zring.Socket) error {
	switch s.Type() {
	case zring.Sub:
		return s.Subscribe("")
	case zring.Dish:
		return s.Join(fuzzGroup)
	case zring.XSub:
		return s.Send([]byte{1}, 0)
	}
	return nil
}

// sendsFirst reports whether a socket of type typ can send a message
// without having received one.
func sendsFirst(typ zring.Type) bool {
	switch typ {
	case zring.Pair, zring.Pub, zring.XPub, zring.Req, zring.Dealer, zring.Push, zring.XSub,
		zring.Client, zring.Scatter, zring.Channel, zring.Radio, zring.Peer:
		return true
	}
	return false
}

// singlePart reports whether typ sends single-part messages only (the
// draft types; a RADIO's body goes with its group, which sendTimeout adds).
func singlePart(typ zring.Type) bool {
	switch typ {
	case zring.Client, zring.Server, zring.Scatter, zring.Gather, zring.Channel, zring.Radio, zring.Dish, zring.Peer:
		return true
	}
	return false
}

// receives reports whether a socket of type typ receives messages.
func receives(typ zring.Type) bool {
	return typ != zring.Pub && typ != zring.Push && typ != zring.Scatter && typ != zring.Radio
}

// served checks that the pair still exchanges a fresh message, retrying
// for a few seconds: a message may be lost to a hostile pipe that is
// going away, and PUB drops until a subscription arrives. The wait per
// attempt starts short and doubles, so that a message dropped before the
// connection was up costs little.
func (g *goodPair) served() error {
	deadline := time.Now().Add(10 * time.Second)
	var errs []error // distinct, for the report
	for wait := 2 * time.Millisecond; time.Now().Before(deadline); wait = min(2*wait, 200*time.Millisecond) {
		err := g.attempt(newNonce(), wait)
		if err == nil {
			return nil
		}
		if len(errs) == 0 || errs[len(errs)-1].Error() != err.Error() {
			errs = append(errs, err)
		}
	}
	return fmt.Errorf("%v bound, %v peer: no longer served: %w", g.bound.Type(), g.peerType(), errors.Join(errs...))
}

func (g *goodPair) peerType() string {
	if g.conn != nil {
		return "raw TCP"
	}
	return g.peer.Type().String()
}

// attempt sends nonce one way (and back for REQ) and waits briefly for it.
func (g *goodPair) attempt(nonce []byte, wait time.Duration) error {
	if g.conn != nil {
		return g.attemptStream(nonce, wait)
	}
	sender, receiver := g.peer, g.bound
	if !sendsFirst(g.peer.Type()) || !receives(g.bound.Type()) {
		sender, receiver = g.bound, g.peer
	}
	drainSubscriptions(g.bound)
	if err := sendTimeout(sender, [][]byte{nonce}); err != nil {
		return err
	}
	if err := recvUntil(receiver, nonce, true, wait); err != nil {
		return err
	}
	if sender.Type() == zring.Req {
		return recvUntil(sender, nonce, false, wait)
	}
	return nil
}

func (g *goodPair) attemptStream(nonce []byte, wait time.Duration) error {
	_ = g.conn.SetWriteDeadline(time.Now().Add(time.Second))
	if _, err := g.conn.Write(nonce); err != nil {
		return err
	}
	return recvUntil(g.bound, nonce, false, wait)
}

// drainSubscriptions empties an XPUB's queue of subscription messages, so
// that hostile peers cannot grow it across iterations.
func drainSubscriptions(s *zring.Socket) {
	if s.Type() != zring.XPub {
		return
	}
	for {
		if _, err := s.RecvMulti(zring.DontWait); err != nil {
			return
		}
	}
}

func sendTimeout(s *zring.Socket, parts [][]byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	switch s.Type() {
	case zring.Router, zring.Server:
		return fmt.Errorf("%v cannot send first", s.Type())
	case zring.Radio:
		parts = append([][]byte{[]byte(fuzzGroup)}, parts...)
	case zring.Peer:
		id, ok := peerIDs.Load(s)
		if !ok || len(parts) != 1 {
			return fmt.Errorf("PEER knows no peer to send %d parts to", len(parts))
		}
		f := zring.FrameOf(parts[0])
		f.SetRoutingID(id.(uint32))
		err := s.SendFrameContext(ctx, f, 0)
		if err != nil {
			f.Release()
		}
		return err
	}
	return s.SendMultiContext(ctx, parts, 0)
}

// recvUntil receives until a message ending in nonce arrives, dropping
// what hostile peers left; a REP or ROUTER echoes every message when echo
// is set (REP must answer before it receives again).
func recvUntil(s *zring.Socket, nonce []byte, echo bool, wait time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	for {
		msg, err := s.RecvMultiContext(ctx, 0)
		if err != nil {
			return err
		}
		if echo && (s.Type() == zring.Rep || s.Type() == zring.Router) {
			// A fresh context: an expired one would leave a REP owing
			// this reply, unable to receive again.
			sctx, scancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			err := s.SendMultiContext(sctx, msg, 0)
			scancel()
			if err != nil && s.Type() == zring.Rep {
				return err
			}
		}
		if len(msg) > 0 && bytes.Contains(msg[len(msg)-1], nonce) {
			return nil
		}
	}
}

// newGoodPair binds a socket of type typ under mech on loopback and
// connects its first good peer.
func newGoodPair(w fuzzWorld, typ zring.Type, mech int, bindOpts ...zring.Option) (*goodPair, error) {
	bound, err := bindFresh(w, typ, mech, bindOpts...)
	if err != nil {
		return nil, err
	}
	c := w.ctx(mech)
	g := &goodPair{bound: bound}
	if typ == zring.Stream {
		g.conn, err = net.Dial("tcp", tcpAddr(bound.Endpoint()))
	} else {
		g.peer, err = newPeer(c, goodPeerTypes[typ][0], mech, bound.Endpoint())
	}
	if err == nil {
		err = g.served()
	}
	if err != nil {
		g.close()
		return nil, err
	}
	return g, nil
}

func (g *goodPair) close() {
	if g.conn != nil {
		g.conn.Close()
	}
	if g.peer != nil {
		closeGood(g.peer)
	}
	g.bound.Close()
}

func tcpAddr(endpoint string) string { return endpoint[len("tcp://"):] }

// bindFresh binds a socket of type typ under mech on loopback.
func bindFresh(w fuzzWorld, typ zring.Type, mech int, bindOpts ...zring.Option) (*zring.Socket, error) {
	c := w.ctx(mech)
	if typ == zring.Stream {
		c = w.null
	}
	opts := append(append(typeOpts(typ), serverOpts(mech)...), bindOpts...)
	bound, err := c.NewSocket(typ, opts...)
	if err != nil {
		return nil, err
	}
	if err := fuzzSubscribeAll(bound); err != nil {
		bound.Close()
		return nil, err
	}
	if err := bound.Bind("tcp://127.0.0.1:*"); err != nil {
		bound.Close()
		return nil, err
	}
	return bound, nil
}

// recordSeed binds a fresh socket of type typ under mech, connects a
// well-behaved zring socket of type peerType to it through a TCP proxy,
// exchanges messages (and subscriptions), and returns the bytes each side
// sent: honest streams for seeds.
func recordSeed(w fuzzWorld, typ, peerType zring.Type, mech int) (fromPeer, fromBound []byte, err error) {
	bound, err := bindFresh(w, typ, mech)
	if err != nil {
		return nil, nil, err
	}
	defer bound.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	defer l.Close()
	var (
		toBound, toPeer bytes.Buffer
		wg              sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		in, err := l.Accept()
		if err != nil {
			return
		}
		defer in.Close()
		out, err := net.Dial("tcp", tcpAddr(bound.Endpoint()))
		if err != nil {
			return
		}
		defer out.Close()
		// A recording never hangs the fuzzer, whatever the sockets do.
		_ = in.SetDeadline(time.Now().Add(15 * time.Second))
		_ = out.SetDeadline(time.Now().Add(15 * time.Second))
		back := make(chan struct{})
		go func() {
			defer close(back)
			_, _ = io.Copy(in, io.TeeReader(out, &toPeer))
		}()
		_, _ = io.Copy(out, io.TeeReader(in, &toBound))
		out.Close() // the peer closed: stop the other direction too
		<-back
	}()
	peer, err := newPeer(w.ctx(mech), peerType, mech, "tcp://"+l.Addr().String())
	if err != nil {
		return nil, nil, err
	}
	g := &goodPair{bound: bound, peer: peer}
	err = g.served()
	switch peerType {
	case zring.Sub:
		_ = peer.Subscribe("A")
		_ = peer.Unsubscribe("A")
	case zring.XSub:
		_ = peer.Send([]byte("\x01A"), 0)
		_ = peer.Send([]byte("\x00A"), 0)
	}
	if err == nil && sendsFirst(peerType) && receives(typ) {
		big := bytes.Repeat([]byte{'L'}, 300) // a LONG frame
		msg := [][]byte{[]byte("multi"), {}, big}
		if singlePart(peerType) {
			msg = msg[2:]
		}
		if peerType == zring.Req {
			err = g.served()
		} else if err = sendTimeout(peer, msg); err == nil {
			err = recvUntil(bound, big, false, time.Second)
		}
	}
	time.Sleep(20 * time.Millisecond) // let the last commands reach the proxy
	closeGood(peer)
	wg.Wait()
	return toBound.Bytes(), toPeer.Bytes(), err
}

// greeting30 is a NULL greeting announcing ZMTP 3.0.
func greeting30() []byte {
	g := zmtp.AppendGreeting(nil, "NULL", false)
	g[11] = 0
	return g
}

func concat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
