package reliable

import (
	"context"
	"errors"
	"sync"

	"github.com/zring/zring"
)

// ClientConfig is what a protocol supplies to a Client.
type ClientConfig struct {
	// Policy bounds each attempt and the resends, with its defaults
	// already applied (Policy.WithDefaults).
	Policy Policy
	// Check, when set, vets the reply to request: it returns what Request
	// returns, or an error that Request returns with the request counted
	// failed. Without it the reply is returned whole.
	Check func(request, reply [][]byte) ([][]byte, error)
	// NoReply makes the error for a request that went unanswered
	// 1+Policy.Retries times.
	NoReply func(request [][]byte) error
	// Closed is the error for a Request after Close.
	Closed error
}

// Client is the Lazy Pirate request loop: a REQ socket (linger 0) that
// waits Policy.Timeout for each reply and, after a failed attempt, closes
// the socket (a REQ that got no reply cannot send again, and a fresh one
// never sees the old attempt's late reply), backs off, dials afresh and
// resends, up to Policy.Retries times. It is safe for concurrent use;
// requests are serialised.
type Client struct {
	zctx     *zring.Context
	endpoint string
	cfg      ClientConfig

	mu     sync.Mutex
	sock   *zring.Socket
	closed bool

	counts ClientCounters
}

// NewClient connects a REQ to endpoint.
func NewClient(zctx *zring.Context, endpoint string, cfg ClientConfig) (*Client, error) {
	c := &Client{zctx: zctx, endpoint: endpoint, cfg: cfg}
	var err error
	if c.sock, err = c.dial(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Client) dial() (*zring.Socket, error) { return Connect(c.zctx, zring.Req, c.endpoint) }

// Request sends msg (copied) and returns the reply (the caller's), as
// Check leaves it. It returns cfg.NoReply's error after 1+Retries
// unanswered attempts, Check's error for a reply Check refuses, ctx's
// error when ctx ends first, cfg.Closed after Close, or the socket's
// error.
func (c *Client) Request(ctx context.Context, msg [][]byte) ([][]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, c.cfg.Closed
	}
	c.counts.Sent.Add(1)
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			if err := sleep(ctx, c.cfg.Policy.pause(attempt)); err != nil {
				c.counts.Failed.Add(1)
				return nil, err
			}
			c.counts.Retried.Add(1)
		}
		if c.sock == nil { // the last redial failed
			var err error
			if c.sock, err = c.dial(); err != nil {
				c.counts.Failed.Add(1)
				return nil, err
			}
		}
		reply, err := c.attempt(ctx, msg)
		if err == nil {
			if c.cfg.Check != nil {
				if reply, err = c.cfg.Check(msg, reply); err != nil {
					c.counts.Failed.Add(1)
					return nil, err
				}
			}
			c.counts.Answered.Add(1)
			return reply, nil
		}
		// No reply: this REQ is stuck between send and receive (also when
		// ctx ended mid-wait); replace it.
		c.sock.Close()
		c.sock = nil
		var derr error
		if c.sock, derr = c.dial(); derr != nil {
			c.counts.Failed.Add(1)
			return nil, errors.Join(err, derr)
		}
		if !errors.Is(err, zring.ErrTimeout) {
			c.counts.Failed.Add(1)
			return nil, err
		}
		if attempt >= c.cfg.Policy.Retries {
			c.counts.Failed.Add(1)
			return nil, c.cfg.NoReply(msg)
		}
	}
}

// attempt sends once and waits up to Timeout; a timeout is
// zring.ErrTimeout, the ctx ending is ctx's error.
func (c *Client) attempt(ctx context.Context, msg [][]byte) ([][]byte, error) {
	actx, cancel := context.WithTimeout(ctx, c.cfg.Policy.Timeout)
	defer cancel()
	err := c.sock.SendMultiContext(actx, msg, 0)
	var reply [][]byte
	if err == nil {
		reply, err = c.sock.RecvMultiContext(actx, 0)
	}
	if err := WaitErr(ctx, err); err != nil {
		return nil, err
	}
	return reply, nil
}

// Stats returns the client's counters.
func (c *Client) Stats() ClientStats { return c.counts.Snapshot() }

// Close closes the socket; a request in progress ends first.
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
