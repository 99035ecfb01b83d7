//go:build linux

package majordomo

import (
	"context"
	"fmt"

	"github.com/zring/zring"
	"github.com/zring/zring/internal/reliable"
)

// Client sends requests to a broker one at a time and waits for each
// reply, as the Guide's mdcliapi: over a REQ socket, with Timeout for each
// attempt, and a new socket for each retry (a REQ that got no reply cannot
// send again, and a new one never receives the old attempt's late reply).
// It is safe for concurrent use; requests are serialised.
type Client struct {
	rc *reliable.Client
}

// NewClient connects to the broker at endpoint.
func NewClient(zctx *zring.Context, endpoint string, policy ClientPolicy) (*Client, error) {
	p, err := policy.withDefaults()
	if err != nil {
		return nil, err
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
// breaks MDP/0.1, or ctx's error when ctx ends first.
func (c *Client) Request(ctx context.Context, service string, body ...[]byte) ([][]byte, error) {
	if len(body) == 0 {
		return nil, fmt.Errorf("%w: a request needs a body", ErrInvalid)
	}
	msg := make([][]byte, 0, 2+len(body))
	msg = append(msg, []byte(ClientHeader), []byte(service))
	msg = append(msg, body...)
	return c.rc.Request(ctx, msg)
}

// Stats returns the client's counters.
func (c *Client) Stats() ClientStats { return ClientStats(c.rc.Stats()) }

// Close closes the client's socket; a request in progress ends first.
func (c *Client) Close() error { return c.rc.Close() }
