package zmq4

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/zring/zring"
)

/*
Socket is a ZeroMQ socket: a zring.Socket. Methods starting with Set or Get
set and get socket options.

Unlike pebbe/zmq4's, the socket is safe for concurrent use (zring's are),
though a multipart message received with Recv and GetRcvmore from several
goroutines can still be split between them: RecvMessage takes a message
whole. It is closed on garbage collection if not closed explicitly.
*/
type Socket struct{ s *sockState }

// sockState is a Socket's state, apart from the Socket so that a cleanup
// can close it once the Socket is unreachable.
type sockState struct {
	zs     *zring.Socket
	ctx    *Context
	closed atomic.Bool

	mu       sync.Mutex
	closeErr error          // the first Close's result; guarded by mu
	mon      *zring.Monitor // the running monitor, if any; guarded by mu
}

/*
NewSocket creates a socket in the default context.

For a description of socket types, see: http://api.zeromq.org/4-1:zmq-socket#toc3
*/
func NewSocket(t Type) (soc *Socket, err error) {
	return defaultCtx.NewSocket(t)
}

/*
NewSocket creates a socket in the context. As in pebbe/zmq4 the socket
returned with an error is not nil: it is closed, and its methods return
ErrorSocketClosed.

A type other than the twelve of pebbe/zmq4 is EINVAL; more sockets open
than SetMaxSockets allows is EMFILE.
*/
func (ctx *Context) NewSocket(t Type) (soc *Socket, err error) {
	soc = &Socket{}
	st, err := ctx.state()
	if err != nil {
		return soc, err
	}
	zs, err := st.newSocket(t)
	if err != nil {
		return soc, err
	}
	soc.s = &sockState{zs: zs, ctx: ctx}
	runtime.AddCleanup(soc, func(ss *sockState) { _ = ss.close() }, soc.s)
	return soc, nil
}

// z returns the zring socket, ENOTSOCK for a nil Socket and
// ErrorSocketClosed for a closed one.
func (soc *Socket) z() (*zring.Socket, error) {
	if soc == nil {
		return nil, ENOTSOCK
	}
	if soc.s == nil || soc.s.closed.Load() {
		return nil, ErrorSocketClosed
	}
	return soc.s.zs, nil
}

// Close closes the socket. If not called explicitly, the socket is closed
// on garbage collection. Closing it again returns what the first Close did.
func (soc *Socket) Close() error {
	if soc == nil {
		return ENOTSOCK
	}
	if soc.s == nil {
		return nil
	}
	return soc.s.close()
}

func (ss *sockState) close() error {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.closed.Swap(true) {
		return ss.closeErr
	}
	// A monitor goes on until the socket has closed, so that it reports
	// the socket's last events (EVENT_CLOSED ...), as libzmq's does.
	ss.mon = nil
	ss.closeErr = errget(ss.zs.Close())
	if ss.ctx != nil && ss.ctx.c != nil {
		ss.ctx.c.closed()
	}
	return ss.closeErr
}

// Context returns the context the socket was made in.
func (soc *Socket) Context() (*Context, error) {
	if _, err := soc.z(); err != nil {
		return nil, err
	}
	return soc.s.ctx, nil
}

// String returns "Socket(TYPE,"identity")", "Socket(TYPE,0x...)" or
// "Socket(CLOSED)", as pebbe/zmq4 does. Its receiver is a pointer (upstream
// has a value), so that a nil *Socket prints "Socket(CLOSED)" too.
func (soc *Socket) String() string {
	if soc == nil || soc.s == nil || soc.s.closed.Load() {
		return "Socket(CLOSED)"
	}
	t, err := soc.GetType()
	if err != nil {
		return fmt.Sprintf("Socket(%v)", err)
	}
	if i, err := soc.GetIdentity(); err == nil && i != "" {
		return fmt.Sprintf("Socket(%v,%q)", t, i)
	}
	return fmt.Sprintf("Socket(%v,%p)", t, soc.s.zs)
}

