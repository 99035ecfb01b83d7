package zring

import (
	"fmt"
	"strings"
)

// Bind accepts connections on endpoint (zmq_bind). For tcp, "tcp://*:5555"
// listens on every IPv4 interface and "tcp://127.0.0.1:*" on an ephemeral
// port; Endpoint then returns the port chosen. On a closed socket Bind,
// Connect, Unbind and Disconnect are ErrClosed (ErrTerminated after
// Context.Close).
func (s *Socket) Bind(endpoint string) error {
	if err := s.openErr(); err != nil {
		return err
	}
	transport, addr, err := parseEndpoint(endpoint)
	if err != nil {
		return err
	}
	if transport == transportInproc {
		if err := s.bindInproc(addr); err != nil {
			return err
		}
		s.setEndpoint(endpoint)
		return nil
	}
	s.mu.Lock()
	err = s.opts.sec.check()
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
	if err := s.openErr(); err != nil {
		return err
	}
	transport, addr, err := parseEndpoint(endpoint)
	if err != nil {
		return err
	}
	if transport == transportInproc {
		if err := s.connectInproc(addr, endpoint); err != nil {
			return err
		}
		s.setEndpoint(endpoint)
		return nil
	}
	s.mu.Lock()
	ipv6 := s.opts.tcp.ipv6
	err = s.opts.sec.check()
	s.mu.Unlock()
	if err != nil {
		return err
	}
	var src *netAddr
	if srcAddr, dstAddr, ok := strings.Cut(addr, ";"); ok && transport == transportTCP {
		// "tcp://source;destination": connect from a given address.
		sa, err := resolveTCP(srcAddr, true, ipv6)
		if err != nil {
			return err
		}
		src, addr = &sa, dstAddr
	}
	a, err := resolve(transport, addr, false, ipv6)
	if err != nil {
		return err
	}
	if err := s.connectSession(a, src, endpoint); err != nil {
		return err
	}
	s.setEndpoint(endpoint)
	return nil
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
	if err := s.openErr(); err != nil {
		return err
	}
	if name, ok := strings.CutPrefix(endpoint, transportInproc+"://"); ok {
		if !s.unbindInproc(name) {
			return fmt.Errorf("%w: %q is not bound", ErrEndpoint, endpoint)
		}
		return nil
	}
	s.mu.Lock()
	var l *listener
	for i, x := range s.listeners {
		if x.endpoint == endpoint || x.asked == endpoint {
			l = x
			s.listeners = append(s.listeners[:i], s.listeners[i+1:]...)
			break
		}
	}
	s.mu.Unlock()
	if l == nil {
		return fmt.Errorf("%w: %q is not bound", ErrEndpoint, endpoint)
	}
	l.thread.Post(l.unbind)
	return nil
}

// Disconnect ends the connection made by Connect(endpoint) (zmq_disconnect)
// and stops reconnecting it. Messages still queued for that peer are
// discarded. An endpoint not connected is ErrEndpoint.
func (s *Socket) Disconnect(endpoint string) error {
	if err := s.openErr(); err != nil {
		return err
	}
	if strings.HasPrefix(endpoint, transportInproc+"://") {
		if !s.disconnectInproc(endpoint) {
			return fmt.Errorf("%w: %q is not connected", ErrEndpoint, endpoint)
		}
		return nil
	}
	s.mu.Lock()
	var found []*session
	for ss := range s.sessions {
		if ss.addr != nil && ss.endpoint == endpoint {
			found = append(found, ss)
		}
	}
	s.mu.Unlock()
	if len(found) == 0 {
		return fmt.Errorf("%w: %q is not connected", ErrEndpoint, endpoint)
	}
	for _, ss := range found {
		ss.thread.Post(ss.drop)
	}
	return nil
}
