package zring

import (
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// TCP-level options (libzmq's SNDBUF, RCVBUF, TOS, BACKLOG, TCP_KEEPALIVE*,
// TCP_MAXRT, BINDTODEVICE), applied where libzmq applies them: buffer
// sizes, TOS and the device on a socket before it binds or connects (an
// accepted socket inherits the listener's), keepalive and TCP_MAXRT on each
// connection. None applies to ipc.

// tcpOpts is the snapshot of those options a listener or session uses.
type tcpOpts struct {
	sndBuf, rcvBuf int    // bytes; 0: the OS default
	tos            int    // 0: unset
	backlog        int    // listen(2) backlog
	keepalive      int    // -1: the OS default, 0: off, 1: on
	keepaliveCnt   int    // 0 or -1: the OS default
	keepaliveIdle  int    // seconds
	keepaliveIntvl int    // seconds
	maxRT          int    // ms: TCP_USER_TIMEOUT; 0: the OS default
	device         string // SO_BINDTODEVICE
	ipv6           bool   // "*" and hostnames prefer IPv6; dual-stack binds
}

func defaultTCPOpts() tcpOpts {
	return tcpOpts{backlog: 100, keepalive: -1, keepaliveCnt: -1, keepaliveIdle: -1, keepaliveIntvl: -1}
}

// setsockopt wraps one setsockopt as a syscall error.
func setsockopt(fd, level, opt, v int, name string) error {
	return os.NewSyscallError("setsockopt "+name, unix.SetsockoptInt(fd, level, opt, v))
}

// prepare applies the options that must precede bind or connect.
func (t *tcpOpts) prepare(fd, fam int) error {
	if fam == unix.AF_UNIX {
		return nil
	}
	type opt struct {
		on              bool
		level, opt, val int
		name            string
	}
	tosLevel, tosOpt := unix.IPPROTO_IP, unix.IP_TOS
	if fam == unix.AF_INET6 {
		tosLevel, tosOpt = unix.IPPROTO_IPV6, unix.IPV6_TCLASS
	}
	for _, o := range []opt{
		{t.sndBuf > 0, unix.SOL_SOCKET, unix.SO_SNDBUF, t.sndBuf, "SO_SNDBUF"},
		{t.rcvBuf > 0, unix.SOL_SOCKET, unix.SO_RCVBUF, t.rcvBuf, "SO_RCVBUF"},
		{t.tos > 0, tosLevel, tosOpt, t.tos, "IP_TOS"},
	} {
		if o.on {
			if err := setsockopt(fd, o.level, o.opt, o.val, o.name); err != nil {
				return err
			}
		}
	}
	if t.device != "" {
		if err := unix.SetsockoptString(fd, unix.SOL_SOCKET, unix.SO_BINDTODEVICE, t.device); err != nil {
			return fmt.Errorf("%w: BINDTODEVICE %q: %w", ErrInvalid, t.device, os.NewSyscallError("setsockopt SO_BINDTODEVICE", err))
		}
	}
	return nil
}

// tune applies the per-connection options: TCP_NODELAY (always, as libzmq:
// ZMTP batches frames itself, so Nagle only adds latency), keepalive and
// TCP_MAXRT.
func (t *tcpOpts) tune(fd, fam int) error {
	if fam == unix.AF_UNIX {
		return nil
	}
	if err := setsockopt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1, "TCP_NODELAY"); err != nil {
		return err
	}
	if t.keepalive >= 0 {
		if err := setsockopt(fd, unix.SOL_SOCKET, unix.SO_KEEPALIVE, t.keepalive, "SO_KEEPALIVE"); err != nil {
			return err
		}
	}
	if t.keepalive == 1 {
		for _, o := range []struct {
			val, opt int
			name     string
		}{
			{t.keepaliveCnt, unix.TCP_KEEPCNT, "TCP_KEEPCNT"},
			{t.keepaliveIdle, unix.TCP_KEEPIDLE, "TCP_KEEPIDLE"},
			{t.keepaliveIntvl, unix.TCP_KEEPINTVL, "TCP_KEEPINTVL"},
		} {
			if o.val > 0 {
				if err := setsockopt(fd, unix.IPPROTO_TCP, o.opt, o.val, o.name); err != nil {
					return err
				}
			}
		}
	}
	if t.maxRT > 0 {
		return setsockopt(fd, unix.IPPROTO_TCP, unix.TCP_USER_TIMEOUT, t.maxRT, "TCP_USER_TIMEOUT")
	}
	return nil
}

