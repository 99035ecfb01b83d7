package socket

import (
	"github.com/zring/zring/engine"
	"github.com/zring/zring/poll"
	"golang.org/x/sys/unix"
)

// listener accepts TCP connections for a bound endpoint on its I/O thread
// and starts a session for each.
type listener struct {
	sock   *Socket
	thread *engine.Thread
	fd     int
	reg    engine.Registration
	closed bool // thread-owned
}

// bind listens on a and starts accepting on an I/O thread. The bind itself
// runs in the caller so errors such as ErrAddrInUse are returned directly.
func (s *Socket) bindTCP(addr string) (string, error) {
	a, err := resolveTCP(addr, true)
	if err != nil {
		return "", err
	}
	fd, bound, err := listenTCP(a)
	if err != nil {
		return "", err
	}
	l := &listener{sock: s, thread: s.ctx.eng.Choose(), fd: fd}
	s.mu.Lock()
	if s.closeErr != nil {
		s.mu.Unlock()
		unix.Close(fd)
		return "", s.closeErr
	}
	s.listeners = append(s.listeners, l)
	s.mu.Unlock()
	s.ctx.lingering.Add(1)
	l.thread.Post(l.start)
	return bound.String(), nil
}

func (l *listener) start() {
	reg, err := l.thread.Register(l.fd, l, poll.Readable)
	if err != nil {
		l.close()
		return
	}
	l.reg = reg
	l.accept()
}

// OnEvent accepts every pending connection (edge-triggered).
func (l *listener) OnEvent(poll.Events) { l.accept() }

func (l *listener) accept() {
	for !l.closed {
		fd, _, err := unix.Accept4(l.fd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
		switch err {
		case nil:
		case unix.EINTR, unix.ECONNABORTED:
			continue
		default:
			// EAGAIN: drained. EMFILE and friends: the connection stays in
			// the backlog; libzmq also just retries on the next event.
			return
		}
		if tuneConn(fd) != nil {
			unix.Close(fd)
			continue
		}
		acceptSession(l.sock, l.sock.ctx.eng.Choose(), fd)
	}
}

func (l *listener) close() {
	if l.closed {
		return
	}
	l.closed = true
	l.thread.Unregister(l.reg)
	unix.Close(l.fd)
	l.sock.ctx.lingering.Done()
}
