package zring

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"

	"github.com/zring/zring/zmtp"
	"golang.org/x/sys/unix"
)

// errNoZAPHandler ends a handshake that needs a ZAP handler when none is
// bound (libzmq reports it as HANDSHAKE_FAILED_NO_DETAIL).
var errNoZAPHandler = errors.New("zring: no ZAP handler bound at " + zmtp.ZAPEndpoint)

// zapClient is a context's link to its ZAP handler (RFC 27), made when a
// handshake first needs it: a DEALER connected to inproc://zeromq.zap.01,
// which I/O threads send requests on without blocking, and one goroutine
// that receives the replies and hands each to the waiting connection's I/O
// thread. Handshakes are rare next to messages, so a request may allocate.
type zapClient struct {
	mu      sync.Mutex
	sock    *Socket          // nil until the first request; guarded by mu
	handler *Socket          // the handler sock is linked to; guarded by mu
	next    uint64           // last request id; guarded by mu
	pending map[string]*conn // request id → connection; guarded by mu
}

// zap returns the context's ZAP client.
func (c *Context) zap() *zapClient {
	c.zapOnce.Do(func() { c.zapc = &zapClient{pending: make(map[string]*conn)} })
	return c.zapc
}

// zapHandler returns the socket bound at the ZAP endpoint, or nil.
func (c *Context) zapHandler() *Socket {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.inproc.bound[strings.TrimPrefix(zmtp.ZAPEndpoint, "inproc://")]
}

// request sends c's ZAP request without blocking and returns its id. It
// returns errNoZAPHandler when no handler is bound, or the send error.
// Called on c's I/O thread.
func (z *zapClient) request(c *conn, req zmtp.ZAPRequest) (string, error) {
	ctx := c.sess.sock.ctx
	h := ctx.zapHandler()
	if h == nil {
		return "", errNoZAPHandler
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	if z.sock == nil || z.handler != h {
		// First request, or the handler was replaced: an inproc link
		// does not follow a new binder, so link to this one afresh.
		z.drop()
		s, err := z.open(ctx)
		if err != nil {
			return "", err
		}
		z.sock, z.handler = s, h
	}
	z.next++
	id := strconv.FormatUint(z.next, 10)
	opts := &c.sess.opts
	frames := zmtp.ZAPRequestFrames([]byte(id), []byte(opts.sec.zapDomain),
		[]byte(peerAddress(c.fd)), opts.RoutingID, req)
	// The frames are copied into pooled frames before SendMulti returns.
	if err := z.sock.SendMultiContext(context.Background(), frames, DontWait); err != nil {
		return "", err
	}
	z.pending[id] = c
	return id, nil
}

// open makes the DEALER and starts the goroutine that receives replies.
func (z *zapClient) open(ctx *Context) (*Socket, error) {
	s, err := ctx.NewSocket(Dealer, WithLinger(0))
	if err != nil {
		return nil, err
	}
	if err := s.Connect(zmtp.ZAPEndpoint); err != nil {
		s.Close()
		return nil, err
	}
	go z.receive(s)
	return s, nil
}

// drop closes the link to a handler that went away and fails the requests
// it will never answer. z.mu must be held.
func (z *zapClient) drop() {
	if z.sock == nil {
		return
	}
	z.sock.Close() // its receive goroutine ends
	for id, c := range z.pending {
		c.thread.Post(func() { c.onZAPReply(id, zmtp.ZAPReply{}, errNoZAPHandler) })
	}
	z.sock, z.handler, z.pending = nil, nil, make(map[string]*conn)
}

// cancel forgets a request whose connection closed first.
func (z *zapClient) cancel(id string) {
	z.mu.Lock()
	delete(z.pending, id)
	z.mu.Unlock()
}

// receive hands each reply to its connection's I/O thread until the
// context closes the socket.
func (z *zapClient) receive(s *Socket) {
	for {
		frames, err := s.RecvMulti(0)
		if err != nil {
			return // closed with the context
		}
		if len(frames) < 3 {
			continue // no request id: nobody to tell
		}
		id := string(frames[2])
		z.mu.Lock()
		c := z.pending[id]
		delete(z.pending, id)
		z.mu.Unlock()
		if c == nil {
			continue
		}
		reply, err := zmtp.ParseZAPReply(frames, frames[2])
		c.thread.Post(func() { c.onZAPReply(id, reply, err) })
	}
}

// askZAP sends the mechanism's ZAP request. Without a handler, NULL and
// CURVE servers go on as if approved unless ZAP_ENFORCE_DOMAIN is set;
// PLAIN servers refuse, as libzmq does.
func (c *conn) askZAP() error {
	id, err := c.sess.sock.ctx.zap().request(c, c.hs.ZAPRequest())
	switch {
	case err == nil:
		c.zapID = id
		return nil
	case errors.Is(err, errNoZAPHandler) && c.sess.zapOptional():
		return c.hsRun(func(dst []byte) ([]byte, zmtp.Step, error) {
			return c.hs.ZAPResult(dst, zmtp.ZAPReply{Status: zmtp.ZAPSuccess})
		})
	}
	return err
}

// onZAPReply runs on the I/O thread with the handler's verdict on request
// id; a connection that closed or moved on ignores it.
func (c *conn) onZAPReply(id string, r zmtp.ZAPReply, err error) {
	if c.state != stHandshake || c.zapID != id {
		return
	}
	c.zapID = ""
	switch {
	case err == nil:
		err = c.hsRun(func(dst []byte) ([]byte, zmtp.Step, error) { return c.hs.ZAPResult(dst, r) })
	case !errors.Is(err, errNoZAPHandler):
		err = protocolError(err)
	}
	if err != nil {
		c.close(err)
		return
	}
	c.ioPump()
}

// peerAddress is the peer's IP address as ZAP requests carry it, or ""
// for a transport without one.
func peerAddress(fd int) string {
	sa, err := unix.Getpeername(fd)
	if err != nil {
		return ""
	}
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return net.IP(a.Addr[:]).String()
	case *unix.SockaddrInet6:
		return net.IP(a.Addr[:]).String()
	}
	return ""
}
