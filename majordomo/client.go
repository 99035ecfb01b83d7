//go:build linux

package majordomo

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/zring/zring"
)

// Client sends requests to a broker one at a time and waits for each
// reply, as the Guide's mdcliapi: over a REQ socket, with Timeout for each
// attempt, and a new socket for each retry (a REQ that got no reply cannot
// send again, and a new one never receives the old attempt's late reply).
// It is safe for concurrent use; requests are serialised.
type Client struct {
	zctx     *zring.Context
	endpoint string
	policy   ClientPolicy

	mu     sync.Mutex
	sock   *zring.Socket
	closed bool

	counts clientCounters
}

// NewClient connects to the broker at endpoint.
func NewClient(zctx *zring.Context, endpoint string, policy ClientPolicy) (*Client, error) {
	p, err := policy.withDefaults()
	if err != nil {
		return nil, err
	}
	c := &Client{zctx: zctx, endpoint: endpoint, policy: p}
	if c.sock, err = c.dial(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Client) dial() (*zring.Socket, error) {
	s, err := c.zctx.NewSocket(zring.Req, zring.WithLinger(0))
	if err != nil {
		return nil, err
	}
	if err := s.Connect(c.endpoint); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Request sends body to service and returns the reply's body (the
// caller's). It tries 1+Retries times, each bounded by Timeout, and
// returns ErrNoReply when none was answered, ErrMalformed for a reply that
// breaks MDP/0.1, or ctx's error when ctx ends first.
func (c *Client) Request(ctx context.Context, service string, body ...[]byte) ([][]byte, error) {
	if len(body) == 0 {
		return nil, fmt.Errorf("%w: a request needs a body", ErrInvalid)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, ErrClosed
	}
	c.counts.sent.Add(1)
	msg := make([][]byte, 0, 2+len(body))
	msg = append(msg, []byte(ClientHeader), []byte(service))
	msg = append(msg, body...)
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			c.counts.retried.Add(1)
		}
		reply, err := c.attempt(ctx, msg)
		if err == nil {
			if len(reply) < 2 || string(reply[0]) != ClientHeader || string(reply[1]) != service {
				c.counts.failed.Add(1)
				return nil, fmt.Errorf("%w: reply of %d frames for %q", ErrMalformed, len(reply), service)
			}
			c.counts.answered.Add(1)
			return reply[2:], nil
		}
		// No reply: this REQ is stuck between send and receive (also when
		// ctx ended mid-wait); replace it.
		c.sock.Close()
		c.sock = nil
		var derr error
		if c.sock, derr = c.dial(); derr != nil {
			c.counts.failed.Add(1)
			return nil, errors.Join(err, derr)
		}
		if !errors.Is(err, zring.ErrTimeout) {
			c.counts.failed.Add(1)
			return nil, err
		}
		if attempt >= c.policy.Retries {
			c.counts.failed.Add(1)
			return nil, fmt.Errorf("%w: %q after %d attempts of %v", ErrNoReply, service, attempt+1, c.policy.Timeout)
		}
	}
}

// attempt sends msg once and waits up to Timeout; a timeout is
// zring.ErrTimeout, and so is the ctx ending (reported as ctx's error).
func (c *Client) attempt(ctx context.Context, msg [][]byte) ([][]byte, error) {
	actx, cancel := context.WithTimeout(ctx, c.policy.Timeout)
	defer cancel()
	if err := c.sock.SendMultiContext(actx, msg, 0); err != nil {
		return nil, c.waitErr(ctx, err)
	}
	reply, err := c.sock.RecvMultiContext(actx, 0)
	if err != nil {
		return nil, c.waitErr(ctx, err)
	}
	return reply, nil
}

// waitErr names why a wait ended: the caller's ctx, the attempt's timeout
// (zring.ErrTimeout), or the socket.
func (c *Client) waitErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return zring.ErrTimeout
	}
	return err
}

// Stats returns the client's counters.
func (c *Client) Stats() ClientStats { return c.counts.snapshot() }

// Close closes the client's socket; a request in progress ends first.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	if c.sock == nil {
		return nil
	}
	return c.sock.Close()
}
