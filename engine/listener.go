//go:build linux

package engine

import (
	"os"

	"github.com/zring/zring/poll"
	"golang.org/x/sys/unix"
)

// Listener accepts connections on a bound endpoint for a socket: each
// accepted connection gets its own session, on an I/O thread chosen among
// the socket's affinity (libzmq's tcp_listener_t). Its fields are owned by
// its thread once started.
type Listener struct {
	sock     Socket
	eng      *Context
	thread   *Thread
	fd       int
	endpoint string     // as bound, for monitor events and accepted sessions
	asked    string     // the endpoint string Bind was given, for Unbind
	addr     Addr       // as bound; an ipc file is removed on close
	affinity uint64     // AFFINITY when bound: the threads for accepted sessions
	tcp      TCPOptions // TCP options when bound, for accepted connections
	reg      Registration
	closed   bool     // thread-owned
	upgrades upgrades // ws:// and wss:// connections still upgrading (ws_upgrade.go)
}

// Listen binds a for sock and returns a listener that does not accept yet:
// the socket records it, then calls Start. asked is the endpoint string the
// application gave (for Unbind); affinity chooses the I/O threads of the
// listener and of the sessions it accepts. A failure is also reported as
// EventBindFailed.
func Listen(sock Socket, eng *Context, affinity uint64, asked string, a Addr, tcp TCPOptions) (*Listener, error) {
	fd, bound, err := listen(a, &tcp)
	if err != nil {
		sock.Event(EventBindFailed, errnoValue(err), a.String(), err)
		return nil, err
	}
	return &Listener{sock: sock, eng: eng, thread: eng.ChooseAmong(affinity), fd: fd,
		endpoint: bound.String(), asked: asked, addr: bound, affinity: affinity, tcp: tcp}, nil
}

// Endpoint is the bound endpoint, with a wildcard port resolved.
func (l *Listener) Endpoint() string { return l.endpoint }

// Thread is the I/O thread the listener accepts on.
func (l *Listener) Thread() *Thread { return l.thread }

// Asked is the endpoint string the application bound.
func (l *Listener) Asked() string { return l.asked }

// Start reports EventListening and starts accepting.
func (l *Listener) Start() {
	l.sock.Event(EventListening, uint32(l.fd), l.endpoint, nil)
	l.thread.Post(l.start)
}

// Discard closes a listener that was never started.
func (l *Listener) Discard() { unix.Close(l.fd) }

// Close stops the listener (the socket closed); the sessions it accepted
// are the socket's to end.
func (l *Listener) Close() { l.thread.Post(l.close) }

// Unbind stops the listener and ends the sessions it accepted.
func (l *Listener) Unbind() { l.thread.Post(l.unbind) }

func (l *Listener) start() {
	reg, err := l.thread.Register(l.fd, l, poll.Readable)
	if err != nil {
		l.close()
		return
	}
	l.reg = reg
	l.accept()
}

// OnEvent accepts every pending connection (edge-triggered).
func (l *Listener) OnEvent(poll.Events) { l.accept() }

func (l *Listener) accept() {
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
			l.sock.Event(EventAcceptFailed, errnoValue(err), l.endpoint, err)
			return
		}
		if err := l.tcp.tune(fd, l.addr.fam); err != nil {
			l.sock.Event(EventAcceptFailed, errnoValue(err), l.endpoint, err)
			unix.Close(fd)
			continue
		}
		l.sock.Event(EventAccepted, uint32(fd), l.endpoint, nil)
		if l.addr.ws != nil {
			l.eng.bg.Add(1)
			go l.acceptWS(fd, l.sock.Options())
			continue
		}
		acceptSession(l.sock, l.eng.ChooseAmong(l.affinity), fd, l, wsLink{})
	}
}

// unbind closes the listener and has the socket drop the sessions it
// accepted. On the listener's thread, so no accept comes after.
func (l *Listener) unbind() {
	l.close()
	l.sock.Unbound(l)
}

func (l *Listener) close() {
	if l.closed {
		return
	}
	l.closed = true
	l.upgrades.close()
	l.thread.Unregister(l.reg)
	l.sock.Event(EventClosed, uint32(l.fd), l.endpoint, nil)
	unix.Close(l.fd)
	if l.addr.fam == unix.AF_UNIX && !l.addr.abstract() {
		_ = os.Remove(l.addr.path) // as libzmq: the file goes with the listener
		if l.addr.tmpDir != "" {
			_ = os.Remove(l.addr.tmpDir)
		}
	}
	l.sock.ListenerClosed(l)
}