// endpointErr is errget for Bind, Connect, Unbind and Disconnect, which
// tell an endpoint libzmq cannot parse (EINVAL) from one whose transport
// it lacks (EPROTONOSUPPORT), and an endpoint not bound or connected
// (ENOENT).
func endpointErr(err error, endpoint string, undo bool) error {
	if err == nil {
		return nil
	}
	if !errors.Is(err, zring.ErrEndpoint) {
		return errget(err)
	}
	scheme, _, ok := strings.Cut(endpoint, "://")
	switch {
	case !ok:
		return EINVAL
	case !knownTransport(scheme):
		return EPROTONOSUPPORT
	case undo:
		return ENOENT
	}
	return EINVAL
}

// knownTransport reports whether zring has the transport.
func knownTransport(scheme string) bool {
	switch scheme {
	case "tcp", "ipc", "inproc", "udp", "ws", "wss":
		return true
	}
	return false
}

/*
Bind accepts incoming connections on a socket.

For a description of endpoint, see: http://api.zeromq.org/4-1:zmq-bind#toc2
*/
func (soc *Socket) Bind(endpoint string) error {
	zs, err := soc.z()
	if err != nil {
		return err
	}
	return endpointErr(zs.Bind(endpoint), endpoint, false)
}

/*
Unbind stops accepting connections on a socket.

For a description of endpoint, see: http://api.zeromq.org/4-1:zmq-unbind#toc2
*/
func (soc *Socket) Unbind(endpoint string) error {
	zs, err := soc.z()
	if err != nil {
		return err
	}
	return endpointErr(zs.Unbind(endpoint), endpoint, true)
}

/*
Connect creates an outgoing connection from a socket.

For a description of endpoint, see: http://api.zeromq.org/4-1:zmq-connect#toc2
*/
func (soc *Socket) Connect(endpoint string) error {
	zs, err := soc.z()
	if err != nil {
		return err
	}
	return endpointErr(zs.Connect(endpoint), endpoint, false)
}

/*
Disconnect ends a connection made with Connect.

For a description of endpoint, see: http://api.zeromq.org/4-1:zmq-disconnect#toc2
*/
func (soc *Socket) Disconnect(endpoint string) error {
	zs, err := soc.z()
	if err != nil {
		return err
	}
	return endpointErr(zs.Disconnect(endpoint), endpoint, true)
}

/*
Recv receives a message part from a socket.

For a description of flags, see: http://api.zeromq.org/4-1:zmq-msg-recv#toc2
*/
func (soc *Socket) Recv(flags Flag) (string, error) {
	b, err := soc.RecvBytes(flags)
	return string(b), err
}

/*
RecvBytes receives a message part from a socket, into a new slice the
caller owns.

For a description of flags, see: http://api.zeromq.org/4-1:zmq-msg-recv#toc2
*/
func (soc *Socket) RecvBytes(flags Flag) ([]byte, error) {
	zs, err := soc.z()
	if err != nil {
		return []byte{}, err
	}
	b, err := zs.Recv(flags.zflags())
	if err != nil {
		return []byte{}, errget(err)
	}
	if b == nil {
		b = []byte{}
	}
	return b, nil
}

/*
Send sends a message part on a socket and returns its size.

For a description of flags, see: http://api.zeromq.org/4-1:zmq-send#toc2
*/
func (soc *Socket) Send(data string, flags Flag) (int, error) {
	zs, err := soc.z()
	if err != nil {
		return 0, err
	}
	if err := zs.SendString(data, flags.zflags()); err != nil {
		return -1, errget(err)
	}
	return len(data), nil
}

