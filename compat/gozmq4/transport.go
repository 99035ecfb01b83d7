//go:build linux

package zmq4

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/zring/zring"
)

// transports are the endpoint schemes zring has.
var transports = []string{"inproc", "ipc", "tcp", "udp", "ws", "wss"}

// Transports returns the sorted names of the transports zring has.
// Upstream's RegisterTransport, which plugs in a transport of one's own,
// has no counterpart: zring's transports live in its engine.
func Transports() []string { return append([]string(nil), transports...) }

// bindEndpoint turns upstream's "tcp://host:0" (a free port, as net.Listen
// takes it) into zring's "tcp://host:*".
func bindEndpoint(ep string) string {
	if strings.HasPrefix(ep, "tcp://") && strings.HasSuffix(ep, ":0") {
		return strings.TrimSuffix(ep, "0") + "*"
	}
	return ep
}

// endpointAddr returns the net.Addr of a bound endpoint, as zring reports
// it ("tcp://0.0.0.0:5555").
func endpointAddr(ep string) net.Addr {
	scheme, rest, _ := strings.Cut(ep, "://")
	switch scheme {
	case "tcp":
		if a, err := net.ResolveTCPAddr("tcp", rest); err == nil {
			return a
		}
	case "ipc":
		return &net.UnixAddr{Name: rest, Net: "unix"}
	}
	return endpoint{scheme, rest}
}

// endpoint is the net.Addr of an endpoint of another transport.
type endpoint struct{ network, addr string }

// Network returns the transport's name.
func (e endpoint) Network() string { return e.network }

// String returns the address part of the endpoint.
func (e endpoint) String() string { return e.addr }

// endpointErr reports a failed Bind or Connect; an unknown transport also
// matches UnknownTransportError.
func (s *socket) endpointErr(what, ep string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, zring.ErrEndpoint) {
		scheme, _, ok := strings.Cut(ep, "://")
		known := false
		for _, t := range transports {
			known = known || t == scheme
		}
		if ok && !known {
			return fmt.Errorf("zmq4: %s %q: %w: %w", what, ep, UnknownTransportError{Name: scheme}, err)
		}
	}
	return s.mapErr(fmt.Sprintf("%s %q", what, ep), err)
}
