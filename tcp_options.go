package zring

import (
	"time"
)

// Typed options.

// WithSndBuf sets the kernel send buffer of each TCP connection in bytes
// (ZMQ_SNDBUF); 0 or -1 keeps the OS default.
func WithSndBuf(n int) Option {
	return func(o *options) error { return atLeast("SNDBUF", n, -1, &o.conn.TCP.SndBuf) }
}

// WithRcvBuf sets the kernel receive buffer (ZMQ_RCVBUF); 0 or -1 keeps
// the OS default.
func WithRcvBuf(n int) Option {
	return func(o *options) error { return atLeast("RCVBUF", n, -1, &o.conn.TCP.RcvBuf) }
}

// WithTOS sets the IP type-of-service (IPv6 traffic class) of outgoing
// packets (ZMQ_TOS).
func WithTOS(n int) Option {
	return func(o *options) error {
		if n > 255 {
			return invalid("TOS", n)
		}
		return nonNegative("TOS", n, &o.conn.TCP.TOS)
	}
}

// WithBacklog sets the listen backlog of later binds (ZMQ_BACKLOG, default
// 100).
func WithBacklog(n int) Option {
	return func(o *options) error { return nonNegative("BACKLOG", n, &o.conn.TCP.Backlog) }
}

// WithTCPKeepalive turns SO_KEEPALIVE on or off (ZMQ_TCP_KEEPALIVE 1 or
// 0). Without it, the OS default stays (ZMQ_TCP_KEEPALIVE -1).
func WithTCPKeepalive(on bool) Option {
	if on {
		return tcpKeepalive(1)
	}
	return tcpKeepalive(0)
}

// tcpKeepalive is ZMQ_TCP_KEEPALIVE by number: -1 (the OS default), 0 or 1.
func tcpKeepalive(on int) Option {
	return func(o *options) error {
		if on < -1 || on > 1 {
			return invalid("TCP_KEEPALIVE", on)
		}
		o.conn.TCP.Keepalive = on
		return nil
	}
}

// WithTCPKeepaliveCnt sets the unanswered probes before a kept-alive
// connection drops (ZMQ_TCP_KEEPALIVE_CNT); -1 (or 0) is the OS default,
// below -1 is ErrInvalid.
func WithTCPKeepaliveCnt(n int) Option {
	return func(o *options) error { return atLeast("TCP_KEEPALIVE_CNT", n, -1, &o.conn.TCP.KeepaliveCnt) }
}

// WithTCPKeepaliveIdle sets how long a connection is idle before the first
// keepalive probe (ZMQ_TCP_KEEPALIVE_IDLE), in whole seconds (rounded
// up); 0 is the OS default, negative is ErrInvalid.
func WithTCPKeepaliveIdle(d time.Duration) Option {
	return keepaliveTime("TCP_KEEPALIVE_IDLE", d, keepaliveIdle)
}

// WithTCPKeepaliveIntvl sets the time between keepalive probes
// (ZMQ_TCP_KEEPALIVE_INTVL), in whole seconds (rounded up); 0 is the OS
// default, negative is ErrInvalid.
func WithTCPKeepaliveIntvl(d time.Duration) Option {
	return keepaliveTime("TCP_KEEPALIVE_INTVL", d, keepaliveIntvl)
}

// The keepalive times' fields, for the typed and the numbered options.
func keepaliveIdle(o *options) *int  { return &o.conn.TCP.KeepaliveIdle }
func keepaliveIntvl(o *options) *int { return &o.conn.TCP.KeepaliveIntvl }

// keepaliveTime stores d as the seconds the kernel takes.
func keepaliveTime(name string, d time.Duration, field func(*options) *int) Option {
	return func(o *options) error {
		if d < 0 {
			return invalid(name, d)
		}
		sec := int((d + time.Second - 1) / time.Second)
		if sec == 0 {
			sec = -1 // the OS default
		}
		*field(o) = sec
		return nil
	}
}

// keepaliveSeconds is ZMQ_TCP_KEEPALIVE_IDLE or _INTVL by number: seconds,
// -1 (or 0) for the OS default, below -1 ErrInvalid.
func keepaliveSeconds(name string, field func(*options) *int) func(int) Option {
	return func(sec int) Option {
		return func(o *options) error { return atLeast(name, sec, -1, field(o)) }
	}
}

// WithTCPMaxRT bounds how long sent data may stay unacknowledged before the
// connection is dropped (ZMQ_TCP_MAXRT, Linux's TCP_USER_TIMEOUT).
func WithTCPMaxRT(d time.Duration) Option {
	return func(o *options) error {
		if d < 0 {
			return invalid("TCP_MAXRT", d)
		}
		o.conn.TCP.MaxRT = int(d / time.Millisecond)
		return nil
	}
}

// WithBindToDevice restricts the socket's connections to a network
// interface (ZMQ_BINDTODEVICE, SO_BINDTODEVICE; needs CAP_NET_RAW). The
// name has at most 16 bytes, as in libzmq; empty clears it. A device the
// kernel refuses makes Bind (or the connect) fail with ErrInvalid, the
// errno still matchable.
func WithBindToDevice(name string) Option {
	return func(o *options) error {
		if len(name) > maxDeviceName {
			return invalid("BINDTODEVICE length", len(name))
		}
		o.conn.TCP.Device = name
		return nil
	}
}

// maxDeviceName is libzmq's BINDDEVSIZ (IFNAMSIZ on Linux).
const maxDeviceName = 16

// WithIPv6 enables IPv6 (ZMQ_IPV6): "tcp://*:port" binds to every IPv4 and
// IPv6 address (dual stack) and hostnames resolve to IPv6 first.
func WithIPv6(on bool) Option {
	return func(o *options) error { o.conn.TCP.IPv6 = on; return nil }
}

// WithMulticastHops sets the TTL of udp:// multicast sent by later
// connects (ZMQ_MULTICAST_HOPS; default 1, the OS's).
func WithMulticastHops(n int) Option {
	return func(o *options) error {
		if n > 255 {
			return invalid("MULTICAST_HOPS", n)
		}
		return atLeast("MULTICAST_HOPS", n, 1, &o.conn.Multicast.Hops)
	}
}

// WithMulticastLoop sets whether udp:// multicast sent by later connects
// reaches this host's members too (ZMQ_MULTICAST_LOOP; default true).
func WithMulticastLoop(on bool) Option {
	return func(o *options) error { o.conn.Multicast.Loop = on; return nil }
}

func nonNegative(name string, n int, dst *int) error { return atLeast(name, n, 0, dst) }

// atLeast stores n in dst if it is at least lo, and is ErrInvalid if not.
func atLeast(name string, n, lo int, dst *int) error {
	if n < lo {
		return invalid(name, n)
	}
	*dst = n
	return nil
}
