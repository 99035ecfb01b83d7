package zring

import (
	"strings"

	"github.com/zring/zring/engine"
	"github.com/zring/zring/internal/pipe"
)

// Bind accepts connections on endpoint (zmq_bind). For tcp, "tcp://*:5555"
// listens on every IPv4 interface and "tcp://127.0.0.1:*" on an ephemeral
// port; Endpoint then returns the port chosen. On a closed socket Bind,
// Connect, Unbind and Disconnect are ErrClosed (ErrTerminated after
// Context.Close).
func (s *Socket) Bind(endpoint string) error {
	return opErr("bind", endpoint, s.bindEndpoint(endpoint))
}

func (s *Socket) bindEndpoint(endpoint string) error {
	if err := s.openErr(); err != nil {
		return err
	}
	transport, addr, err := engine.ParseEndpoint(endpoint)
	if err != nil {
		return err
	}
	switch transport {
	case engine.TransportInproc:
		if err := s.bindInproc(addr); err != nil {
			return err
		}
		s.setEndpoint(endpoint)
		return nil
	case engine.TransportUDP:
		bound, err := s.openUDP(endpoint, addr, true)
		if err != nil {
			return err
		}
		s.setEndpoint(bound)
		return nil
	}
	s.mu.Lock()
	err = s.opts.conn.Security.Check()
	s.mu.Unlock()
	if err != nil {
		return err
	}
	bound, err := s.bind(endpoint, transport, addr)
	if err != nil {
		return err
	}
	s.setEndpoint(bound)
	return nil
}

// Connect connects to endpoint (zmq_connect). It returns at once: the
// connection is made in the background and remade after failures every
// RECONNECT_IVL, and messages sent meanwhile are queued for it.
func (s *Socket) Connect(endpoint string) error {
	_, err := s.connect(endpoint)
	return opErr("connect", endpoint, err)
}

// connect is Connect, returning the pipe it attached at once, if any (not
// under IMMEDIATE, nor on a ROUTER without CONNECT_ROUTING_ID).
func (s *Socket) connect(endpoint string) (*pipe.Pipe, error) {
	if err := s.openErr(); err != nil {
		return nil, err
	}
	transport, addr, err := engine.ParseEndpoint(endpoint)
	if err != nil {
		return nil, err
	}
	switch transport {
	case engine.TransportInproc:
		p, err := s.connectInproc(addr, endpoint)
		if err != nil {
			return nil, err
		}
		s.setEndpoint(endpoint)
		return p, nil
	case engine.TransportUDP:
		if _, err := s.openUDP(endpoint, addr, false); err != nil {
			return nil, err
		}
		s.connectedTo(endpoint)
		return nil, nil
	}
	s.mu.Lock()
	ipv6, r, every := s.opts.conn.TCP.IPv6, s.opts.resolver, s.opts.everyAddress
	err = s.opts.conn.Security.Check()
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	var src *engine.Addr
	if srcAddr, dstAddr, ok := strings.Cut(addr, ";"); ok && transport == engine.TransportTCP {
		// "tcp://source;destination": connect from a given address.
		sa, err := engine.ResolveTCP(r, srcAddr, true, ipv6)
		if err != nil {
			return nil, err
		}
		src, addr = &sa, dstAddr
	}
	a, err := engine.Resolve(r, transport, addr, false, ipv6)
	if err != nil {
		return nil, err
	}
	if every > 0 && src == nil && a.Name() != "" {
		return nil, s.followName(a, endpoint, ipv6, every)
	}
	_, p, err := s.connectSession(a, src, endpoint)
	if err != nil {
		return nil, err
	}
	s.connectedTo(endpoint)
	return p, nil
}

// connectedTo records endpoint as connected, for Disconnect and
// LAST_ENDPOINT.
func (s *Socket) connectedTo(endpoint string) {
	s.mu.Lock()
	s.connected[endpoint] = struct{}{}
	s.mu.Unlock()
	s.setEndpoint(endpoint)
}

func (s *Socket) setEndpoint(ep string) {
	s.mu.Lock()
	s.endpoint = ep
	s.mu.Unlock()
}

