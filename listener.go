package zring

import (
	"os"

	"github.com/zring/zring/engine"
	"github.com/zring/zring/poll"
	"golang.org/x/sys/unix"
)

// listener accepts tcp or ipc connections for a bound endpoint on its I/O thread
// and starts a session for each.
type listener struct {
	sock     *Socket
	thread   *engine.Thread
	fd       int
	endpoint string  // as bound, for monitor events and accepted sessions
	asked    string  // the endpoint string Bind was given, for Unbind
	addr     netAddr // as bound; an ipc file is removed on close
	affinity uint64  // AFFINITY when bound: the threads for accepted sessions
	tcp      tcpOpts // TCP options when bound, for accepted connections
	reg      engine.Registration
	closed   bool // thread-owned
}

// bind listens on a and starts accepting on an I/O thread. The bind itself
// runs in the caller so errors such as ErrAddrInUse are returned directly.
func (s *Socket) bind(endpoint, transport, addr string) (string, error) {
	s.mu.Lock()
	tcp := s.opts.tcp
	s.mu.Unlock()
	a, err := resolve(transport, addr, true, tcp.ipv6)
	if err != nil {
		return "", err
	}
	fd, bound, err := listen(a, &tcp)
	if err != nil {
		s.emit(EventBindFailed, errnoValue(err), a.String(), err)
		return "", err
	}
	aff := s.affinity()
	l := &listener{sock: s, thread: s.ctx.eng.ChooseAmong(aff), fd: fd, endpoint: bound.String(),
		asked: endpoint, addr: bound, affinity: aff, tcp: tcp}
	s.mu.Lock()
	if s.closeErr != nil {
		s.mu.Unlock()
		unix.Close(fd)
		return "", s.closeErr
	}
	s.listeners = append(s.listeners, l)
	s.ends++
	s.mu.Unlock()
	s.ctx.lingering.Add(1)
	s.emit(EventListening, uint32(fd), l.endpoint, nil)
	l.thread.Post(l.start)
	return l.endpoint, nil
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
		case unix.EAGAIN:
			return // drained
		default:
			// EMFILE and friends: the connection stays in the backlog;
			// libzmq also just retries on the next event.
			l.sock.emit(EventAcceptFailed, errnoValue(err), l.endpoint, err)
			return
		}
		if err := l.tcp.tune(fd, l.addr.fam); err != nil {
			l.sock.emit(EventAcceptFailed, errnoValue(err), l.endpoint, err)
			unix.Close(fd)
			continue
		}
		l.sock.emit(EventAccepted, uint32(fd), l.endpoint, nil)
		acceptSession(l.sock, l.sock.ctx.eng.ChooseAmong(l.affinity), fd, l)
	}
}

// unbind closes the listener and then drops the sessions it accepted. It
// runs on the listener's thread, after which nothing more is accepted, so
// the sessions it finds are all of them.
func (l *listener) unbind() {
	l.close()
	s := l.sock
	s.mu.Lock()
	var mine []*session
	for ss := range s.sessions {
		if ss.listener == l {
			mine = append(mine, ss)
		}
	}
	s.mu.Unlock()
	for _, ss := range mine {
		ss.thread.Post(ss.drop)
	}
}

func (l *listener) close() {
	if l.closed {
		return
	}
	l.closed = true
	l.thread.Unregister(l.reg)
	l.sock.emit(EventClosed, uint32(l.fd), l.endpoint, nil)
	unix.Close(l.fd)
	if l.addr.fam == unix.AF_UNIX && !l.addr.abstract() {
		_ = os.Remove(l.addr.path) // as libzmq: the file goes with the listener
		if l.addr.tmpDir != "" {
			_ = os.Remove(l.addr.tmpDir)
		}
	}
	l.sock.endDone()
	l.sock.ctx.lingering.Done()
}
