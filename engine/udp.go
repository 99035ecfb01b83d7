//go:build linux

package engine

import (
	"strconv"
	"unsafe"

	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/internal/zerr"
	"github.com/zring/zring/mempool"
	"github.com/zring/zring/poll"
	"github.com/zring/zring/zmtp"
	"golang.org/x/sys/unix"
)

// udpBuf is the largest datagram read: a UDP payload's limit, so nothing
// is cut short.
const udpBuf = 1 << 16

// udpReadBatch caps the datagrams read per event, so that one busy socket
// does not starve the thread's other work; the rest is deferred.
const udpReadBatch = 256

// udpLink serves a session's pipe over one datagram socket, libzmq's
// udp_engine_t: there is no connection, no handshake and no reconnect.
// A RADIO's messages (group, body) go as libzmq's datagrams, to the
// address connected; a DISH's come from the address bound, and its JOIN
// and LEAVE, which udp has no way to carry, are dropped (the DISH filters
// by itself). A DGRAM's messages are the peer's "ip:port" and a raw
// datagram, both ways. Every field belongs to the session's thread.
type udpLink struct {
	ss         *Session
	fd         int
	reg        Registration
	send, recv bool
	raw        bool          // DGRAM
	bound      bool          // made by a bind
	to         unix.Sockaddr // a RADIO's destination
	dgTo       unix.SockaddrInet4
	from       unix.RawSockaddrAny
	rbuf, wbuf []byte
	// pending is the message whose datagram the socket's buffer had no
	// room for: sent again when the fd is writable. stalled is a received
	// message the pipe had no room for: delivered again when the socket
	// reads (Session.resumeIn).
	pending, stalled *mempool.Frame
	readFn           func() // pre-bound readAll, for Defer
	closed           bool
}

// OpenUDP makes a session of sock serving the udp:// endpoint a on thread
// t, with its pipe, which the socket attaches at once: a bind (a DISH or
// a DGRAM) receives on a, a connect (a RADIO) sends to it. The datagram
// socket is made now, so its errors (an address in use) are the caller's.
// Session.Endpoint is endpoint for a connect, and a bind's address with
// an ephemeral port resolved. Start makes it serve.
func OpenUDP(sock Socket, t *Thread, opts SessionOptions, a UDPAddr, bind bool, endpoint string) (*Session, *pipe.Pipe, error) {
	send, recv := opts.Type != zmtp.Dish, opts.Type != zmtp.Radio
	if bind && opts.Type == zmtp.Radio || !bind && opts.Type != zmtp.Radio {
		// As libzmq: a DISH or DGRAM binds, a RADIO connects.
		return nil, nil, zerr.ErrNotSupported
	}
	fd, err := openUDP(&a, send, recv, opts.Multicast, &opts.TCP)
	if err != nil {
		return nil, nil, err
	}
	if bind {
		endpoint = a.String()
	}
	ss := newSession(sock, t, opts, nil, endpoint)
	l := &udpLink{ss: ss, fd: fd, send: send, recv: recv, raw: opts.Type == zmtp.Dgram, bound: bind, to: a.target.sa}
	l.readFn = l.readAll
	if recv {
		l.rbuf = make([]byte, udpBuf)
	}
	if send {
		l.wbuf = make([]byte, udpBuf)
	}
	ss.udp = l
	p := ss.newPipe()
	p.Datagram = true
	if !sock.Register(ss) {
		unix.Close(fd)
		return nil, nil, zerr.ErrClosed
	}
	return ss, p, nil
}

func (l *udpLink) start() {
	if l.ss.finished {
		return
	}
	reg, err := l.ss.thread.Register(l.fd, l, poll.Readable|poll.Writable)
	if err != nil {
		l.ss.sock.Event(EventClosed, uint32(l.fd), l.ss.endpoint, err)
		l.ss.finish()
		return
	}
	l.reg = reg
	l.pump()
	l.readAll()
}

// OnEvent handles readiness (edge-triggered).
func (l *udpLink) OnEvent(ev poll.Events) {
	if ev&poll.Readable != 0 {
		l.readAll()
	}
	if ev&poll.Writable != 0 {
		l.pump()
	}
}

// pump sends what the socket queued until the pipe is empty (sleeping on
// it) or the socket's buffer is full. A DISH's JOIN and LEAVE are dropped.
func (l *udpLink) pump() {
	p := l.ss.pipe
	for !l.closed && p != nil {
		msg := l.pending
		l.pending = nil
		if msg == nil {
			if msg = p.Read(); msg == nil {
				l.ss.releaseOut()
				if l.ss.sleepOut() {
					break
				}
				continue
			}
		}
		if l.send && !l.sendMsg(msg) {
			l.pending = msg
			l.ss.releaseOut()
			return // the fd's next writable edge resumes
		}
		mempool.ReleaseChain(msg)
	}
	if l.ss.terminating && l.pending == nil {
		l.ss.finish() // lingering, and everything queued is sent
	}
}

// sendMsg sends msg as one datagram; false when the socket's buffer is
// full. A message that cannot go (a group and body over
// zmtp.MaxDatagram, a DGRAM address that does not parse, a send error)
// is dropped, as libzmq drops it: datagrams promise nothing more.
func (l *udpLink) sendMsg(msg *mempool.Frame) bool {
	body := msg.Next()
	if body == nil {
		return true
	}
	to := l.to
	var b []byte
	if l.raw {
		if !parseDgramAddr(msg.Bytes(), &l.dgTo) {
			return true
		}
		to, b = &l.dgTo, body.Bytes()
	} else {
		var err error
		if b, err = zmtp.AppendDatagram(l.wbuf[:0], msg.Bytes(), body.Bytes()); err != nil {
			return true
		}
	}
	for {
		switch err := unix.Sendto(l.fd, b, 0, to); err {
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return false
		}
		return true
	}
}