// Unbind stops accepting on endpoint (zmq_unbind), given as to Bind or as
// Endpoint reported it after a wildcard bind. Connections accepted through
// it are closed too, as libzmq does; messages still queued for them are
// discarded. An endpoint not bound is ErrEndpoint.
func (s *Socket) Unbind(endpoint string) error {
	return opErr("unbind", endpoint, s.unbind(endpoint))
}

func (s *Socket) unbind(endpoint string) error {
	if err := s.openErr(); err != nil {
		return err
	}
	if name, ok := strings.CutPrefix(endpoint, engine.TransportInproc+"://"); ok {
		if !s.unbindInproc(name) {
			return errNotBound
		}
		return nil
	}
	s.mu.Lock()
	var l *engine.Listener
	for i, x := range s.listeners {
		if x.Endpoint() == endpoint || x.Asked() == endpoint {
			l = x
			s.listeners = append(s.listeners[:i], s.listeners[i+1:]...)
			break
		}
	}
	if l != nil {
		var accepted []*engine.Session
		for ss := range s.sessions {
			if ss.Listener() == l {
				accepted = append(accepted, ss)
			}
		}
		s.cut(accepted, false)
	}
	s.mu.Unlock()
	if l != nil {
		l.Unbind()
		return nil
	}
	if ss := s.udpBind(endpoint); ss != nil {
		ss.Drop()
		return nil
	}
	return errNotBound
}

// Disconnect ends the connection made by Connect(endpoint) (zmq_disconnect)
// and stops reconnecting it. Messages still queued for that peer are
// discarded. An endpoint not connected is ErrEndpoint.
func (s *Socket) Disconnect(endpoint string) error {
	return opErr("disconnect", endpoint, s.disconnect(endpoint))
}

func (s *Socket) disconnect(endpoint string) error {
	if err := s.openErr(); err != nil {
		return err
	}
	followed := s.unfollow(endpoint) // first: it connects no more addresses
	if strings.HasPrefix(endpoint, engine.TransportInproc+"://") {
		if !s.disconnectInproc(endpoint) {
			return errNotConnected
		}
		return nil
	}
	s.mu.Lock()
	var found []*engine.Session
	for ss := range s.sessions {
		if ss.Connecting() && !ss.Dropped() && ss.Endpoint() == endpoint {
			found = append(found, ss)
		}
	}
	s.cut(found, false)
	_, known := s.connected[endpoint]
	delete(s.connected, endpoint)
	s.mu.Unlock()
	if len(found) == 0 && !known && !followed {
		return errNotConnected
	}
	for _, ss := range found {
		ss.Drop()
	}
	return nil
}

// bind listens on a tcp or ipc endpoint; the listener's thread accepts.
func (s *Socket) bind(endpoint, transport, addr string) (string, error) {
	s.mu.Lock()
	tcp := s.opts.conn.TCP
	aff := s.opts.affinity
	tlsCfg := s.opts.conn.TLS
	s.mu.Unlock()
	a, err := engine.Resolve(nil, transport, addr, true, tcp.IPv6)
	if err != nil {
		return "", err
	}
	if err := a.CheckBind(tlsCfg); err != nil {
		return "", err
	}
	l, err := engine.Listen(s.link(), s.ctx.eng, aff, endpoint, a, tcp)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	if s.closeErr != nil {
		s.mu.Unlock()
		l.Discard()
		return "", s.closeErr
	}
	s.listeners = append(s.listeners, l)
	s.ends++
	s.mu.Unlock()
	s.ctx.lingering.Add(1)
	l.Start()
	return l.Endpoint(), nil
}

// connectSession starts a connecting session toward a; CONNECT_ROUTING_ID
// names this connect only.
func (s *Socket) connectSession(a engine.Addr, src *engine.Addr, endpoint string) (*engine.Session, *pipe.Pipe, error) {
	s.mu.Lock()
	opts := s.opts.conn
	s.opts.conn.ConnectRoutingID = nil // used once
	aff := s.opts.affinity
	s.mu.Unlock()
	ss, p, err := engine.Dial(s.link(), s.ctx.eng.ChooseAmong(aff), opts, a, src, endpoint)
	if err != nil {
		return nil, nil, err
	}
	if p != nil {
		s.attachNow(p) // before the session can post anything about it
	}
	ss.Start()
	return ss, p, nil
}
