//go:build linux

package engine

import (
	"net/netip"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// rawInet4 is the source address recvfrom fills in for a.
func rawInet4(a netip.AddrPort) *unix.RawSockaddrAny {
	var raw unix.RawSockaddrAny
	sa := (*unix.RawSockaddrInet4)(unsafe.Pointer(&raw))
	sa.Family = unix.AF_INET
	sa.Addr = a.Addr().As4()
	p := a.Port()
	sa.Port = p>>8 | p<<8 // network byte order
	return &raw
}

func TestDgramAddr(t *testing.T) {
	for _, s := range []string{"127.0.0.1:5555", "0.0.0.0:1", "255.255.255.255:65535", "10.1.2.3:80"} {
		a := netip.MustParseAddrPort(s)
		f := dgramAddrFrame(rawInet4(a))
		require.Equal(t, s, string(f.Bytes()))
		var sa unix.SockaddrInet4
		require.True(t, parseDgramAddr(f.Bytes(), &sa), s)
		require.Equal(t, a.Addr().As4(), sa.Addr)
		require.Equal(t, int(a.Port()), sa.Port)
		require.True(t, parseDgramAddr(append(f.Bytes(), 0), &sa), "libzmq's trailing zero")
		f.Release()
	}
	for _, bad := range []string{"", ":", "1.2.3.4", "1.2.3.4:", "1.2.3.4:0", "1.2.3.4:65536", "1.2.3.256:5",
		"1.2.3:4", "1.2.3.4.5:6", "a.b.c.d:1", "1.2.3.4:5x", " 1.2.3.4:5", "1.2.3.4:5\x00\x00", "[::1]:5",
		"01234.1.1.1:5", "1.2.3.4:000001"} {
		var sa unix.SockaddrInet4
		require.False(t, parseDgramAddr([]byte(bad), &sa), "%q", bad)
	}
	var raw unix.RawSockaddrAny
	raw.Addr.Family = unix.AF_INET6
	require.Nil(t, dgramAddrFrame(&raw), "libzmq's DGRAM is IPv4 only")
}

// FuzzDgramAddr: whatever parses as a DGRAM destination is a valid IPv4
// address and port that netip reads alike, and formats back to itself.
func FuzzDgramAddr(f *testing.F) {
	for _, s := range []string{"127.0.0.1:5555", "1.2.3.4:0", "255.255.255.255:65535\x00", "1..2.3:4", "9999"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var sa unix.SockaddrInet4
		if !parseDgramAddr(b, &sa) {
			return
		}
		require.NotZero(t, sa.Port)
		a := netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))
		fr := dgramAddrFrame(rawInet4(a))
		defer fr.Release()
		var again unix.SockaddrInet4
		require.True(t, parseDgramAddr(fr.Bytes(), &again))
		require.Equal(t, sa, again)
	})
}

// A RADIO's multicast socket carries MULTICAST_HOPS as its TTL and
// MULTICAST_LOOP as given; hops 0 keeps the kernel's TTL of 1.
func TestOpenUDPMulticastOptions(t *testing.T) {
	for _, tc := range []struct {
		ep      string
		level   int
		ttl     int
		loopOpt int
	}{
		{"239.1.2.3:5555", unix.IPPROTO_IP, unix.IP_MULTICAST_TTL, unix.IP_MULTICAST_LOOP},
		{"[ff12::1234]:5555", unix.IPPROTO_IPV6, unix.IPV6_MULTICAST_HOPS, unix.IPV6_MULTICAST_LOOP},
	} {
		for _, mc := range []MulticastOptions{{Loop: true, Hops: 7}, {Loop: false}} {
			a, err := ResolveUDP(tc.ep, false, true)
			require.NoError(t, err, tc.ep)
			require.True(t, a.Multicast())
			fd, err := openUDP(&a, true, false, mc, &TCPOptions{})
			require.NoError(t, err, tc.ep)
			hops, err := unix.GetsockoptInt(fd, tc.level, tc.ttl)
			require.NoError(t, err)
			loop, err := unix.GetsockoptInt(fd, tc.level, tc.loopOpt)
			require.NoError(t, err)
			unix.Close(fd)
			wantHops := max(mc.Hops, 1)
			require.Equal(t, wantHops, hops, "%s %+v", tc.ep, mc)
			require.Equal(t, mc.Loop, loop == 1, "%s %+v", tc.ep, mc)
		}
	}
}
