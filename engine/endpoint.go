//go:build linux

package engine

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/zring/zring/internal/zerr"
	"golang.org/x/sys/unix"
)

// Addr is a resolved tcp:// or ipc:// endpoint.
type Addr struct {
	sa   unix.Sockaddr
	fam  int    // unix.AF_INET, AF_INET6 or AF_UNIX
	host string // tcp
	port int    // tcp
	path string // ipc: a file path, or "@name" in Linux's abstract namespace
	// tmpDir is the directory made for an "ipc://*" bind, removed with it.
	tmpDir string
	ws     *wsTarget // ws:// and wss://: TCP, then the WebSocket upgrade
	// name is the host name a connect gave (not an IP literal), looked
	// up again before each reconnect (resolve.go); empty otherwise.
	name string
	// resolver looks name up; nil is net.DefaultResolver.
	resolver *net.Resolver
}

// Discard removes what resolving made for a bind that will not happen: the
// private directory of an "ipc://*" address.
func (a Addr) Discard() {
	if a.tmpDir != "" {
		_ = os.RemoveAll(a.tmpDir)
	}
}

// ParseEndpoint splits "transport://address", checking the transport is
// one zring serves (ErrEndpoint otherwise).
func ParseEndpoint(ep string) (transport, addr string, err error) {
	transport, addr, ok := strings.Cut(ep, "://")
	if !ok || addr == "" {
		return "", "", fmt.Errorf("%w: want transport://address", zerr.ErrEndpoint)
	}
	if transport != TransportTCP && transport != TransportIPC && transport != TransportInproc && transport != TransportUDP &&
		transport != TransportWS && transport != TransportWSS {
		return "", "", fmt.Errorf("%w: transport %q not supported yet", zerr.ErrEndpoint, transport)
	}
	return transport, addr, nil
}

// Resolve resolves an endpoint's address for bind or connect, looking
// host names up with r (nil: net.DefaultResolver). A connect to a host
// name keeps the name and r, to look it up again before each reconnect.
func Resolve(r *net.Resolver, transport, addr string, bind, ipv6 bool) (Addr, error) {
	switch transport {
	case TransportIPC:
		return resolveIPC(addr, bind)
	case TransportWS, TransportWSS:
		return resolveWS(r, transport, addr, bind, ipv6)
	}
	return ResolveTCP(r, addr, bind, ipv6)
}

// ResolveTCP resolves host:port, looking a host name up with r (nil:
// net.DefaultResolver). For a bind, host "*" means every interface (IPv4,
// or both with ipv6), a network interface's name its address, and port "*"
// or "0" an ephemeral port.
func ResolveTCP(r *net.Resolver, addr string, bind, ipv6 bool) (Addr, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return Addr{}, fmt.Errorf("%w: %v", zerr.ErrEndpoint, err)
	}
	port := 0
	if portStr != "*" {
		if port, err = strconv.Atoi(portStr); err != nil || port < 0 || port > 65535 {
			return Addr{}, fmt.Errorf("%w: port %q", zerr.ErrEndpoint, portStr)
		}
	}
	if port == 0 && !bind {
		return Addr{}, fmt.Errorf("%w: connect needs a port: %q", zerr.ErrEndpoint, addr)
	}
	if host == "*" && bind {
		host = "0.0.0.0"
		if ipv6 {
			host = "::"
		}
	}
	if bind {
		if ip := interfaceIP(host, ipv6); ip != nil {
			return newTCPAddr(ip, port), nil
		}
	}
	if ip := net.ParseIP(host); ip != nil {
		return newTCPAddr(ip, port), nil
	}
	ip, err := lookupIP(context.Background(), r, host, ipv6)
	if err != nil {
		return Addr{}, err
	}
	a := newTCPAddr(ip, port)
	if !bind {
		a.name, a.resolver = host, r
	}
	return a, nil
}

// lookupIP looks host up with r (nil: net.DefaultResolver) and picks one
// of its addresses.
func lookupIP(ctx context.Context, r *net.Resolver, host string, ipv6 bool) (net.IP, error) {
	ips, err := lookupIPs(ctx, r, host)
	if err == nil && len(ips) == 0 {
		err = fmt.Errorf("%w: cannot resolve %q: no address", zerr.ErrEndpoint, host)
	}
	if err != nil {
		return nil, err
	}
	return pickIP(ips, ipv6), nil
}

