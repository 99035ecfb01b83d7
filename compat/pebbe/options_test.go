//go:build linux

package zmq4_test

import (
	"strings"
	"testing"
	"time"

	zmq "github.com/zring/zring/compat/pebbe"
)

// Each option set is read back as set, in pebbe/zmq4's types.
func TestOptionsRoundTrip(t *testing.T) {
	ctx := newContext(t)
	s := newSocket(t, ctx, zmq.DEALER)

	ints := []struct {
		name string
		set  func(int) error
		get  func() (int, error)
		v    int
	}{
		{"Sndhwm", s.SetSndhwm, s.GetSndhwm, 7},
		{"Rcvhwm", s.SetRcvhwm, s.GetRcvhwm, 9},
		{"Sndbuf", s.SetSndbuf, s.GetSndbuf, 65536},
		{"Rcvbuf", s.SetRcvbuf, s.GetRcvbuf, 32768},
		{"Backlog", s.SetBacklog, s.GetBacklog, 42},
		{"MulticastHops", s.SetMulticastHops, s.GetMulticastHops, 3},
		{"TcpKeepalive", s.SetTcpKeepalive, s.GetTcpKeepalive, 1},
		{"TcpKeepaliveIdle", s.SetTcpKeepaliveIdle, s.GetTcpKeepaliveIdle, 30},
		{"TcpKeepaliveCnt", s.SetTcpKeepaliveCnt, s.GetTcpKeepaliveCnt, 4},
		{"TcpKeepaliveIntvl", s.SetTcpKeepaliveIntvl, s.GetTcpKeepaliveIntvl, 5},
		{"Tos", s.SetTos, s.GetTos, 0x10},
	}
	for _, c := range ints {
		check(t, "Set"+c.name, c.set(c.v))
		if got, err := c.get(); err != nil || got != c.v {
			t.Errorf("Get%s: %d %v, want %d", c.name, got, err, c.v)
		}
	}

	durations := []struct {
		name string
		set  func(time.Duration) error
		get  func() (time.Duration, error)
		v    time.Duration
	}{
		{"Linger", s.SetLinger, s.GetLinger, 250 * time.Millisecond},
		{"Linger infinite", s.SetLinger, s.GetLinger, -1},
		{"ReconnectIvl", s.SetReconnectIvl, s.GetReconnectIvl, 200 * time.Millisecond},
		{"ReconnectIvl none", s.SetReconnectIvl, s.GetReconnectIvl, -1},
		{"ReconnectIvlMax", s.SetReconnectIvlMax, s.GetReconnectIvlMax, 5 * time.Second},
		{"Rcvtimeo", s.SetRcvtimeo, s.GetRcvtimeo, 1500 * time.Millisecond},
		{"Rcvtimeo infinite", s.SetRcvtimeo, s.GetRcvtimeo, -1},
		{"Sndtimeo", s.SetSndtimeo, s.GetSndtimeo, 20 * time.Millisecond},
		{"HandshakeIvl", s.SetHandshakeIvl, s.GetHandshakeIvl, 3 * time.Second},
		{"ConnectTimeout", s.SetConnectTimeout, s.GetConnectTimeout, 700 * time.Millisecond},
		{"TcpMaxrt", s.SetTcpMaxrt, s.GetTcpMaxrt, 900 * time.Millisecond},
	}
	for _, c := range durations {
		check(t, "Set"+c.name, c.set(c.v))
		if got, err := c.get(); err != nil || got != c.v {
			t.Errorf("Get%s: %v %v, want %v", c.name, got, err, c.v)
		}
	}

	bools := []struct {
		name string
		set  func(bool) error
		get  func() (bool, error)
	}{
		{"Ipv6", s.SetIpv6, s.GetIpv6},
		{"Immediate", s.SetImmediate, s.GetImmediate},
	}
	for _, c := range bools {
		for _, v := range []bool{true, false} {
			check(t, "Set"+c.name, c.set(v))
			if got, err := c.get(); err != nil || got != v {
				t.Errorf("Get%s: %v %v, want %v", c.name, got, err, v)
			}
		}
	}

	check(t, "SetAffinity", s.SetAffinity(3))
	if a, err := s.GetAffinity(); a != 3 || err != nil {
		t.Errorf("GetAffinity: %d %v", a, err)
	}
	check(t, "SetMaxmsgsize", s.SetMaxmsgsize(1<<20))
	if m, err := s.GetMaxmsgsize(); m != 1<<20 || err != nil {
		t.Errorf("GetMaxmsgsize: %d %v", m, err)
	}
	check(t, "SetMaxmsgsize -1", s.SetMaxmsgsize(-1))
	if m, err := s.GetMaxmsgsize(); m != -1 || err != nil {
		t.Errorf("GetMaxmsgsize: %d %v, want -1", m, err)
	}
	check(t, "SetIdentity", s.SetIdentity("me"))
	if id, err := s.GetIdentity(); id != "me" || err != nil {
		t.Errorf("GetIdentity: %q %v", id, err)
	}
	if str := s.String(); str != `Socket(DEALER,"me")` {
		t.Errorf("String: %q", str)
	}
	check(t, "SetZapDomain", s.SetZapDomain("global"))
	if d, err := s.GetZapDomain(); d != "global" || err != nil {
		t.Errorf("GetZapDomain: %q %v", d, err)
	}
	if typ, err := s.GetType(); typ != zmq.DEALER || err != nil {
		t.Errorf("GetType: %v %v", typ, err)
	}

	// Security: PLAIN, then CURVE, each readable back.
	check(t, "SetPlainUsername", s.SetPlainUsername("user"))
	check(t, "SetPlainPassword", s.SetPlainPassword("pass"))
	if m, _ := s.GetMechanism(); m != zmq.PLAIN {
		t.Errorf("GetMechanism: %v, want PLAIN", m)
	}
	if u, _ := s.GetPlainUsername(); u != "user" {
		t.Errorf("GetPlainUsername: %q", u)
	}
	if p, _ := s.GetPlainPassword(); p != "pass" {
		t.Errorf("GetPlainPassword: %q", p)
	}
	check(t, "SetPlainServer", s.SetPlainServer(1))
	if v, _ := s.GetPlainServer(); v != 1 {
		t.Errorf("GetPlainServer: %d", v)
	}
	pub, sec, _ := zmq.NewCurveKeypair()
	serverPub, _, _ := zmq.NewCurveKeypair()
	check(t, "ClientAuthCurve", s.ClientAuthCurve(serverPub, pub, sec))
	if m, _ := s.GetMechanism(); m != zmq.CURVE {
		t.Errorf("GetMechanism: %v, want CURVE", m)
	}
	keys := []struct {
		name     string
		z85, raw func() (string, error)
		want     string
	}{
		{"public", s.GetCurvePublickeykeyZ85, s.GetCurvePublickeyRaw, pub},
		{"secret", s.GetCurveSecretkeyZ85, s.GetCurveSecretkeyRaw, sec},
		{"server", s.GetCurveServerkeyZ85, s.GetCurveServerkeyRaw, serverPub},
	}
	for _, k := range keys {
		if z, err := k.z85(); z != k.want || err != nil {
			t.Errorf("%s key Z85: %q %v, want %q", k.name, z, err, k.want)
		}
		if r, err := k.raw(); r != zmq.Z85decode(k.want) || err != nil {
			t.Errorf("%s key raw: %q %v", k.name, r, err)
		}
	}

	// Write-only options are accepted (libzmq has no getter either).
	for name, err := range map[string]error{
		"SetProbeRouter":      s.SetProbeRouter(1),
		"SetConflate":         s.SetConflate(true),
		"SetHeartbeatIvl":     s.SetHeartbeatIvl(time.Second),
		"SetHeartbeatTtl":     s.SetHeartbeatTtl(2 * time.Second),
		"SetHeartbeatTimeout": s.SetHeartbeatTimeout(3 * time.Second),
	} {
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if safe, err := s.GetThreadSafe(); !safe || err != nil {
		t.Errorf("GetThreadSafe: %v %v", safe, err)
	}
}

// The options of the other socket types, set and read back where libzmq
// can read them.
func TestOptionsBySocketType(t *testing.T) {
	ctx := newContext(t)
	router := newSocket(t, ctx, zmq.ROUTER)
	for name, err := range map[string]error{
		"SetRouterMandatory": router.SetRouterMandatory(1),
		"SetRouterHandover":  router.SetRouterHandover(true),
		"SetConnectRid":      router.SetConnectRid("peer"),
	} {
		check(t, name, err)
	}
	req := newSocket(t, ctx, zmq.REQ)
	check(t, "SetReqCorrelate", req.SetReqCorrelate(1))
	check(t, "SetReqRelaxed", req.SetReqRelaxed(1))
	xpub := newSocket(t, ctx, zmq.XPUB)
	for name, err := range map[string]error{
		"SetXpubVerbose":    xpub.SetXpubVerbose(1),
		"SetXpubVerboser":   xpub.SetXpubVerboser(1),
		"SetXpubNodrop":     xpub.SetXpubNodrop(true),
		"SetXpubManual":     xpub.SetXpubManual(1),
		"SetXpubWelcomeMsg": xpub.SetXpubWelcomeMsg("hi"),
		"SetInvertMatching": xpub.SetInvertMatching(1),
	} {
		check(t, name, err)
	}
	if v, err := xpub.GetInvertMatching(); v != 1 || err != nil {
		t.Errorf("GetInvertMatching: %d %v", v, err)
	}
	stream := newSocket(t, ctx, zmq.STREAM)
	check(t, "SetStreamNotify", stream.SetStreamNotify(0))

	// GetEvents and GetLastEndpoint: a wildcard port resolved.
	pull := newSocket(t, ctx, zmq.PULL)
	ep := bindAny(t, pull)
	if !strings.HasPrefix(ep, "tcp://127.0.0.1:") || strings.HasSuffix(ep, ":*") {
		t.Errorf("GetLastEndpoint: %q", ep)
	}
	if ev, err := pull.GetEvents(); ev != 0 || err != nil {
		t.Errorf("GetEvents of an idle PULL: %v %v", ev, err)
	}
	push := newSocket(t, ctx, zmq.PUSH)
	check(t, "Connect", push.Connect(ep))
	push.Send("x", 0)
	deadline := time.Now().Add(5 * time.Second)
	for {
		ev, err := pull.GetEvents()
		check(t, "GetEvents", err)
		if ev&zmq.POLLIN != 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("GetEvents never reported POLLIN")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if c, err := pull.Context(); c != ctx || err != nil {
		t.Errorf("Context: %v %v", c, err)
	}
}

// Context options: the defaults, and those that map onto zring.
func TestContextOptions(t *testing.T) {
	ctx := newContext(t)
	if n, err := ctx.GetIoThreads(); n != zmq.IoThreadsDflt || err != nil {
		t.Errorf("GetIoThreads: %d %v", n, err)
	}
	check(t, "SetIoThreads(2) before any socket", ctx.SetIoThreads(2))
	if n, _ := ctx.GetIoThreads(); n != 2 {
		t.Errorf("GetIoThreads after SetIoThreads(2): %d", n)
	}
	if n, err := ctx.GetMaxSockets(); n != zmq.MaxSocketsDflt || err != nil {
		t.Errorf("GetMaxSockets: %d %v", n, err)
	}
	if n, err := ctx.GetMaxMsgsz(); n != 1<<31-1 || err != nil {
		t.Errorf("GetMaxMsgsz: %d %v", n, err)
	}
	if b, err := ctx.GetBlocky(); !b || err != nil {
		t.Errorf("GetBlocky: %v %v", b, err)
	}
	if !ctx.GetRetryAfterEINTR() {
		t.Error("GetRetryAfterEINTR is false at first")
	}

	// MaxSockets counts the sockets open.
	check(t, "SetMaxSockets", ctx.SetMaxSockets(2))
	a := newSocket(t, ctx, zmq.PAIR)
	newSocket(t, ctx, zmq.PAIR)
	if _, err := ctx.NewSocket(zmq.PAIR); err != zmq.EMFILE {
		t.Errorf("a third socket under MaxSockets 2: %v, want EMFILE", err)
	}
	a.Close()
	b := newSocket(t, ctx, zmq.PAIR) // room again
	if err := ctx.SetMaxSockets(0); err != zmq.EINVAL {
		t.Errorf("SetMaxSockets(0): %v", err)
	}
	check(t, "SetMaxSockets", ctx.SetMaxSockets(10))

	// IPv6 and blocky apply to the sockets made afterwards.
	if v, _ := b.GetIpv6(); v {
		t.Error("GetIpv6 true by default")
	}
	check(t, "SetIpv6", ctx.SetIpv6(true))
	check(t, "SetBlocky", ctx.SetBlocky(false))
	c := newSocket(t, ctx, zmq.PAIR)
	if v, _ := c.GetIpv6(); !v {
		t.Error("a socket made after SetIpv6(true) has IPv6 off")
	}
	if l, _ := c.GetLinger(); l != 0 {
		t.Errorf("a socket made after SetBlocky(false) lingers %v", l)
	}
	if l, _ := b.GetLinger(); l != -1 {
		t.Errorf("a socket made before SetBlocky(false) lingers %v, want -1", l)
	}
	if n, _ := ctx.GetIoThreads(); n != 2 {
		t.Errorf("GetIoThreads: %d", n)
	}

	check(t, "Term", ctx.Term())
	if _, err := ctx.GetIoThreads(); err != zmq.ErrorContextClosed {
		t.Errorf("GetIoThreads after Term: %v", err)
	}
	if err := ctx.SetIpv6(false); err != zmq.ErrorContextClosed {
		t.Errorf("SetIpv6 after Term: %v", err)
	}
}
