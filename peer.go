package zring

import "fmt"

// ConnectPeer connects a Peer socket to endpoint, as Connect does, and
// returns the routing id that names the new peer in Frame.RoutingID, so a
// message can be sent to it at once (libzmq's zmq_connect_peer). It is
// ErrNotSupported on other socket types, and ErrInvalid under IMMEDIATE,
// where the peer has no pipe, nor so a routing id, until its handshake.
func (s *Socket) ConnectPeer(endpoint string) (uint32, error) {
	id, err := s.connectPeer(endpoint)
	return id, opErr("connect peer", endpoint, err)
}

func (s *Socket) connectPeer(endpoint string) (uint32, error) {
	if s.typ != Peer {
		return 0, fmt.Errorf("%w: %v is not a PEER", ErrNotSupported, s.typ)
	}
	s.mu.Lock()
	immediate := s.opts.conn.Immediate
	s.mu.Unlock()
	if immediate {
		return 0, fmt.Errorf("%w: no routing id before the handshake under IMMEDIATE", ErrInvalid)
	}
	p, err := s.connect(endpoint)
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p == nil || p.Detached {
		return 0, fmt.Errorf("%w: the connection was refused", ErrClosed)
	}
	return p.Marks.ID, nil
}
