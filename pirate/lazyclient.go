//go:build linux

package pirate

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/zring/zring"
)

// LazyClient is the Lazy Pirate client: a REQ socket that does not trust
// its server. Each attempt waits Policy.Timeout for the reply; on a
// timeout the socket is closed (a REQ that got no reply cannot send
// again, and a fresh one never sees the old attempt's late reply), the
// client backs off, reconnects and resends, up to Policy.Retries times.
// It is safe for concurrent use; requests are serialised.
type LazyClient struct {
	zctx     *zring.Context
	endpoint string
	policy   Policy

	mu     sync.Mutex
	sock   *zring.Socket
	closed bool
	counts clientCounters
}

// NewLazyClient connects to the server at endpoint (a REP, a ROUTER
// queue, anything that answers a REQ).
func NewLazyClient(zctx *zring.Context, endpoint string, policy Policy) (*LazyClient, error) {
	p, err := policy.withDefaults()
	if err != nil {
		return nil, err
	}
	c := &LazyClient{zctx: zctx, endpoint: endpoint, policy: p}
	if c.sock, err = c.dial(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *LazyClient) dial() (*zring.Socket, error) {
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

// Request sends parts and returns the reply (the caller's). It returns
// ErrNoReply after 1+Retries unanswered attempts, ctx's error when ctx
// ends first, or the socket's error.
func (c *LazyClient) Request(ctx context.Context, parts ...[]byte) ([][]byte, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("%w: an empty request", ErrInvalid)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, ErrClosed
	}
	c.counts.sent.Add(1)
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			if err := sleep(ctx, c.policy.pause(attempt)); err != nil {
				c.counts.failed.Add(1)
				return nil, err
			}
			c.counts.retried.Add(1)
		}
		reply, err := c.attempt(ctx, parts)
		if err == nil {
			c.counts.answered.Add(1)
			return reply, nil
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
			return nil, fmt.Errorf("%w: %d attempts of %v at %s", ErrNoReply, attempt+1, c.policy.Timeout, c.endpoint)
		}
	}
}

// attempt sends once and waits up to Timeout; a timeout is
// zring.ErrTimeout, the ctx ending is ctx's error.
func (c *LazyClient) attempt(ctx context.Context, parts [][]byte) ([][]byte, error) {
	actx, cancel := context.WithTimeout(ctx, c.policy.Timeout)
	defer cancel()
	err := c.sock.SendMultiContext(actx, parts, 0)
	var reply [][]byte
	if err == nil {
		reply, err = c.sock.RecvMultiContext(actx, 0)
	}
	switch {
	case err == nil:
		return reply, nil
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case errors.Is(err, context.DeadlineExceeded):
		return nil, zring.ErrTimeout
	}
	return nil, err
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Stats returns the client's counters.
func (c *LazyClient) Stats() ClientStats { return c.counts.snapshot() }

// Close closes the socket; a request in progress ends first.
func (c *LazyClient) Close() error {
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
