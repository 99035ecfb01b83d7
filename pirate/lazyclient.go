package pirate

import (
	"context"
	"fmt"

	"github.com/zring/zring"
	"github.com/zring/zring/internal/reliable"
)

// LazyClient is the Lazy Pirate client: a REQ socket that does not trust
// its server. Each attempt waits Policy.Timeout for the reply; on a
// timeout the socket is closed (a REQ that got no reply cannot send
// again, and a fresh one never sees the old attempt's late reply), the
// client backs off, reconnects and resends, up to Policy.Retries times.
// It is safe for concurrent use; requests are serialised.
type LazyClient struct {
	rc *reliable.Client
}

// NewLazyClient connects to the server at endpoint (a REP, a ROUTER
// queue, anything that answers a REQ).
func NewLazyClient(zctx *zring.Context, endpoint string, policy Policy) (*LazyClient, error) {
	p, err := policy.withDefaults()
	if err != nil {
		return nil, err
	}
	rc, err := reliable.NewClient(zctx, endpoint, reliable.ClientConfig{
		Policy: reliable.Policy(p),
		NoReply: func([][]byte) error {
			return fmt.Errorf("%w: %d attempts of %v at %s", ErrNoReply, p.Retries+1, p.Timeout, endpoint)
		},
		Closed: ErrClosed,
	})
	if err != nil {
		return nil, err
	}
	return &LazyClient{rc: rc}, nil
}

// Request sends parts and returns the reply (the caller's). It returns
// ErrNoReply after 1+Retries unanswered attempts, ctx's error when ctx
// ends first, or the socket's error.
func (c *LazyClient) Request(ctx context.Context, parts ...[]byte) ([][]byte, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("%w: an empty request", ErrInvalid)
	}
	return c.rc.Request(ctx, parts)
}

// Stats returns the client's counters.
func (c *LazyClient) Stats() ClientStats { return ClientStats(c.rc.Stats()) }

// Close closes the socket; a request in progress ends first.
func (c *LazyClient) Close() error { return c.rc.Close() }
