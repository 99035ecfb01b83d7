//go:build linux

package engine

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"

	"github.com/zring/zring/internal/zerr"
	"golang.org/x/sys/unix"
)

// UDPAddr is a resolved udp:// endpoint (libzmq's udp_address_t):
// "host:port" names, for a bind, the local address to receive on ("*"
// for every interface, port "*" for an ephemeral one) and, for a
// connect, the destination; a multicast group as host is joined by a
// bind and sent to by a connect, and "iface;group:port" names the
// interface (its address, its name, or "*") that multicast uses.
type UDPAddr struct {
	target    Addr   // the destination, the unicast address bound, or the multicast group
	iface     net.IP // multicast: the interface's address; nil for the kernel's choice
	ifIndex   int    // multicast over IPv6: the interface's index; 0 for the kernel's choice
	ifName    string // the interface part as given, for String
	multicast bool
}

// ResolveUDP resolves a udp:// address for a bind or a connect.
func ResolveUDP(addr string, bind, ipv6 bool) (UDPAddr, error) {
	var a UDPAddr
	if src, dst, ok := strings.Cut(addr, ";"); ok {
		a.ifName, addr = src, dst
	}
	target, err := ResolveTCP(nil, addr, bind && a.ifName == "", ipv6)
	if err != nil {
		return UDPAddr{}, err
	}
	a.target = target
	ip := net.ParseIP(target.host)
	a.multicast = ip != nil && ip.IsMulticast()
	if a.multicast && target.port == 0 {
		return UDPAddr{}, fmt.Errorf("%w: a multicast group needs a port: %q", zerr.ErrEndpoint, addr)
	}
	if a.ifName == "" {
		return a, nil
	}
	if !a.multicast {
		return UDPAddr{}, fmt.Errorf("%w: an interface is for a multicast group only: %q", zerr.ErrEndpoint, addr)
	}
	if a.ifName != "*" {
		if a.iface = net.ParseIP(a.ifName); a.iface == nil {
			a.iface = interfaceIP(a.ifName, target.fam == unix.AF_INET6)
		}
		if ifi, err := net.InterfaceByName(a.ifName); err == nil {
			a.ifIndex = ifi.Index
		}
		if a.iface == nil {
			return UDPAddr{}, fmt.Errorf("%w: no interface %q", zerr.ErrEndpoint, a.ifName)
		}
		if (a.iface.To4() == nil) != (target.fam == unix.AF_INET6) {
			return UDPAddr{}, fmt.Errorf("%w: interface %q and group of different families", zerr.ErrEndpoint, a.ifName)
		}
	}
	return a, nil
}

// Multicast reports whether the address is a multicast group.
func (a UDPAddr) Multicast() bool { return a.multicast }

// String formats the endpoint as given, with an ephemeral port resolved.
func (a UDPAddr) String() string {
	s := TransportUDP + "://"
	if a.ifName != "" {
		s += a.ifName + ";"
	}
	return s + net.JoinHostPort(a.target.host, strconv.Itoa(a.target.port))
}

// openUDP makes a non-blocking datagram socket for a: bound to receive
// (recv; a multicast group is joined on its port) and set up to send to a
// group (send). A bind to port 0 records the port chosen in a.
func openUDP(a *UDPAddr, send, recv bool, mc MulticastOptions, t *TCPOptions) (int, error) {
	fam := a.target.fam
	fd, err := unix.Socket(fam, unix.SOCK_DGRAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, unix.IPPROTO_UDP)
	if err != nil {
		return -1, os.NewSyscallError("socket", err)
	}
	fail := func(op string, err error) (int, error) {
		unix.Close(fd)
		if errors.Is(err, unix.EADDRINUSE) {
			return -1, zerr.ErrAddrInUse
		}
		return -1, os.NewSyscallError(op, err)
	}
	if err := t.prepare(fd, fam); err != nil {
		unix.Close(fd)
		return -1, err
	}
	v6 := fam == unix.AF_INET6
	if send && a.multicast {
		level, loopOpt, hopsOpt := unix.IPPROTO_IP, unix.IP_MULTICAST_LOOP, unix.IP_MULTICAST_TTL
		if v6 {
			level, loopOpt, hopsOpt = unix.IPPROTO_IPV6, unix.IPV6_MULTICAST_LOOP, unix.IPV6_MULTICAST_HOPS
		}
		loop := 0
		if mc.Loop {
			loop = 1
		}
		if err := unix.SetsockoptInt(fd, level, loopOpt, loop); err != nil {
			return fail("setsockopt MULTICAST_LOOP", err)
		}
		if mc.Hops > 0 {
			if err := unix.SetsockoptInt(fd, level, hopsOpt, mc.Hops); err != nil {
				return fail("setsockopt MULTICAST_HOPS", err)
			}
		}
		switch {
		case v6 && a.ifIndex > 0:
			err = unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_MULTICAST_IF, a.ifIndex)
		case !v6 && a.iface != nil:
			err = unix.SetsockoptInet4Addr(fd, unix.IPPROTO_IP, unix.IP_MULTICAST_IF, [4]byte(a.iface.To4()))
		}
		if err != nil {
			return fail("setsockopt MULTICAST_IF", err)
		}
	}
	if !recv {
		return fd, nil
	}
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
		return fail("setsockopt SO_REUSEADDR", err)
	}
	bindTo := a.target.sa
	if a.multicast {
		// Every member on this host binds the group's port: all receive.
		if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEPORT, 1); err != nil {
			return fail("setsockopt SO_REUSEPORT", err)
		}
		if v6 {
			bindTo = &unix.SockaddrInet6{Port: a.target.port}
		} else {
			bindTo = &unix.SockaddrInet4{Port: a.target.port}
		}
	}
	if err := unix.Bind(fd, bindTo); err != nil {
		return fail("bind", err)
	}
	if a.multicast {
		group := net.ParseIP(a.target.host)
		if v6 {
			mreq := &unix.IPv6Mreq{Interface: uint32(a.ifIndex)}
			copy(mreq.Multiaddr[:], group.To16())
			err = unix.SetsockoptIPv6Mreq(fd, unix.IPPROTO_IPV6, unix.IPV6_JOIN_GROUP, mreq)
		} else {
			mreq := &unix.IPMreq{Multiaddr: [4]byte(group.To4())}
			if a.iface != nil {
				mreq.Interface = [4]byte(a.iface.To4())
			}
			err = unix.SetsockoptIPMreq(fd, unix.IPPROTO_IP, unix.IP_ADD_MEMBERSHIP, mreq)
		}
		if err != nil {
			return fail("setsockopt ADD_MEMBERSHIP", err)
		}
		return fd, nil
	}
	if a.target.port == 0 {
		port, err := boundPort(fd)
		if err != nil {
			return fail("getsockname", err)
		}
		a.target = newTCPAddr(net.ParseIP(a.target.host), port)
	}
	return fd, nil
}
