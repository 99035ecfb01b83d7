//go:build linux

package engine

import (
	"fmt"
	"os"

	"github.com/zring/zring/internal/zerr"
	"golang.org/x/sys/unix"
)

// TCP-level options (libzmq's SNDBUF, RCVBUF, TOS, BACKLOG, TCP_KEEPALIVE*,
// TCP_MAXRT, BINDTODEVICE), applied where libzmq applies them: buffer
// sizes, TOS and the device on a socket before it binds or connects (an
// accepted socket inherits the listener's), keepalive and TCP_MAXRT on each
// connection. None applies to ipc.

// setsockopt wraps one setsockopt as a syscall error.
func setsockopt(fd, level, opt, v int, name string) error {
	return os.NewSyscallError("setsockopt "+name, unix.SetsockoptInt(fd, level, opt, v))
}

// prepare applies the options that must precede bind or connect.
func (t *TCPOptions) prepare(fd, fam int) error {
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
		{t.SndBuf > 0, unix.SOL_SOCKET, unix.SO_SNDBUF, t.SndBuf, "SO_SNDBUF"},
		{t.RcvBuf > 0, unix.SOL_SOCKET, unix.SO_RCVBUF, t.RcvBuf, "SO_RCVBUF"},
		{t.TOS > 0, tosLevel, tosOpt, t.TOS, "IP_TOS"},
	} {
		if o.on {
			if err := setsockopt(fd, o.level, o.opt, o.val, o.name); err != nil {
				return err
			}
		}
	}
	if t.Device != "" {
		if err := unix.SetsockoptString(fd, unix.SOL_SOCKET, unix.SO_BINDTODEVICE, t.Device); err != nil {
			return fmt.Errorf("%w: BINDTODEVICE %q: %w", zerr.ErrInvalid, t.Device, os.NewSyscallError("setsockopt SO_BINDTODEVICE", err))
		}
	}
	return nil
}

// tune applies the per-connection options: TCP_NODELAY (always, as libzmq:
// ZMTP batches frames itself, so Nagle only adds latency), keepalive and
// TCP_MAXRT.
func (t *TCPOptions) tune(fd, fam int) error {
	if fam == unix.AF_UNIX {
		return nil
	}
	if err := setsockopt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1, "TCP_NODELAY"); err != nil {
		return err
	}
	if t.Keepalive >= 0 {
		if err := setsockopt(fd, unix.SOL_SOCKET, unix.SO_KEEPALIVE, t.Keepalive, "SO_KEEPALIVE"); err != nil {
			return err
		}
	}
	if t.Keepalive == 1 {
		for _, o := range []struct {
			val, opt int
			name     string
		}{
			{t.KeepaliveCnt, unix.TCP_KEEPCNT, "TCP_KEEPCNT"},
			{t.KeepaliveIdle, unix.TCP_KEEPIDLE, "TCP_KEEPIDLE"},
			{t.KeepaliveIntvl, unix.TCP_KEEPINTVL, "TCP_KEEPINTVL"},
		} {
			if o.val > 0 {
				if err := setsockopt(fd, unix.IPPROTO_TCP, o.opt, o.val, o.name); err != nil {
					return err
				}
			}
		}
	}
	if t.MaxRT > 0 {
		return setsockopt(fd, unix.IPPROTO_TCP, unix.TCP_USER_TIMEOUT, t.MaxRT, "TCP_USER_TIMEOUT")
	}
	return nil
}
