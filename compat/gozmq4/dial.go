//go:build linux

package zmq4

import (
	"fmt"
	"strings"

	"github.com/zring/zring"
)

// dialEvents are the monitor events Dial waits on.
const dialEvents = zring.EventConnectRetried | zring.EventClosed | zring.EventHandshakeSucceeded |
	zring.EventHandshakeFailedNoDetail | zring.EventHandshakeFailedProtocol | zring.EventHandshakeFailedAuth

// Dial connects the socket to ep. As upstream's, it returns once the
// connection is up (its ZMTP handshake done), or an error after
// WithDialerMaxRetries failed attempts WithDialerRetry apart (10 and
// 250ms by default), after a failed handshake, or when the socket's
// context ends. zring's Connect, underneath, would return at once and
// retry without end; Dial watches it through a zring monitor, which it
// stops before returning. inproc:// endpoints return at once, as zring
// connects them even before the bind.
func (s *socket) Dial(ep string) error {
	if err := s.usable("dial"); err != nil {
		return err
	}
	s.connMu.Lock()
	defer s.connMu.Unlock()
	if err := s.applySecurity(false); err != nil {
		return fmt.Errorf("zmq4: could not dial to %q: %w", ep, err)
	}
	if strings.HasPrefix(ep, "inproc://") || strings.HasPrefix(ep, "udp://") {
		return s.endpointErr("could not dial to", ep, s.zs.Connect(ep))
	}
	mon, err := s.zs.Monitor(dialEvents)
	if err != nil {
		return s.mapErr("dial", err)
	}
	defer mon.Stop()
	if err := s.zs.Connect(ep); err != nil {
		return s.endpointErr("could not dial to", ep, err)
	}
	var (
		retries int
		cause   error
	)
	for {
		select {
		case <-s.ctx.Done():
			return s.mapErr("dial", s.ctx.Err())
		case ev, ok := <-mon.Events():
			if !ok { // the socket closed
				return s.mapErr("dial", zring.ErrClosed)
			}
			if ev.Endpoint != ep {
				continue
			}
			switch ev.Type {
			case zring.EventHandshakeSucceeded:
				return nil
			case zring.EventClosed:
				if ev.Err != nil {
					cause = ev.Err
				}
			case zring.EventConnectRetried:
				retries++
				if s.cfg.maxRetries >= 0 && retries > s.cfg.maxRetries {
					_ = s.zs.Disconnect(ep)
					if cause != nil {
						return fmt.Errorf("zmq4: could not dial to %q (retry=%v, %d attempts): %w", ep, s.cfg.retry, retries, cause)
					}
					return fmt.Errorf("zmq4: could not dial to %q (retry=%v, %d attempts)", ep, s.cfg.retry, retries)
				}
			default: // a failed handshake
				_ = s.zs.Disconnect(ep)
				if ev.Err != nil {
					return fmt.Errorf("zmq4: could not open a ZMTP connection to %q: %s: %w", ep, ev.Type, ev.Err)
				}
				return fmt.Errorf("zmq4: could not open a ZMTP connection to %q: %s", ep, ev.Type)
			}
		}
	}
}
