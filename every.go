package zring

import (
	"context"
	"errors"
	"net"
	"slices"
	"time"

	"github.com/zring/zring/engine"
	"github.com/zring/zring/internal/pipe"
)

// A connect to a host name under WithEveryAddress connects to every
// address the name has, not to the first: one Connect of a headless
// Service's name spans its pods. A nameWatch follows the name: it looks
// it up again every interval, and at once when one of its connections
// ends (a pod going away usually drops its connections before DNS
// forgets it), connects to addresses that appeared and drops those that
// went. One goroutine per followed name, never one per message.
//
// Each address is a session of its own, pinned to its IP, under the
// endpoint as given, so Disconnect(endpoint) ends them all and the usual
// events name the endpoint. EventAddressAdded and EventAddressRemoved
// name the address itself.
//
// A dropped address's queued messages go to the other peers on PUSH and
// SCATTER (the socket takes them back from its pipe once its session
// stopped); other types drop them, as libzmq does for a peer it
// disconnects.

// EventAddressAdded and EventAddressRemoved are zring's own monitor
// events, outside libzmq's 16 bits (and so outside EventAll, and never in
// the libzmq-format monitor): a name followed under WithEveryAddress
// gained or lost an address. Event.Endpoint is that address
// ("tcp://10.0.0.7:5557"); Value is 0.
const (
	EventAddressAdded   EventType = 1 << 24
	EventAddressRemoved EventType = 1 << 25
)

// WithEveryAddress makes a tcp://, ws:// or wss:// connect to a host name
// connect to every address the name resolves to (its IPv4 ones, and its
// IPv6 ones too with WithIPv6), looked up again every interval and
// whenever one of those connections ends, adding and removing connections
// as addresses appear and disappear. A PUSH then load-balances over every
// pod of a headless Service, and a SUB hears every publisher. 0 (the
// default) connects to one address, as libzmq does. A lookup that fails
// (the DNS server is unreachable) keeps the connections as they are; a
// name that no longer exists removes them all. It applies to later
// connects.
func WithEveryAddress(interval time.Duration) Option {
	return func(o *options) error {
		if interval < 0 {
			return invalid("every-address interval", interval)
		}
		o.everyAddress = interval
		return nil
	}
}

type nameWatch struct {
	s        *Socket
	endpoint string
	tmpl     engine.Addr // as Connect resolved it, with the name
	ipv6     bool
	interval time.Duration
	kick     chan struct{} // capacity 1: look again now
	cancel   context.CancelFunc
	done     chan struct{}
	// conns maps each address (engine.Addr.String) to its session. Owned
	// by the watch's goroutine after the first lookup.
	conns map[string]*engine.Session
}

// followName connects to every address a has now and starts following
// its name. The first lookup is the caller's: a name without addresses
// fails Connect, as any connect to a name that does not resolve.
func (s *Socket) followName(a engine.Addr, endpoint string, ipv6 bool, interval time.Duration) error {
	ctx, cancel := context.WithCancel(context.Background())
	w := &nameWatch{
		s: s, endpoint: endpoint, tmpl: a, ipv6: ipv6, interval: interval,
		kick: make(chan struct{}, 1), cancel: cancel, done: make(chan struct{}),
		conns: map[string]*engine.Session{},
	}
	addrs, err := engine.LookupAll(ctx, a, ipv6)
	if err == nil && len(addrs) == 0 {
		err = &net.DNSError{Err: "no usable address", Name: a.Name(), IsNotFound: true}
	}
	if err != nil {
		cancel()
		return err
	}
	s.mu.Lock()
	if err := s.closeErr; err != nil {
		s.mu.Unlock()
		cancel()
		return err
	}
	list := append(slices.Clone(s.followed()), w)
	s.names.Store(&list)
	s.endpoint = endpoint
	s.mu.Unlock()
	w.apply(addrs)
	go w.run(ctx)
	return nil
}

// followed is the names followed now; s.mu held for a change.
func (s *Socket) followed() []*nameWatch {
	if p := s.names.Load(); p != nil {
		return *p
	}
	return nil
}

