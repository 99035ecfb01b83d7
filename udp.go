package zring

import (
	"fmt"
	"strings"

	"github.com/zring/zring/engine"
)

// udp:// serves Radio, Dish and Dgram, as in libzmq: a Dish or a Dgram
// binds ("udp://127.0.0.1:5556", "udp://*:5556", or a multicast group
// "udp://239.0.0.1:5556", with its interface as "udp://127.0.0.1;239.0.0.1:5556"),
// and a Radio connects to a Dish's address or group. There is no
// connection: a Radio sends every group to a udp endpoint (the Dish
// filters), with no JOIN, and nothing tells either side the other is
// there. Each message is one datagram of at most 8192 bytes of group and
// body, libzmq's limit; a larger one is dropped, as libzmq drops it.

// openUDP binds (a Dish or a Dgram) or connects (a Radio) a udp endpoint
// and returns it, an ephemeral port resolved. Other socket types, and a
// Radio's bind or a Dish's connect, are ErrNotSupported.
func (s *Socket) openUDP(endpoint, addr string, bind bool) (string, error) {
	if s.typ != Radio && s.typ != Dish && s.typ != Dgram {
		return "", errUDPType
	}
	s.mu.Lock()
	opts := s.opts.conn
	s.opts.conn.ConnectRoutingID = nil
	aff := s.opts.affinity
	s.mu.Unlock()
	a, err := engine.ResolveUDP(addr, bind, opts.TCP.IPv6)
	if err != nil {
		return "", err
	}
	ss, p, err := engine.OpenUDP(s.link(), s.ctx.eng.ChooseAmong(aff), opts, a, bind, endpoint)
	if err != nil {
		return "", err
	}
	s.attachNow(p)
	ss.Start()
	return ss.Endpoint(), nil
}

// errUDPType is ErrNotSupported for udp:// on another socket type.
var errUDPType = fmt.Errorf("%w: udp:// serves RADIO, DISH and DGRAM only", ErrNotSupported)

// udpBind returns the session of the udp bind endpoint names, as bound
// or as Endpoint reported it; nil when there is none.
func (s *Socket) udpBind(endpoint string) *engine.Session {
	addr, ok := strings.CutPrefix(endpoint, engine.TransportUDP+"://")
	if !ok {
		return nil
	}
	want := endpoint
	if a, err := engine.ResolveUDP(addr, true, false); err == nil {
		want = a.String()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for ss := range s.sessions {
		if ss.UDPBound() && !ss.Dropped() && (ss.Endpoint() == endpoint || ss.Endpoint() == want) {
			return ss
		}
	}
	return nil
}
