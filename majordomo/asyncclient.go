package majordomo

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/zring/zring"
	"github.com/zring/zring/internal/reliable"
)

// AsyncClient sends requests and receives replies separately, over a
// DEALER socket, as the Guide's mdcliapi2: many requests may be in flight,
// and replies come back in the order the workers finish them (MDP/0.1
// carries no request id; put one in the body to match them). It does not
// retry. Send and Recv may be called from different goroutines. Under
// MDP/0.2 (ClientPolicy's Version V02) a request may be answered by
// PARTIALs before its FINAL: RecvPart tells them apart.
type AsyncClient struct {
	sock    *zring.Socket
	timeout time.Duration
	version Version

	counts reliable.ClientCounters
	closed atomic.Bool
}

// NewAsyncClient connects to the broker at endpoint. Only policy.Timeout
// applies: it bounds each Recv.
func NewAsyncClient(zctx *zring.Context, endpoint string, policy ClientPolicy) (*AsyncClient, error) {
	p, err := policy.withDefaults()
	if err != nil {
		return nil, err
	}
	s, err := reliable.Connect(zctx, zring.Dealer, endpoint)
	if err != nil {
		return nil, err
	}
	c := &AsyncClient{sock: s, timeout: p.Timeout, version: p.Version}
	return c, nil
}

// Send queues a request for service (its frames are copied). It waits only
// while the socket's queue is full, until ctx ends.
func (c *AsyncClient) Send(ctx context.Context, service string, body ...[]byte) error {
	if len(body) == 0 {
		return fmt.Errorf("%w: a request needs a body", ErrInvalid)
	}
	if c.closed.Load() {
		return ErrClosed
	}
	msg := make([][]byte, 0, 3+len(body))
	if c.version == V02 {
		msg = append(msg, []byte(ClientHeaderV02), []byte{ClientRequest}, []byte(service))
	} else {
		msg = append(msg, nil, []byte(ClientHeader), []byte(service))
	}
	msg = append(msg, body...)
	if err := c.sock.SendMultiContext(ctx, msg, 0); err != nil {
		return err
	}
	c.counts.Sent.Add(1)
	return nil
}

// Recv returns the next reply: the service that answered and the body
// (the caller's). It waits up to the policy's Timeout, then returns
// ErrNoReply; ErrMalformed for a reply that breaks the protocol (dropped);
// ctx's error when ctx ends first. Under MDP/0.2 it returns PARTIALs and
// FINALs alike; use RecvPart to tell them apart.
func (c *AsyncClient) Recv(ctx context.Context) (service string, body [][]byte, err error) {
	service, body, _, err = c.RecvPart(ctx)
	return service, body, err
}

// RecvPart is Recv that also reports whether the reply is its request's
// last: always true under MDP/0.1, false for an MDP/0.2 PARTIAL. Answered
// counts final replies only.
func (c *AsyncClient) RecvPart(ctx context.Context) (service string, body [][]byte, final bool, err error) {
	if c.closed.Load() {
		return "", nil, false, ErrClosed
	}
	rctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	msg, err := c.sock.RecvMultiContext(rctx, 0)
	if err := reliable.WaitErr(ctx, err); err != nil {
		if errors.Is(err, zring.ErrTimeout) {
			c.counts.Failed.Add(1)
			return "", nil, false, fmt.Errorf("%w: nothing within %v", ErrNoReply, c.timeout)
		}
		return "", nil, false, err
	}
	if c.version == V02 {
		if len(msg) < 3 || string(msg[0]) != ClientHeaderV02 || len(msg[1]) != 1 ||
			(msg[1][0] != ClientPartial && msg[1][0] != ClientFinal) {
			c.counts.Failed.Add(1)
			return "", nil, false, fmt.Errorf("%w: MDP/0.2 reply of %d frames", ErrMalformed, len(msg))
		}
		final = msg[1][0] == ClientFinal
		if final {
			c.counts.Answered.Add(1)
		}
		return string(msg[2]), msg[3:], final, nil
	}
	if len(msg) < 3 || len(msg[0]) != 0 || string(msg[1]) != ClientHeader {
		c.counts.Failed.Add(1)
		return "", nil, false, fmt.Errorf("%w: reply of %d frames", ErrMalformed, len(msg))
	}
	c.counts.Answered.Add(1)
	return string(msg[2]), msg[3:], true, nil
}

// Stats returns the client's counters: Failed counts Recv timeouts and
// malformed replies; Retried stays 0.
func (c *AsyncClient) Stats() ClientStats { return ClientStats(c.counts.Snapshot()) }

// Close closes the socket; blocked calls return.
func (c *AsyncClient) Close() error {
	if c.closed.Swap(true) {
		return nil
	}
	return c.sock.Close()
}
