//go:build linux

package zmq4

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/zring/zring"
)

// Proxy forwards messages between a frontend and a backend socket in both
// directions, on zring.ProxySteerable.
type Proxy struct {
	ctx                  context.Context // Run's, cancelled by Kill
	kill                 context.CancelFunc
	killed               atomic.Bool
	front, back, capture *zring.Socket
	ctl, ctlPeer         *zring.Socket // an inproc PAIR pair: Pause, Resume and Kill go through it
	err                  error
}

var proxies atomic.Uint64

// NewProxy returns a proxy between front and back, copying every message
// to capture when it is not nil; Run runs it until ctx ends or Kill. As
// upstream, set the sockets' options and Listen or Dial them first. The
// sockets must be this package's; another Socket makes Run return an
// error wrapping ErrNotMapped.
func NewProxy(ctx context.Context, front, back, capture Socket) *Proxy {
	if ctx == nil {
		ctx = context.Background()
	}
	p := &Proxy{}
	p.ctx, p.kill = context.WithCancel(ctx)
	var err error
	if p.front, err = zringOf(front, "frontend"); err != nil {
		p.err = err
		return p
	}
	if p.back, err = zringOf(back, "backend"); err != nil {
		p.err = err
		return p
	}
	if capture != nil {
		if p.capture, err = zringOf(capture, "capture"); err != nil {
			p.err = err
			return p
		}
	}
	p.err = p.control()
	return p
}

// control makes the PAIR pair that carries the commands.
func (p *Proxy) control() error {
	zctx, err := SharedContext()
	if err != nil {
		return err
	}
	ep := fmt.Sprintf("inproc://gozmq4-proxy-control-%d", proxies.Add(1))
	if p.ctlPeer, err = zctx.NewSocket(zring.Pair, zring.WithLinger(0)); err != nil {
		return err
	}
	if p.ctl, err = zctx.NewSocket(zring.Pair, zring.WithLinger(0)); err != nil {
		p.ctlPeer.Close()
		return err
	}
	if err = p.ctlPeer.Bind(ep); err == nil {
		err = p.ctl.Connect(ep)
	}
	if err != nil {
		p.ctl.Close()
		p.ctlPeer.Close()
	}
	return err
}

// zringOf returns the zring socket under one of this package's sockets.
func zringOf(s Socket, role string) (*zring.Socket, error) {
	z, ok := s.(interface{ zringSocket() *zring.Socket })
	if !ok || s == nil {
		return nil, fmt.Errorf("zmq4: proxy %s is a %T, not a socket of this package: %w", role, s, ErrNotMapped)
	}
	zs := z.zringSocket()
	if zs == nil {
		return nil, fmt.Errorf("zmq4: proxy %s could not be made: %w", role, zring.ErrInvalid)
	}
	return zs, nil
}

// command sends a control command; a proxy that has ended ignores it.
func (p *Proxy) command(cmd string) {
	if p.ctl != nil {
		_ = p.ctl.SendString(cmd, zring.DontWait)
	}
}

// Pause stops forwarding until Resume (upstream's is a no-op). The command
// travels on zring's control socket, so a capture socket receives a
// "PAUSE" message, as libzmq's zmq_proxy_steerable copies its commands.
func (p *Proxy) Pause() { p.command("PAUSE") }

// Resume restarts forwarding after Pause (upstream's is a no-op); a capture
// socket receives "RESUME", as for Pause.
func (p *Proxy) Resume() { p.command("RESUME") }

// Stats does nothing, as upstream's (a TODO there): zring's proxy answers
// STATISTICS on a control socket, which zring.ProxySteerable and
// zring.RequestProxyStatistics offer to programs written for zring.
func (p *Proxy) Stats() {}

// Kill ends the proxy: Run returns nil. It ends Run's context rather
// than sending zring's TERMINATE, which would reach a capture socket.
func (p *Proxy) Kill() {
	p.killed.Store(true)
	p.kill()
}

// Run forwards until Kill (nil), the context's end (its error) or a
// socket's closing (an error matching ErrClosedConn; upstream's loops
// would spin on it instead).
func (p *Proxy) Run() error {
	if p.err != nil {
		return p.err
	}
	defer p.ctl.Close()
	defer p.ctlPeer.Close()
	err := zring.ProxySteerable(p.ctx, p.front, p.back, p.capture, p.ctlPeer)
	if (errors.Is(err, zring.ErrClosed) || errors.Is(err, zring.ErrTerminated)) && p.ctx.Err() != nil {
		// A socket made with the same context closes itself when it ends
		// (socket.go), which can come before the proxy sees the context
		// end: the context's end is why the proxy stopped.
		err = p.ctx.Err()
	}
	switch {
	case errors.Is(err, context.Canceled) && p.killed.Load():
		return nil
	case err == nil, errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.Is(err, zring.ErrClosed), errors.Is(err, zring.ErrTerminated):
		return fmt.Errorf("zmq4: proxy: %w: %w", ErrClosedConn, err)
	}
	return fmt.Errorf("zmq4: proxy: %w", err)
}