// unfollow stops following the names of endpoint (all of them when
// endpoint is ""), waiting for their goroutines; it reports whether there
// was one. The sessions stay: Disconnect and Close end them.
func (s *Socket) unfollow(endpoint string) bool {
	s.mu.Lock()
	var gone, kept []*nameWatch
	for _, w := range s.followed() {
		if endpoint == "" || w.endpoint == endpoint {
			gone = append(gone, w)
		} else {
			kept = append(kept, w)
		}
	}
	s.names.Store(&kept)
	s.mu.Unlock()
	for _, w := range gone {
		w.cancel()
		<-w.done
	}
	return len(gone) > 0
}

// nameConnEnded looks the name of endpoint up again soon: one of its
// connections ended or failed to connect (emit, on an I/O thread; it
// never blocks).
func (s *Socket) nameConnEnded(endpoint string) {
	for _, w := range s.followed() {
		if w.endpoint == endpoint {
			select {
			case w.kick <- struct{}{}:
			default: // a lookup is already due
			}
		}
	}
}

func (w *nameWatch) run(ctx context.Context) {
	defer close(w.done)
	t := time.NewTicker(w.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.kick:
		}
		lctx, cancel := context.WithTimeout(ctx, max(w.interval, time.Second))
		addrs, err := engine.LookupAll(lctx, w.tmpl, w.ipv6)
		cancel()
		var dnsErr *net.DNSError
		switch {
		case ctx.Err() != nil:
			return
		case err == nil, errors.As(err, &dnsErr) && dnsErr.IsNotFound:
			w.apply(addrs) // a name that is gone has no addresses
		default:
			// The lookup failed (a timeout, a server away): keep the
			// connections as they are, and say why.
			w.s.emit(EventClosed, 0, w.endpoint, err)
		}
		w.s.pump()
	}
}

// pump runs the commands the I/O threads posted, as the socket's next
// call would: the detach of a dropped address hands its messages to the
// other peers now, even while the application sends nothing.
func (s *Socket) pump() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closeErr == nil {
		s.processCommands()
	}
}

// apply connects to the addresses not yet connected and drops those no
// longer listed.
func (w *nameWatch) apply(addrs []engine.Addr) {
	now := make(map[string]bool, len(addrs))
	for _, a := range addrs {
		key := a.String()
		now[key] = true
		if w.conns[key] != nil {
			continue
		}
		ss, _, err := w.s.connectSession(a, nil, w.endpoint)
		if err != nil {
			w.s.emit(EventClosed, 0, key, err) // the socket closed, most likely
			continue
		}
		w.conns[key] = ss
		w.s.emit(EventAddressAdded, 0, key, nil)
	}
	for key, ss := range w.conns {
		if now[key] {
			continue
		}
		delete(w.conns, key)
		w.s.dropAddress(ss)
		w.s.emit(EventAddressRemoved, 0, key, nil)
	}
}

// dropAddress ends the session of an address that went away: its pipe
// leaves the pattern at once, and what it still queued goes to the other
// peers where the type load-balances.
func (s *Socket) dropAddress(ss *engine.Session) {
	s.mu.Lock()
	s.cut([]*engine.Session{ss}, s.typ == Push || s.typ == Scatter)
	s.mu.Unlock()
	ss.Drop()
}

// takeBack moves the messages p's peer never took into s.resend and
// sends what the other peers have room for. s.mu held, p's session
// stopped.
func (s *Socket) takeBack(p *pipe.Pipe) {
	for m := p.TakeOut(); m != nil; m = p.TakeOut() {
		s.resend = append(s.resend, m)
	}
	s.flushResend()
}

// flushResend hands taken-back messages to the pattern while a peer has
// room; the rest wait for the next attach or room. s.mu held.
func (s *Socket) flushResend() {
	for len(s.resend) > 0 {
		m := s.resend[0]
		if ok, err := s.pat.CheckSend(m); !ok || err != nil {
			return
		}
		s.resend[0] = nil
		s.resend = s.resend[1:]
		_ = s.pat.Send(m) // CheckSend said a peer takes it
	}
}
