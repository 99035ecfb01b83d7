//go:build linux

package engine

import (
	"context"
	"time"
)

// Before each reconnect, a session that connects to a host name looks the
// name up again, so that a peer which moved (a pod rescheduled behind a
// headless Service, a host renumbered) is found at its new address; the
// first attempt uses the address Connect resolved. The lookup runs on a
// goroutine, never on the I/O thread, and the session's retry waits for
// it. A name that no longer resolves is a failed attempt, retried with the
// usual backoff; the old address is not kept, as a name that went away
// means its peer did.

// lookupTimeout bounds one lookup when CONNECT_TIMEOUT does not.
const lookupTimeout = 10 * time.Second

// reconnect is the retry timer's work: look the name up again, if there
// is one, then connect.
func (ss *Session) reconnect() {
	ss.retry = nil
	if ss.finished {
		return
	}
	if ss.addr.name == "" {
		ss.connect()
		return
	}
	d := ss.opts.ConnectTimeout
	if d <= 0 {
		d = lookupTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	ss.dialCancel = cancel
	a := *ss.addr // a copy: the goroutine owns it
	ipv6 := ss.opts.TCP.IPv6
	wg := &ss.thread.eng.bg
	wg.Add(1)
	go func() {
		defer wg.Done()
		ip, err := lookupIP(ctx, a.resolver, a.name, ipv6)
		ss.thread.Post(func() {
			cancel()
			ss.dialCancel = nil
			if ss.finished {
				return
			}
			if err != nil {
				ss.sock.Event(EventClosed, 0, ss.endpoint, err)
				ss.connClosed(err, false)
				return
			}
			*ss.addr = a.withIP(ip)
			ss.connect()
		})
	}()
}
