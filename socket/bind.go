package socket

// Bind accepts connections on endpoint (zmq_bind). For tcp, "tcp://*:5555"
// listens on every IPv4 interface and "tcp://127.0.0.1:*" on an ephemeral
// port; Endpoint then returns the port chosen.
func (s *Socket) Bind(endpoint string) error {
	transport, addr, err := parseEndpoint(endpoint)
	if err != nil {
		return err
	}
	bound, err := s.bind(transport, addr)
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
	transport, addr, err := parseEndpoint(endpoint)
	if err != nil {
		return err
	}
	a, err := resolve(transport, addr, false)
	if err != nil {
		return err
	}
	if err := s.connectSession(a, endpoint); err != nil {
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