/*
SendBytes sends a message part on a socket and returns its size. The bytes
are copied: the caller keeps data and may reuse it at once.

For a description of flags, see: http://api.zeromq.org/4-1:zmq-send#toc2
*/
func (soc *Socket) SendBytes(data []byte, flags Flag) (int, error) {
	zs, err := soc.z()
	if err != nil {
		return 0, err
	}
	if err := zs.Send(data, flags.zflags()); err != nil {
		return -1, errget(err)
	}
	return len(data), nil
}

/*
Monitor publishes the socket's events on a PAIR socket bound at addr
(inproc://...), in libzmq's format, for RecvEvent; an empty addr stops
monitoring. events is a mask of EVENT_* values.

See: http://api.zeromq.org/4-1:zmq-socket-monitor#toc2
*/
func (soc *Socket) Monitor(addr string, events Event) error {
	zs, err := soc.z()
	if err != nil {
		return err
	}
	ss := soc.s
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.mon != nil {
		ss.mon.Stop()
		ss.mon = nil
	}
	if addr == "" {
		return nil
	}
	m, err := zs.MonitorTo(addr, zring.EventType(uint32(events)))
	if err != nil {
		return endpointErr(err, addr, false)
	}
	ss.mon = m
	return nil
}

/*
RecvEvent receives a monitor event on a socket connected to the endpoint
that Monitor was given: the event, the endpoint it concerns and its value
(an fd, an errno, an interval or a protocol error code).

For a description of event_type, see: http://api.zeromq.org/4-1:zmq-socket-monitor#toc3
*/
func (soc *Socket) RecvEvent(flags Flag) (event_type Event, addr string, value int, err error) {
	zs, err := soc.z()
	if err != nil {
		return EVENT_ALL, "", 0, err
	}
	parts, err := zs.RecvMulti(flags.zflags())
	if err != nil {
		return 0, "", 0, errget(err)
	}
	if len(parts) < 2 {
		return 0, "", 0, ErrorMoreExpected
	}
	if len(parts[0]) < 6 {
		return 0, "", 0, fmt.Errorf("zmq4: not a monitor event: a first frame of %d bytes, want 6: %w", len(parts[0]), EINVAL)
	}
	ev := binary.LittleEndian.Uint16(parts[0])
	val := binary.LittleEndian.Uint32(parts[0][2:])
	return Event(ev), string(parts[1]), int(int32(val)), nil
}

// sockets returns the zring sockets of soc, which must be open; nil ones
// (optional) stay nil.
func sockets(required int, socs ...*Socket) ([]*zring.Socket, error) {
	zss := make([]*zring.Socket, len(socs))
	for i, s := range socs {
		if i >= required && s == nil {
			continue
		}
		zs, err := s.z()
		if err != nil {
			return nil, err
		}
		zss[i] = zs
	}
	return zss, nil
}

/*
Proxy starts the built-in proxy (zring.Proxy). It runs until the context
is terminated (ETERM) or a socket is closed.

See: http://api.zeromq.org/4-1:zmq-proxy#toc2
*/
func Proxy(frontend, backend, capture *Socket) error {
	zss, err := sockets(2, frontend, backend, capture)
	if err != nil {
		return err
	}
	err = zring.Proxy(zss[0], zss[1], zss[2])
	if err == nil {
		return nil
	}
	return errget(err)
}

/*
ProxySteerable starts the built-in proxy with PAUSE, RESUME, TERMINATE
(and STATISTICS) control through control (zring.ProxySteerable). TERMINATE
ends it with a nil error.

See: http://api.zeromq.org/4-1:zmq-proxy-steerable#toc2
*/
func ProxySteerable(frontend, backend, capture, control *Socket) error {
	zss, err := sockets(2, frontend, backend, capture, control)
	if err != nil {
		return err
	}
	return errget(zring.ProxySteerable(context.Background(), zss[0], zss[1], zss[2], zss[3]))
}