// readAll delivers received datagrams until the socket has no more, the
// pipe is full (stalled) or a batch is done (the rest deferred).
func (l *udpLink) readAll() {
	if l.closed || !l.recv || l.stalled != nil {
		return
	}
	delivered := false
	defer func() {
		if delivered {
			l.flush()
		}
	}()
	for range udpReadBatch {
		n, err := l.recvOne()
		switch err {
		case nil:
		case unix.EINTR, unix.ECONNREFUSED:
			continue
		default:
			return // EAGAIN: drained
		}
		msg := l.decode(l.rbuf[:n])
		if msg == nil {
			continue // not a RADIO datagram: ignored, as libzmq does
		}
		if !l.deliver(msg) {
			return
		}
		delivered = true
	}
	l.ss.thread.Defer(l.readFn)
}

// deliver writes msg to the pipe; false when the pipe is full, msg then
// waiting in stalled.
func (l *udpLink) deliver(msg *mempool.Frame) bool {
	p := l.ss.pipe
	ok, wake := p.Write(msg)
	if wake {
		l.ss.sock.Command(CmdActivateRead, p.Socket())
	}
	if !ok {
		l.stalled = msg
	}
	return ok
}

// flush publishes what deliver wrote, waking the socket if it slept.
func (l *udpLink) flush() {
	if p := l.ss.pipe; p.Flush() {
		l.ss.sock.Command(CmdActivateRead, p.Socket())
	}
}

// resume delivers the stalled message once the socket has made room, then
// reads on.
func (l *udpLink) resume() {
	if msg := l.stalled; msg != nil && !l.closed {
		l.stalled = nil
		if !l.deliver(msg) {
			return
		}
		l.flush()
	}
	l.readAll()
}

// recvOne reads one datagram into rbuf, with its source address in from
// for a DGRAM; the raw syscall keeps it free of allocation.
func (l *udpLink) recvOne() (int, error) {
	if !l.raw {
		return unix.Read(l.fd, l.rbuf)
	}
	fromLen := uint32(unix.SizeofSockaddrAny)
	n, _, errno := unix.Syscall6(unix.SYS_RECVFROM, uintptr(l.fd), uintptr(unsafe.Pointer(&l.rbuf[0])), uintptr(len(l.rbuf)),
		0, uintptr(unsafe.Pointer(&l.from)), uintptr(unsafe.Pointer(&fromLen)))
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}

// decode makes the message a datagram b carries: group and body, or for
// a DGRAM the source's "ip:port" and the datagram; nil for a datagram
// that is not libzmq's RADIO form.
func (l *udpLink) decode(b []byte) *mempool.Frame {
	var head *mempool.Frame
	body := b
	if l.raw {
		head = dgramAddrFrame(&l.from)
		if head == nil {
			return nil
		}
	} else {
		group, rest, err := zmtp.ParseDatagram(b)
		if err != nil {
			return nil
		}
		head, body = mempool.FromBytes(group), rest
	}
	head.SetMore(true)
	head.SetNext(mempool.FromBytes(body))
	return head
}

// close ends the link for good; the session's thread.
func (l *udpLink) close() {
	if l.closed {
		return
	}
	l.closed = true
	if l.reg != (Registration{}) {
		_ = l.ss.thread.Unregister(l.reg)
	}
	unix.Close(l.fd)
	mempool.ReleaseChain(l.pending)
	mempool.ReleaseChain(l.stalled)
	l.pending, l.stalled = nil, nil
}

// dgramAddrFrame formats an IPv4 source address as "a.b.c.d:port", the
// address part of a received DGRAM message (libzmq's, without its
// trailing zero byte); nil for another family, which libzmq's DGRAM does
// not serve either.
func dgramAddrFrame(from *unix.RawSockaddrAny) *mempool.Frame {
	if from.Addr.Family != unix.AF_INET {
		return nil
	}
	sa := (*unix.RawSockaddrInet4)(unsafe.Pointer(from))
	f := mempool.Get(len("255.255.255.255:65535"))
	b := f.Bytes()[:0]
	for i, x := range sa.Addr {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendUint(b, uint64(x), 10)
	}
	port := uint64(sa.Port>>8 | sa.Port<<8) // network byte order
	b = strconv.AppendUint(append(b, ':'), port, 10)
	_ = f.SetLen(len(b))
	return f
}

// parseDgramAddr parses the "a.b.c.d:port" a DGRAM message is sent to,
// allowing libzmq's trailing zero byte, into sa; false when it is not an
// IPv4 address and a nonzero port.
func parseDgramAddr(b []byte, sa *unix.SockaddrInet4) bool {
	if n := len(b); n > 0 && b[n-1] == 0 {
		b = b[:n-1]
	}
	var parts [5]uint64
	k := 0
	digits := 0
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9' && digits < 5:
			parts[k] = parts[k]*10 + uint64(c-'0')
			digits++
		case (c == '.' && k < 3 || c == ':' && k == 3) && digits > 0:
			k++
			digits = 0
		default:
			return false
		}
	}
	if k != 4 || digits == 0 || parts[4] == 0 || parts[4] > 65535 {
		return false
	}
	for i := range 4 {
		if parts[i] > 255 {
			return false
		}
		sa.Addr[i] = byte(parts[i])
	}
	sa.Port = int(parts[4])
	return true
}
