//go:build linux

package engine

import (
	"errors"
	"os"
	"syscall"

	"github.com/zring/zring/internal/zerr"
	"golang.org/x/sys/unix"
)

// Stream sockets for tcp:// and ipc://: the engine above them is the same.

// newStreamFD makes a non-blocking, close-on-exec stream socket.
func newStreamFD(fam int) (int, error) {
	proto := unix.IPPROTO_TCP
	if fam == unix.AF_UNIX {
		proto = 0
	}
	fd, err := unix.Socket(fam, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, proto)
	if err != nil {
		return -1, os.NewSyscallError("socket", err)
	}
	return fd, nil
}

// listen binds and listens, returning the fd and the endpoint with any
// wildcard port resolved. An ipc path left behind by a process that is
// gone (nobody accepts on it) is removed first; one in use is zerr.ErrAddrInUse.
func listen(a Addr, t *TCPOptions) (int, Addr, error) {
	if a.fam == unix.AF_UNIX && !a.abstract() {
		if err := removeStaleIPC(a); err != nil {
			return -1, a, err
		}
	}
	fd, err := newStreamFD(a.fam)
	if err != nil {
		return -1, a, err
	}
	fail := func(op string, err error) (int, Addr, error) {
		unix.Close(fd)
		if errors.Is(err, unix.EADDRINUSE) {
			return -1, a, zerr.ErrAddrInUse
		}
		return -1, a, os.NewSyscallError(op, err)
	}
	if a.fam != unix.AF_UNIX {
		if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
			return fail("setsockopt SO_REUSEADDR", err)
		}
		if a.fam == unix.AF_INET6 {
			// Dual stack: an IPv6 wildcard accepts IPv4 peers too.
			if err := unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, 0); err != nil {
				return fail("setsockopt IPV6_V6ONLY", err)
			}
		}
		if err := t.prepare(fd, a.fam); err != nil {
			unix.Close(fd)
			return -1, a, err // named by prepare
		}
	}
	if err := unix.Bind(fd, a.sa); err != nil {
		return fail("bind", err)
	}
	if err := unix.Listen(fd, t.Backlog); err != nil {
		return fail("listen", err)
	}
	if a.fam != unix.AF_UNIX && a.port == 0 {
		port, err := boundPort(fd)
		if err != nil {
			return fail("getsockname", err)
		}
		a.port = port
	}
	return fd, a, nil
}

// removeStaleIPC removes a socket file nobody listens on any more.
func removeStaleIPC(a Addr) error {
	if _, err := os.Lstat(a.path); err != nil {
		return nil // nothing there (or unreadable: bind reports it)
	}
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return os.NewSyscallError("socket", err)
	}
	defer unix.Close(fd)
	switch err := unix.Connect(fd, a.sa); {
	case err == nil:
		return zerr.ErrAddrInUse
	case errors.Is(err, unix.ECONNREFUSED):
		if rmErr := os.Remove(a.path); rmErr != nil && !os.IsNotExist(rmErr) {
			return rmErr
		}
	}
	return nil // not a socket, or another error: bind reports it
}

// connectTo starts a non-blocking connect, from src when it is set (the
// "tcp://src;dst" form). The caller waits for the fd to become writable and
// then checks connectResult.
func connectTo(a Addr, src *Addr, t *TCPOptions) (int, error) {
	fd, err := newStreamFD(a.fam)
	if err != nil {
		return -1, err
	}
	if err := t.prepare(fd, a.fam); err != nil {
		unix.Close(fd)
		return -1, err
	}
	if src != nil {
		_ = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1)
		if err := unix.Bind(fd, src.sa); err != nil {
			unix.Close(fd)
			return -1, os.NewSyscallError("bind source", err)
		}
	}
	err = unix.Connect(fd, a.sa)
	if err != nil && err != unix.EINPROGRESS && err != unix.EINTR && err != unix.EAGAIN {
		unix.Close(fd)
		return -1, os.NewSyscallError("connect", err)
	}
	return fd, nil
}

// connectResult reports the outcome of a non-blocking connect.
func connectResult(fd int) error {
	v, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
	if err != nil {
		return os.NewSyscallError("getsockopt SO_ERROR", err)
	}
	if v != 0 {
		return os.NewSyscallError("connect", unix.Errno(v))
	}
	return nil
}

// errnoValue is the errno libzmq would report for err, or 0.
func errnoValue(err error) uint32 {
	if errors.Is(err, zerr.ErrAddrInUse) {
		return uint32(syscall.EADDRINUSE)
	}
	var en syscall.Errno
	if errors.As(err, &en) {
		return uint32(en)
	}
	return 0
}
