//go:build linux

package zmq4

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"

	"github.com/zring/zring"
)

// Socket is a ZeroMQ socket, as upstream declares it. The adapter's
// sockets are safe for concurrent use, as zring's are.
type Socket interface {
	// Close closes the open Socket.
	Close() error

	// Send puts the message on the outbound send queue.
	//
	// Send blocks until the message can be queued or the send deadline expires.
	Send(msg Msg) error

	// SendMulti puts the message on the outbound send queue.
	//
	// SendMulti blocks until the message can be queued or the send deadline
	// expires. The message will be sent as a multipart message.
	SendMulti(msg Msg) error

	// Recv receives a complete message.
	Recv() (Msg, error)

	// Listen connects a local endpoint to the Socket.
	//
	// In ZeroMQ's terminology, it binds.
	Listen(ep string) error

	// Dial connects a remote endpoint to the Socket.
	//
	// In ZeroMQ's terminology, it connects.
	Dial(ep string) error

	// Type returns the type of this Socket (for example PUB, SUB, etc.)
	Type() SocketType

	// Addr returns the listener's address. It returns nil if the socket isn't a
	// listener.
	Addr() net.Addr

	// GetOption retrieves an option for a socket.
	GetOption(name string) (interface{}, error)

	// SetOption sets an option for a socket.
	SetOption(name string, value interface{}) error
}

// Topics is implemented by sockets that can list their subscriptions:
// here the SUB socket (upstream's PUB and XPUB list their peers'
// subscriptions, which zring does not expose, so theirs do not).
type Topics interface {
	// Topics returns the sorted list of topics a socket is subscribed to.
	Topics() []string
}

// socket is a Socket over one *zring.Socket.
type socket struct {
	typ     SocketType
	cfg     config
	zs      *zring.Socket
	initErr error // why the socket could not be made; every call returns it

	ctx      context.Context // the socket's life-line, ended by Close
	cancel   context.CancelFunc
	once     sync.Once
	closeErr error

	// connMu serializes Listen and Dial: Dial owns the socket's one
	// monitor while it waits, and each sets the security options of its
	// side (a PLAIN server or client) before binding or connecting.
	connMu sync.Mutex

	mu     sync.Mutex // guards what follows
	props  map[string]any
	topics map[string]struct{}
	addr   net.Addr
}

func newSocket(ctx context.Context, typ SocketType, opts ...Option) *socket {
	if ctx == nil {
		ctx = context.Background()
	}
	cfg := config{retry: defaultRetry, maxRetries: defaultMaxRetries, timeout: defaultTimeout}
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	s := &socket{typ: typ, cfg: cfg, props: make(map[string]any), topics: make(map[string]struct{})}
	s.ctx, s.cancel = context.WithCancel(ctx)
	zctx, err := SharedContext()
	if err != nil {
		s.initErr = fmt.Errorf("zmq4: new %s socket: %w", typ, err)
		return s
	}
	zopts := []zring.Option{zring.WithLinger(closeLinger)}
	if cfg.retry > 0 { // zring's 0 would never reconnect
		zopts = append(zopts, zring.WithReconnectIvl(cfg.retry))
	}
	if cfg.timeout > 0 {
		zopts = append(zopts, zring.WithSndTimeout(cfg.timeout))
	}
	if len(cfg.id) > 0 {
		zopts = append(zopts, zring.WithRoutingID(cfg.id))
	}
	if cfg.dialTimeout > 0 {
		zopts = append(zopts, zring.WithConnectTimeout(cfg.dialTimeout))
	}
	if !cfg.autoReconnect {
		zopts = append(zopts, zring.WithReconnectStop(zring.ReconnectStopAfterDisconnect))
	}
	zs, err := zctx.NewSocket(zringTypes[typ], zopts...)
	if err != nil {
		s.initErr = fmt.Errorf("zmq4: new %s socket: %w", typ, err)
		return s
	}
	s.zs = zs
	context.AfterFunc(s.ctx, s.shutdown)
	return s
}

