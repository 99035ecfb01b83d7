package zring

import "fmt"

// ConnectPeer connects a Peer socket to endpoint, as Connect does, and
// returns the routing id that names the new peer in Frame.RoutingID, so a
// message can be sent to it at once (libzmq's zmq_connect_peer). It is
// ErrNotSupported on other socket types, and ErrInvalid under IMMEDIATE,
// where the peer has no pipe, nor so a routing id, until its handshake.
func (s *Socket) ConnectPeer(endpoint string) (uint32, error) {
	if s.typ != Peer {
		return 0, fmt.Errorf("%w: ConnectPeer on a %v socket", ErrNotSupported, s.typ)
	}
	s.mu.Lock()
	immediate := s.opts.conn.Immediate
	s.mu.Unlock()
	if immediate {
		return 0, fmt.Errorf("%w: ConnectPeer under IMMEDIATE", ErrInvalid)
	}
	p, err := s.connect(endpoint)
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p == nil || p.Detached {
		return 0, fmt.Errorf("%w: %s was refused", ErrClosed, endpoint)
	}
	return p.Marks.ID, nil
}
