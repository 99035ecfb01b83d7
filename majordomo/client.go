package majordomo

import (
	"context"
	"fmt"
	"iter"

	"github.com/zring/zring"
	"github.com/zring/zring/internal/reliable"
)

// Client sends requests to a broker one at a time and waits for each
// reply, as the Guide's mdcliapi: over a REQ socket, with Timeout for each
// attempt, and a new socket for each retry (a REQ that got no reply cannot
// send again, and a new one never receives the old attempt's late reply).
// It is safe for concurrent use; requests are serialised.
//
// Under MDP/0.2 (ClientPolicy's Version V02) it speaks over a DEALER, as
// spec 18 requires, with the same timeout and retries, and RequestStream
// yields the PARTIAL replies before the FINAL one.
type Client struct {
	rc *reliable.Client
	c2 *client02
}

// NewClient connects to the broker at endpoint.
func NewClient(zctx *zring.Context, endpoint string, policy ClientPolicy) (*Client, error) {
	p, err := policy.withDefaults()
	if err != nil {
		return nil, err
	}
	if p.Version == V02 {
		c2, err := newClient02(zctx, endpoint, p)
		if err != nil {
			return nil, err
		}
		return &Client{c2: c2}, nil
	}
	rc, err := reliable.NewClient(zctx, endpoint, reliable.ClientConfig{
		Policy: reliable.Policy{Timeout: p.Timeout, Retries: p.Retries},
		Check:  checkReply,
		NoReply: func(req [][]byte) error {
			return fmt.Errorf("%w: %q after %d attempts of %v", ErrNoReply, req[1], p.Retries+1, p.Timeout)
		},
		Closed: ErrClosed,
	})
	if err != nil {
		return nil, err
	}
	return &Client{rc: rc}, nil
}

// checkReply accepts a reply to req = [MDPC01, service, body...] only if
// it is [MDPC01, service, body...] too, and returns its body.
func checkReply(req, reply [][]byte) ([][]byte, error) {
	if len(reply) < 2 || string(reply[0]) != ClientHeader || string(reply[1]) != string(req[1]) {
		return nil, fmt.Errorf("%w: reply of %d frames for %q", ErrMalformed, len(reply), req[1])
	}
	return reply[2:], nil
}

// Request sends body to service and returns the reply's body (the
// caller's). It tries 1+Retries times, each bounded by Timeout, and
// returns ErrNoReply when none was answered, ErrMalformed for a reply that
// breaks the protocol, or ctx's error when ctx ends first. Under MDP/0.2
// it returns the FINAL's body; PARTIALs before it are read and discarded
// (RequestStream returns them).
func (c *Client) Request(ctx context.Context, service string, body ...[]byte) ([][]byte, error) {
	if len(body) == 0 {
		return nil, fmt.Errorf("%w: a request needs a body", ErrInvalid)
	}
	if c.c2 != nil {
		var last [][]byte
		for b, err := range c.c2.stream(ctx, service, body) {
			if err != nil {
				return nil, err
			}
			last = b
		}
		return last, nil
	}
	msg := make([][]byte, 0, 2+len(body))
	msg = append(msg, []byte(ClientHeader), []byte(service))
	msg = append(msg, body...)
	return c.rc.Request(ctx, msg)
}

// RequestStream sends body to service and yields each reply body (the
// caller's) as it arrives: under MDP/0.2 the PARTIALs, then the FINAL,
// which is the last; under MDP/0.1 the one reply. An error is yielded
// once, with a nil body, and ends the sequence: ErrNoReply when nothing
// came after 1+Retries attempts, or when the replies stopped for Timeout
// after a PARTIAL (a request is never resent once a PARTIAL arrived, so
// none is seen twice); ErrMalformed; ctx's error. Breaking out of the loop
// abandons the request. The client is held for the whole loop: the loop's
// body must not use the same Client.
func (c *Client) RequestStream(ctx context.Context, service string, body ...[]byte) iter.Seq2[[][]byte, error] {
	if len(body) == 0 {
		return func(yield func([][]byte, error) bool) {
			yield(nil, fmt.Errorf("%w: a request needs a body", ErrInvalid))
		}
	}
	if c.c2 != nil {
		return c.c2.stream(ctx, service, body)
	}
	return func(yield func([][]byte, error) bool) {
		reply, err := c.Request(ctx, service, body...)
		yield(reply, err)
	}
}

// Stats returns the client's counters.
func (c *Client) Stats() ClientStats {
	if c.c2 != nil {
		return ClientStats(c.c2.counts.Snapshot())
	}
	return ClientStats(c.rc.Stats())
}

// Close closes the client's socket; a request in progress ends first.
func (c *Client) Close() error {
	if c.c2 != nil {
		return c.c2.close()
	}
	return c.rc.Close()
}
