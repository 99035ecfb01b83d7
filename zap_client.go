package zring

import (
	"context"
	"strconv"
	"strings"
	"sync"

	"github.com/zring/zring/engine"
	"github.com/zring/zring/zmtp"
)

// zapClient is a context's link to its ZAP handler (RFC 27), the
// engine.ZAP its servers' handshakes use, made when a handshake first
// needs it: a DEALER connected to inproc://zeromq.zap.01,
// which I/O threads send requests on without blocking, and one goroutine
// that receives the replies and hands each to the waiting connection's I/O
// thread. Handshakes are rare next to messages, so a request may allocate.
type zapClient struct {
	ctx     *Context
	mu      sync.Mutex
	sock    *Socket              // nil until the first request; guarded by mu
	handler *Socket              // the handler sock is linked to; guarded by mu
	next    uint64               // last request id; guarded by mu
	pending map[string]zapWaiter // request id → who waits; guarded by mu
}

// zap returns the context's ZAP client.
func (c *Context) zap() *zapClient {
	c.zapOnce.Do(func() { c.zapc = &zapClient{ctx: c, pending: make(map[string]zapWaiter)} })
	return c.zapc
}

// zapHandler returns the socket bound at the ZAP endpoint, or nil.
func (c *Context) zapHandler() *Socket {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.inproc.bound[strings.TrimPrefix(zmtp.ZAPEndpoint, "inproc://")]
}

// zapWaiter is how a waiting handshake takes its answer (engine.ZAP).
type zapWaiter = func(id string, r zmtp.ZAPReply, err error)

var _ engine.ZAP = (*zapClient)(nil)

// Request sends r without blocking and returns its id; reply gets the
// answer. engine.ErrNoZAPHandler when no handler is bound. Called on an
// I/O thread.
func (z *zapClient) Request(r engine.ZAPRequest, reply zapWaiter) (string, error) {
	ctx := z.ctx
	h := ctx.zapHandler()
	if h == nil {
		return "", engine.ErrNoZAPHandler
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
	frames := zmtp.ZAPRequestFrames([]byte(id), []byte(r.Domain), []byte(r.Address), r.Identity, r.Req)
	// The frames are copied into pooled frames before SendMulti returns.
	if err := z.sock.SendMultiContext(context.Background(), frames, DontWait); err != nil {
		return "", err
	}
	z.pending[id] = reply
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
	for id, reply := range z.pending {
		reply(id, zmtp.ZAPReply{}, engine.ErrNoZAPHandler)
	}
	z.sock, z.handler, z.pending = nil, nil, make(map[string]zapWaiter)
}

// Cancel forgets a request whose connection closed first.
func (z *zapClient) Cancel(id string) {
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
		reply := z.pending[id]
		delete(z.pending, id)
		z.mu.Unlock()
		if reply == nil {
			continue
		}
		r, err := zmtp.ParseZAPReply(frames, frames[2])
		reply(id, r, err)
	}
}
