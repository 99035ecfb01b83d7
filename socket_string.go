package zring

import (
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"

	"github.com/zring/zring/engine"
)

// Printing sockets. A Socket's fields include its options, and so PLAIN
// passwords and CURVE secret keys; fmt's default %v and %+v would print
// them all. String, Format, GoString and LogValue show instead what helps
// debugging: the type, whether the socket is open, its mechanism and its
// endpoints. Nothing secret, and the same for every verb.

// socketInfo is what a Socket shows of itself.
type socketInfo struct {
	typ       Type
	state     string // "open", "closed" or "terminated"
	mechanism string // "NULL", "PLAIN" or "CURVE"
	server    bool
	bound     []string
	connected []string
}

// info takes a consistent snapshot. The context's lock comes first, as in
// inproc.go, then the socket's.
func (s *Socket) info() socketInfo {
	var inprocBound []string
	if c := s.ctx; c != nil {
		c.mu.Lock()
		for name, b := range c.inproc.bound {
			if b == s {
				inprocBound = append(inprocBound, engine.TransportInproc+"://"+name)
			}
		}
		c.mu.Unlock()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	in := socketInfo{typ: s.typ, state: "open", server: s.opts.conn.Security.Server, bound: inprocBound}
	switch s.closeErr {
	case nil:
	case ErrTerminated:
		in.state = "terminated"
	default:
		in.state = "closed"
	}
	switch s.opts.conn.Security.Mechanism {
	case MechanismPlain:
		in.mechanism = "PLAIN"
	case MechanismCurve:
		in.mechanism = "CURVE"
	default:
		in.mechanism, in.server = "NULL", false
	}
	for _, l := range s.listeners {
		in.bound = append(in.bound, l.Endpoint())
	}
	for ss := range s.sessions {
		if ss.Connecting() {
			in.connected = append(in.connected, ss.Endpoint())
		}
	}
	for _, p := range s.pipes {
		if ip := inprocOf(p); ip != nil && !slices.Contains(in.bound, ip.endpoint) {
			in.connected = append(in.connected, ip.endpoint)
		}
	}
	for _, l := range []*[]string{&in.bound, &in.connected} {
		slices.Sort(*l)
		*l = slices.Compact(*l)
	}
	return in
}

func (in socketInfo) role() string {
	switch {
	case in.mechanism == "NULL":
		return ""
	case in.server:
		return "server"
	}
	return "client"
}

// String returns, for example, "Socket(type=PUB state=open
// mechanism=CURVE/server bound=[tcp://127.0.0.1:5555] connected=[])". It
// never includes option values such as keys or passwords. It takes the
// socket's lock, like any other method.
func (s *Socket) String() string {
	if s == nil {
		return "Socket(nil)"
	}
	in := s.info()
	mech := in.mechanism
	if r := in.role(); r != "" {
		mech += "/" + r
	}
	return fmt.Sprintf("Socket(type=%v state=%s mechanism=%s bound=[%s] connected=[%s])",
		in.typ, in.state, mech, strings.Join(in.bound, " "), strings.Join(in.connected, " "))
}

// GoString is String, so %#v does not print the socket's fields.
func (s *Socket) GoString() string { return s.String() }

// Format prints String for every verb (%v, %+v, %#v, %s ...): the
// default formatting would print the socket's options, secrets included.
func (s *Socket) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, s.String()) }

// LogValue groups what String shows for log/slog: type, state, mechanism,
// role (with a security mechanism), bound and connected endpoints.
func (s *Socket) LogValue() slog.Value {
	if s == nil {
		return slog.StringValue("nil")
	}
	in := s.info()
	attrs := []slog.Attr{
		slog.String("type", in.typ.String()),
		slog.String("state", in.state),
		slog.String("mechanism", in.mechanism),
	}
	if r := in.role(); r != "" {
		attrs = append(attrs, slog.String("role", r))
	}
	attrs = append(attrs, slog.Any("bound", in.bound), slog.Any("connected", in.connected))
	return slog.GroupValue(attrs...)
}