// shutdown closes the zring socket once, after ending the life-line so
// that blocked calls report the socket closed.
func (s *socket) shutdown() {
	s.once.Do(func() {
		s.cancel()
		if err := s.zs.Close(); err != nil && !errors.Is(err, zring.ErrClosed) && !errors.Is(err, zring.ErrTerminated) {
			s.closeErr = err
		}
	})
}

// usable returns why the socket cannot be used: it could not be made, or
// its life-line has ended (the zring socket is then closed, or about to
// be, by context.AfterFunc).
func (s *socket) usable(op string) error {
	if s.initErr != nil {
		return s.initErr
	}
	if err := s.ctx.Err(); err != nil {
		s.shutdown()
		return s.mapErr(op, err)
	}
	return nil
}

// zringSocket returns the zring socket underneath (nil if none was made).
func (s *socket) zringSocket() *zring.Socket { return s.zs }

// Close closes the socket: blocked calls return an error matching
// ErrClosedConn. Messages it queued are still delivered for up to a
// second. Closing again returns nil.
func (s *socket) Close() error {
	if s.initErr != nil {
		s.cancel()
		return s.initErr
	}
	s.shutdown()
	return s.closeErr
}

// Send sends msg, all its frames as one message; the caller keeps the
// frames. It blocks while no peer can take it (the high-water mark, or a
// REQ, PUSH or DEALER with no peer yet) until WithTimeout's bound.
func (s *socket) Send(msg Msg) error {
	if err := s.usable("send"); err != nil {
		return err
	}
	if len(msg.Frames) == 0 {
		return fmt.Errorf("zmq4: send: a message with no frame: %w: %w", ErrBadFrame, zring.ErrInvalid)
	}
	return s.mapErr("send", s.zs.SendMultiContext(s.ctx, msg.Frames, 0))
}

// SendMulti is Send: upstream sends every frame of a Msg as one multipart
// message with either.
func (s *socket) SendMulti(msg Msg) error { return s.Send(msg) }

// Recv receives the next message, every frame of it; the caller owns the
// frames. It blocks until a message arrives or the socket closes.
func (s *socket) Recv() (Msg, error) {
	if err := s.usable("recv"); err != nil {
		return Msg{err: err}, err
	}
	frames, err := s.zs.RecvMultiContext(s.ctx, 0)
	if err != nil {
		err = s.mapErr("recv", err)
		return Msg{err: err}, err
	}
	return Msg{Frames: frames}, nil
}

// Listen binds the socket to ep (zring's Bind). "tcp://*:5555" listens on
// every interface, and port 0 picks a free port, as upstream; Addr then
// tells which.
func (s *socket) Listen(ep string) error {
	if err := s.usable("listen"); err != nil {
		return err
	}
	s.connMu.Lock()
	defer s.connMu.Unlock()
	if err := s.applySecurity(true); err != nil {
		return fmt.Errorf("zmq4: could not listen to %q: %w", ep, err)
	}
	if err := s.zs.Bind(bindEndpoint(ep)); err != nil {
		return s.endpointErr("could not listen to", ep, err)
	}
	addr := endpointAddr(s.zs.Endpoint())
	s.mu.Lock()
	s.addr = addr
	s.mu.Unlock()
	return nil
}

// applySecurity sets the mechanism's options for the side about to be
// made: PLAIN is a server when listening, a client when dialing.
func (s *socket) applySecurity(server bool) error {
	opts, err := securityOptions(s.cfg.sec, server)
	if err != nil || len(opts) == 0 {
		return err
	}
	return s.mapErr("security", s.zs.SetOption(opts...))
}

// Type returns the socket's type.
func (s *socket) Type() SocketType { return s.typ }

// Addr returns the address the socket listens on (the last Listen), nil
// if it does not listen.
func (s *socket) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// subSocket is a SUB socket, which lists its subscriptions.
type subSocket struct{ *socket }

// Topics returns the sorted topics the socket is subscribed to.
func (s subSocket) Topics() []string { return s.socket.subscribed() }

var (
	_ Socket = (*socket)(nil)
	_ Topics = subSocket{}
)
