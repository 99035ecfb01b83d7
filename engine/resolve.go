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

// Name is the host name a connect gave, which reconnects look up again;
// empty for an IP literal, a bind or ipc.
func (a Addr) Name() string { return a.name }

// LookupAll looks a's host name up and returns one address per IP it has
// now, in the resolver's order: the IPv4 ones, and with ipv6 the IPv6
// ones too. Each is pinned to its IP (not looked up again on reconnect):
// the caller follows the name. An a without a name is itself.
func LookupAll(ctx context.Context, a Addr, ipv6 bool) ([]Addr, error) {
	if a.name == "" {
		return []Addr{a}, nil
	}
	ips, err := lookupIPs(ctx, a.resolver, a.name)
	if err != nil {
		return nil, err
	}
	var all []Addr
	for _, ip := range ips {
		if ip.To4() == nil && !ipv6 {
			continue
		}
		b := a.withIP(ip)
		b.name, b.resolver = "", nil
		all = append(all, b)
	}
	return all, nil
}