/*
RecvWithMetadata receives a message part with metadata: the properties
asked for that the message's connection has ("User-Id", "Peer-Address",
"Socket-Type", "Identity", what the ZAP handler added ...).

For a description of metadata, see: http://api.zeromq.org/4-1:zmq-msg-gets#toc3
*/
func (soc *Socket) RecvWithMetadata(flags Flag, properties ...string) (msg string, metadata map[string]string, err error) {
	b, p, err := soc.RecvBytesWithMetadata(flags, properties...)
	return string(b), p, err
}

/*
RecvBytesWithMetadata receives a message part with metadata, as
RecvWithMetadata.
*/
func (soc *Socket) RecvBytesWithMetadata(flags Flag, properties ...string) (msg []byte, metadata map[string]string, err error) {
	metadata = map[string]string{}
	zs, err := soc.z()
	if err != nil {
		return []byte{}, metadata, err
	}
	b, err := zs.Recv(flags.zflags())
	if err != nil {
		return []byte{}, metadata, errget(err)
	}
	if b == nil {
		b = []byte{}
	}
	lookup(zs.Metadata(), properties, metadata)
	return b, metadata, nil
}

// lookup copies the properties of md asked for into into.
func lookup(md *zring.Metadata, properties []string, into map[string]string) {
	for _, p := range properties {
		if v, ok := md.Get(p); ok {
			into[p] = v
		}
	}
}

// Z85encode encodes a binary key as Z85 printable text. A length that is
// not a multiple of 4 encodes to "" (pebbe/zmq4 panics; zring's API never
// does: zring.Z85Encode returns the error).
//
// See: http://api.zeromq.org/4-1:zmq-z85-encode
func Z85encode(data string) string {
	s, err := zring.Z85Encode([]byte(data))
	if err != nil {
		return ""
	}
	return s
}

// Z85decode decodes a binary key from Z85 printable text. A length that
// is not a multiple of 5 (pebbe/zmq4 panics) and text that is not Z85
// (libzmq leaves pebbe/zmq4 a buffer of zeros) decode to "";
// zring.Z85Decode returns the error.
//
// See: http://api.zeromq.org/4-1:zmq-z85-decode
func Z85decode(s string) string {
	b, err := zring.Z85Decode(s)
	if err != nil {
		return ""
	}
	return string(b)
}

// NewCurveKeypair generates a new CURVE keypair, as Z85 text.
//
// See: http://api.zeromq.org/4-1:zmq-curve-keypair#toc2
func NewCurveKeypair() (z85_public_key, z85_secret_key string, err error) {
	pub, sec, err := zring.NewCurveKeypair()
	if err != nil {
		return "", "", errget(err)
	}
	return pub.Z85(), sec.Z85(), nil
}

// AuthCurvePublic derives the Z85 public key of a Z85 secret key; a key
// that is not 40 characters of Z85 is EINVAL.
func AuthCurvePublic(z85SecretKey string) (z85PublicKey string, err error) {
	if len(z85SecretKey) != 40 {
		return "", EINVAL
	}
	sec, err := zring.ParseCurveKey(z85SecretKey)
	if err != nil {
		return "", EINVAL
	}
	return zring.CurvePublicKey(sec).Z85(), nil
}

// Version reports the libzmq version zring is compatible with.
func Version() (major, minor, patch int) {
	return zring.Version()
}

// HasIpc reports whether the ipc:// transport is there.
func HasIpc() bool { return zring.Has("ipc") }

// HasPgm reports whether the pgm:// transport is there: never in zring.
func HasPgm() bool { return zring.Has("pgm") }

// HasTipc reports whether the tipc:// transport is there: never in zring.
func HasTipc() bool { return zring.Has("tipc") }

// HasNorm reports whether the norm:// transport is there: never in zring.
func HasNorm() bool { return zring.Has("norm") }

// HasCurve reports whether the CURVE mechanism is there.
func HasCurve() bool { return zring.Has("curve") }

// HasGssapi reports whether the GSSAPI mechanism is there: never in zring.
func HasGssapi() bool { return zring.Has("gssapi") }
