package majordomo

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"

	"github.com/zring/zring"
	"github.com/zring/zring/internal/reliable"
)

// client02 is the MDP/0.2 request loop: a DEALER (spec 18 requires one)
// that waits Timeout for each reply message and, when the first one does
// not come, closes the socket, dials afresh and resends, up to Retries
// times. Once a PARTIAL has arrived it never resends (that would deliver
// the partials twice): silence after it fails the request. A request that
// did not reach its FINAL (the caller stopped, ctx ended, a malformed
// reply) leaves the socket replaced, so no stray reply reaches the next
// request.
type client02 struct {
	zctx     *zring.Context
	endpoint string
	policy   ClientPolicy

	mu     sync.Mutex
	sock   *zring.Socket
	closed bool

	counts reliable.ClientCounters
}

func newClient02(zctx *zring.Context, endpoint string, p ClientPolicy) (*client02, error) {
	c := &client02{zctx: zctx, endpoint: endpoint, policy: p}
	var err error
	if c.sock, err = c.dial(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *client02) dial() (*zring.Socket, error) {
	return reliable.Connect(c.zctx, zring.Dealer, c.endpoint)
}

// redial replaces the socket; on failure it stays nil and the next
// request dials.
func (c *client02) redial() error {
	if c.sock != nil {
		c.sock.Close()
	}
	var err error
	c.sock, err = c.dial()
	return err
}

// stream sends [MDPC02, REQUEST, service, body...] and yields each reply
// body, the FINAL's last.
func (c *client02) stream(ctx context.Context, service string, body [][]byte) iter.Seq2[[][]byte, error] {
	return func(yield func([][]byte, error) bool) {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.closed {
			yield(nil, ErrClosed)
			return
		}
		c.counts.Sent.Add(1)
		msg := make([][]byte, 0, 3+len(body))
		msg = append(msg, []byte(ClientHeaderV02), []byte{ClientRequest}, []byte(service))
		msg = append(msg, body...)
		clean := false // the socket is fit for the next request
		defer func() {
			if !clean && !c.closed {
				_ = c.redial()
			}
		}()
		fail := func(err error) {
			c.counts.Failed.Add(1)
			yield(nil, err)
		}
		for attempt := 0; ; attempt++ {
			if attempt > 0 {
				c.counts.Retried.Add(1)
			}
			// A resend goes on a new socket; so does a request after a
			// redial that failed.
			if attempt > 0 || c.sock == nil {
				if err := c.redial(); err != nil {
					fail(err)
					return
				}
			}
			if err := c.sock.SendMultiContext(ctx, msg, 0); err != nil {
				fail(err)
				return
			}
			got := 0
			for {
				reply, err := c.recv(ctx)
				if errors.Is(err, zring.ErrTimeout) {
					if got > 0 {
						fail(fmt.Errorf("%w: %q fell silent after %d partial replies", ErrNoReply, service, got))
						return
					}
					break // resend
				}
				if err != nil {
					fail(err)
					return
				}
				final, rbody, err := checkReply02(service, reply)
				if err != nil {
					fail(err)
					return
				}
				got++
				if final {
					c.counts.Answered.Add(1)
					clean = true
					yield(rbody, nil)
					return
				}
				if !yield(rbody, nil) {
					c.counts.Failed.Add(1)
					return
				}
			}
			if attempt >= c.policy.Retries {
				fail(fmt.Errorf("%w: %q after %d attempts of %v", ErrNoReply, service, c.policy.Retries+1, c.policy.Timeout))
				return
			}
		}
	}
}

// recv waits up to Timeout for one message; a timeout is zring.ErrTimeout,
// the ctx ending is ctx's error.
func (c *client02) recv(ctx context.Context) ([][]byte, error) {
	rctx, cancel := context.WithTimeout(ctx, c.policy.Timeout)
	defer cancel()
	reply, err := c.sock.RecvMultiContext(rctx, 0)
	if err := reliable.WaitErr(ctx, err); err != nil {
		return nil, err
	}
	return reply, nil
}

// checkReply02 accepts [MDPC02, PARTIAL or FINAL, service, body...] for
// service and returns whether it is the FINAL, and its body.
func checkReply02(service string, reply [][]byte) (final bool, body [][]byte, err error) {
	if len(reply) < 3 || string(reply[0]) != ClientHeaderV02 || len(reply[1]) != 1 ||
		(reply[1][0] != ClientPartial && reply[1][0] != ClientFinal) || string(reply[2]) != service {
		return false, nil, fmt.Errorf("%w: MDP/0.2 reply of %d frames for %q", ErrMalformed, len(reply), service)
	}
	return reply[1][0] == ClientFinal, reply[3:], nil
}

func (c *client02) close() error {
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