// Typed options.

// WithSndBuf sets the kernel send buffer of each TCP connection in bytes
// (ZMQ_SNDBUF); 0 or -1 keeps the OS default.
func WithSndBuf(n int) Option {
	return func(o *options) error { return atLeast("SNDBUF", n, -1, &o.tcp.sndBuf) }
}

// WithRcvBuf sets the kernel receive buffer (ZMQ_RCVBUF); 0 or -1 keeps
// the OS default.
func WithRcvBuf(n int) Option {
	return func(o *options) error { return atLeast("RCVBUF", n, -1, &o.tcp.rcvBuf) }
}

// WithTOS sets the IP type-of-service (IPv6 traffic class) of outgoing
// packets (ZMQ_TOS).
func WithTOS(n int) Option {
	return func(o *options) error {
		if n > 255 {
			return invalid("TOS", n)
		}
		return nonNegative("TOS", n, &o.tcp.tos)
	}
}

// WithBacklog sets the listen backlog of later binds (ZMQ_BACKLOG, default
// 100).
func WithBacklog(n int) Option {
	return func(o *options) error { return nonNegative("BACKLOG", n, &o.tcp.backlog) }
}

// WithTCPKeepalive sets SO_KEEPALIVE (ZMQ_TCP_KEEPALIVE): -1 (the default)
// leaves the OS default, 0 turns it off, 1 on.
func WithTCPKeepalive(on int) Option {
	return func(o *options) error {
		if on < -1 || on > 1 {
			return invalid("TCP_KEEPALIVE", on)
		}
		o.tcp.keepalive = on
		return nil
	}
}

// WithTCPKeepaliveCnt sets the unanswered probes before a kept-alive
// connection drops (ZMQ_TCP_KEEPALIVE_CNT); -1 (or 0) is the OS default,
// below -1 is ErrInvalid.
func WithTCPKeepaliveCnt(n int) Option {
	return func(o *options) error { return atLeast("TCP_KEEPALIVE_CNT", n, -1, &o.tcp.keepaliveCnt) }
}

// WithTCPKeepaliveIdle sets the idle seconds before the first keepalive
// probe (ZMQ_TCP_KEEPALIVE_IDLE); -1 (or 0) is the OS default, below -1
// is ErrInvalid.
func WithTCPKeepaliveIdle(sec int) Option {
	return func(o *options) error { return atLeast("TCP_KEEPALIVE_IDLE", sec, -1, &o.tcp.keepaliveIdle) }
}

// WithTCPKeepaliveIntvl sets the seconds between keepalive probes
// (ZMQ_TCP_KEEPALIVE_INTVL); -1 (or 0) is the OS default, below -1 is
// ErrInvalid.
func WithTCPKeepaliveIntvl(sec int) Option {
	return func(o *options) error { return atLeast("TCP_KEEPALIVE_INTVL", sec, -1, &o.tcp.keepaliveIntvl) }
}

// WithTCPMaxRT bounds how long sent data may stay unacknowledged before the
// connection is dropped (ZMQ_TCP_MAXRT, Linux's TCP_USER_TIMEOUT).
func WithTCPMaxRT(d time.Duration) Option {
	return func(o *options) error {
		if d < 0 {
			return invalid("TCP_MAXRT", d)
		}
		o.tcp.maxRT = int(d / time.Millisecond)
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
		o.tcp.device = name
		return nil
	}
}

// maxDeviceName is libzmq's BINDDEVSIZ (IFNAMSIZ on Linux).
const maxDeviceName = 16

// WithIPv6 enables IPv6 (ZMQ_IPV6): "tcp://*:port" binds to every IPv4 and
// IPv6 address (dual stack) and hostnames resolve to IPv6 first.
func WithIPv6(on bool) Option {
	return func(o *options) error { o.tcp.ipv6 = on; return nil }
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
