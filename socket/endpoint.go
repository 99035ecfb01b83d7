package socket

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// tcpAddr is a resolved tcp:// endpoint.
type tcpAddr struct {
	sa   unix.Sockaddr
	fam  int // unix.AF_INET or unix.AF_INET6
	host string
	port int
}

// parseEndpoint splits "transport://address".
func parseEndpoint(ep string) (transport, addr string, err error) {
	transport, addr, ok := strings.Cut(ep, "://")
	if !ok || addr == "" {
		return "", "", fmt.Errorf("%w: %q", ErrEndpoint, ep)
	}
	if transport != "tcp" {
		return "", "", fmt.Errorf("%w: transport %q not supported yet", ErrEndpoint, transport)
	}
	return transport, addr, nil
}

// resolveTCP resolves host:port. For a bind, host "*" means every IPv4
// interface and port "*" or "0" an ephemeral port.
func resolveTCP(addr string, bind bool) (tcpAddr, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return tcpAddr{}, fmt.Errorf("%w: %v", ErrEndpoint, err)
	}
	port := 0
	if portStr != "*" {
		if port, err = strconv.Atoi(portStr); err != nil || port < 0 || port > 65535 {
			return tcpAddr{}, fmt.Errorf("%w: port %q", ErrEndpoint, portStr)
		}
	}
	if port == 0 && !bind {
		return tcpAddr{}, fmt.Errorf("%w: connect needs a port: %q", ErrEndpoint, addr)
	}
	if host == "*" && bind {
		host = "0.0.0.0"
	}
	ip, err := lookupIP(host)
	if err != nil {
		return tcpAddr{}, err
	}
	return newTCPAddr(ip, port), nil
}

func lookupIP(host string) (net.IP, error) {
	if ip := net.ParseIP(host); ip != nil {
		return ip, nil
	}
	ips, err := net.LookupIP(host)
	if err != nil || len(ips) == 0 {
		return nil, fmt.Errorf("%w: cannot resolve %q: %v", ErrEndpoint, host, err)
	}
	for _, ip := range ips {
		if ip.To4() != nil {
			return ip, nil // prefer IPv4, as libzmq does without ZMQ_IPV6
		}
	}
	return ips[0], nil
}

func newTCPAddr(ip net.IP, port int) tcpAddr {
	if ip4 := ip.To4(); ip4 != nil {
		sa := &unix.SockaddrInet4{Port: port}
		copy(sa.Addr[:], ip4)
		return tcpAddr{sa: sa, fam: unix.AF_INET, host: ip4.String(), port: port}
	}
	sa := &unix.SockaddrInet6{Port: port}
	copy(sa.Addr[:], ip.To16())
	return tcpAddr{sa: sa, fam: unix.AF_INET6, host: ip.String(), port: port}
}

// String formats the endpoint as libzmq's LAST_ENDPOINT does.
func (a tcpAddr) String() string {
	return "tcp://" + net.JoinHostPort(a.host, strconv.Itoa(a.port))
}

// boundPort reads the port the kernel chose for fd.
func boundPort(fd int) (int, error) {
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return 0, err
	}
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return sa.Port, nil
	case *unix.SockaddrInet6:
		return sa.Port, nil
	}
	return 0, fmt.Errorf("%w: unexpected socket address", ErrEndpoint)
}
