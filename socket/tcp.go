package socket

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// newStreamFD makes a non-blocking, close-on-exec TCP socket.
func newStreamFD(fam int) (int, error) {
	fd, err := unix.Socket(fam, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, unix.IPPROTO_TCP)
	if err != nil {
		return -1, os.NewSyscallError("socket", err)
	}
	return fd, nil
}

// tuneConn sets TCP_NODELAY, as libzmq always does: ZMTP batches frames
// itself, so Nagle only adds latency.
func tuneConn(fd int) error {
	return os.NewSyscallError("setsockopt TCP_NODELAY", unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1))
}

// listenTCP binds and listens, returning the fd and the endpoint with any
// wildcard port resolved.
func listenTCP(a tcpAddr) (int, tcpAddr, error) {
	fd, err := newStreamFD(a.fam)
	if err != nil {
		return -1, a, err
	}
	fail := func(op string, err error) (int, tcpAddr, error) {
		unix.Close(fd)
		if errors.Is(err, unix.EADDRINUSE) {
			return -1, a, fmt.Errorf("%w: %s", ErrAddrInUse, a)
		}
		return -1, a, os.NewSyscallError(op, err)
	}
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
		return fail("setsockopt SO_REUSEADDR", err)
	}
	if err := unix.Bind(fd, a.sa); err != nil {
		return fail("bind", err)
	}
	if err := unix.Listen(fd, 100); err != nil { // libzmq's ZMQ_BACKLOG default
		return fail("listen", err)
	}
	if a.port == 0 {
		port, err := boundPort(fd)
		if err != nil {
			return fail("getsockname", err)
		}
		a.port = port
	}
	return fd, a, nil
}

// connectTCP starts a non-blocking connect. The caller waits for the fd to
// become writable and then checks connectResult.
func connectTCP(a tcpAddr) (int, error) {
	fd, err := newStreamFD(a.fam)
	if err != nil {
		return -1, err
	}
	err = unix.Connect(fd, a.sa)
	if err != nil && err != unix.EINPROGRESS && err != unix.EINTR {
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