// lookupIPs looks host up with r (nil: net.DefaultResolver). The error
// matches ErrEndpoint and wraps the resolver's, so that callers tell a
// name that is gone (a *net.DNSError with IsNotFound) from a lookup that
// failed.
func lookupIPs(ctx context.Context, r *net.Resolver, host string) ([]net.IP, error) {
	if r == nil {
		r = net.DefaultResolver
	}
	ips, err := r.LookupIP(ctx, "ip", host)
	if err != nil {
		return nil, fmt.Errorf("%w: cannot resolve %q: %w", zerr.ErrEndpoint, host, err)
	}
	return ips, nil
}

// pickIP prefers IPv4, as libzmq does without ZMQ_IPV6, or IPv6 with it.
func pickIP(ips []net.IP, ipv6 bool) net.IP {
	for _, ip := range ips {
		if (ip.To4() == nil) == ipv6 {
			return ip
		}
	}
	return ips[0]
}

// interfaceIP returns the address of the network interface named name, or
// nil if there is no such interface (a bind to "tcp://eth0:5555").
func interfaceIP(name string, ipv6 bool) net.IP {
	if net.ParseIP(name) != nil {
		return nil
	}
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		return nil
	}
	addrs, err := ifi.Addrs()
	if err != nil {
		return nil
	}
	var ips []net.IP
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			ips = append(ips, n.IP)
		}
	}
	if len(ips) == 0 {
		return nil
	}
	return pickIP(ips, ipv6)
}

// withIP is a with its IP address replaced, the rest kept.
func (a Addr) withIP(ip net.IP) Addr {
	b := newTCPAddr(ip, a.port)
	b.ws, b.name, b.resolver = a.ws, a.name, a.resolver
	return b
}

func newTCPAddr(ip net.IP, port int) Addr {
	if ip4 := ip.To4(); ip4 != nil {
		sa := &unix.SockaddrInet4{Port: port}
		copy(sa.Addr[:], ip4)
		return Addr{sa: sa, fam: unix.AF_INET, host: ip4.String(), port: port}
	}
	sa := &unix.SockaddrInet6{Port: port}
	copy(sa.Addr[:], ip.To16())
	return Addr{sa: sa, fam: unix.AF_INET6, host: ip.String(), port: port}
}

// maxIPCPath is the longest path a sockaddr_un holds (108 bytes with the
// terminating zero).
const maxIPCPath = 107

// resolveIPC checks an ipc:// path. "@name" is Linux's abstract namespace;
// for a bind, "*" is a fresh path in a private temporary directory, as
// libzmq makes one.
func resolveIPC(path string, bind bool) (Addr, error) {
	var dir string
	if path == "*" {
		if !bind {
			return Addr{}, fmt.Errorf("%w: connect needs a path", zerr.ErrEndpoint)
		}
		var err error
		if dir, err = os.MkdirTemp("", "zring-ipc-"); err != nil {
			return Addr{}, fmt.Errorf("%w: ipc wildcard: %v", zerr.ErrEndpoint, err)
		}
		path = filepath.Join(dir, "socket")
	}
	if len(path) > maxIPCPath {
		return Addr{}, fmt.Errorf("%w: ipc path of %d bytes, longer than %d", zerr.ErrEndpoint, len(path), maxIPCPath)
	}
	// x/sys/unix maps a leading '@' to the abstract namespace's zero byte.
	return Addr{sa: &unix.SockaddrUnix{Name: path}, fam: unix.AF_UNIX, path: path, tmpDir: dir}, nil
}

// abstract reports whether an ipc address lives in the abstract namespace
// (no file to create or remove).
func (a Addr) abstract() bool { return strings.HasPrefix(a.path, "@") }

// String formats the endpoint as libzmq's LAST_ENDPOINT does.
func (a Addr) String() string {
	if a.fam == unix.AF_UNIX {
		return TransportIPC + "://" + a.path
	}
	if a.ws != nil {
		return a.ws.scheme() + "://" + net.JoinHostPort(a.host, strconv.Itoa(a.port)) + a.ws.path
	}
	return TransportTCP + "://" + net.JoinHostPort(a.host, strconv.Itoa(a.port))
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
	return 0, fmt.Errorf("%w: unexpected socket address", zerr.ErrEndpoint)
}
