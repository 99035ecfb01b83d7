package zring

import (
	"context"
	"crypto/subtle"
	"errors"
	"log/slog"
	"sync"

	"github.com/zring/zring/zmtp"
)

// Authenticator is a ZAP handler (RFC 27) for a context's servers, in the
// manner of pyzmq's and CZMQ's authenticators: it binds a REP socket at
// inproc://zeromq.zap.01 and answers every request from its rules. A
// handler written by hand for libzmq (any REP or ROUTER bound there) works
// with zring unchanged; this is the idiomatic way.
//
// Rules, checked in order:
//   - a denied address is refused (400); with an allow list, an address
//     not on it is refused;
//   - NULL is then accepted;
//   - PLAIN needs the user's password in the domain's table (or in the
//     table for domain "*");
//   - CURVE needs the client's public key in the domain's key list, or
//     AllowAnyCurve for the domain.
//
// Accepted peers get a User-Id: the PLAIN username, or the CURVE key in
// Z85. Methods are safe for concurrent use; rules apply to handshakes
// that ask after the change.
type Authenticator struct {
	sock *Socket
	done chan struct{}

	mu        sync.Mutex
	allow     map[string]bool                       // guarded by mu
	deny      map[string]bool                       // guarded by mu
	passwords map[string]map[string]string          // domain → user → password; guarded by mu
	curveAny  map[string]bool                       // domain → any key; guarded by mu
	curveKeys map[string]map[zmtp.CurveKey]struct{} // domain → keys; guarded by mu
	logger    *slog.Logger                          // SetLogger; guarded by mu
}

// ErrZAPBound reports a second handler for one context.
var ErrZAPBound = errors.New("zring: a ZAP handler is already bound in this context")

// NewAuthenticator binds the context's ZAP handler. It fails with
// ErrZAPBound if one is already bound. Close unbinds it.
func NewAuthenticator(ctx *Context) (*Authenticator, error) {
	s, err := ctx.NewSocket(Rep, WithLinger(0))
	if err != nil {
		return nil, err
	}
	if err := s.Bind(zmtp.ZAPEndpoint); err != nil {
		s.Close()
		if errors.Is(err, ErrAddrInUse) {
			return nil, ErrZAPBound
		}
		return nil, err
	}
	a := &Authenticator{
		sock: s, done: make(chan struct{}),
		allow: map[string]bool{}, deny: map[string]bool{},
		passwords: map[string]map[string]string{},
		curveAny:  map[string]bool{}, curveKeys: map[string]map[zmtp.CurveKey]struct{}{},
	}
	go a.serve()
	return a, nil
}

// Allow adds addresses (as ZAP reports them: "127.0.0.1", "::1") to the
// allow list. Once the list is not empty, other addresses are refused.
func (a *Authenticator) Allow(addrs ...string) { a.set(a.allow, addrs) }

// Deny adds addresses to the deny list.
func (a *Authenticator) Deny(addrs ...string) { a.set(a.deny, addrs) }

func (a *Authenticator) set(m map[string]bool, addrs []string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, addr := range addrs {
		m[addr] = true
	}
}

// SetPasswords replaces the PLAIN password table (user → password) of a
// ZAP domain; domain "*" applies to every domain without a table.
func (a *Authenticator) SetPasswords(domain string, users map[string]string) {
	t := make(map[string]string, len(users))
	for u, p := range users {
		t[u] = p
	}
	a.mu.Lock()
	a.passwords[domain] = t
	a.mu.Unlock()
}

// AllowAnyCurve accepts every CURVE client of a domain ("*": all), as long
// as its handshake proves it holds its key.
func (a *Authenticator) AllowAnyCurve(domain string) {
	a.mu.Lock()
	a.curveAny[domain] = true
	a.mu.Unlock()
}

// SetCurveKeys replaces the CURVE client keys accepted in a domain ("*":
// every domain without a list).
func (a *Authenticator) SetCurveKeys(domain string, keys ...CurveKey) {
	set := make(map[zmtp.CurveKey]struct{}, len(keys))
	for _, k := range keys {
		set[k] = struct{}{}
	}
	a.mu.Lock()
	a.curveKeys[domain] = set
	a.mu.Unlock()
}

// SetCurveCertificates accepts, in a domain, the CURVE clients whose
// certificates are in dir (LoadCertificates: each public certificate
// file, as pyzmq's configure_curve(domain, location) reads them). It
// replaces the domain's keys, and reads dir again only when called again.
func (a *Authenticator) SetCurveCertificates(domain, dir string) error {
	keys, err := LoadCertificates(dir)
	if err != nil {
		return err
	}
	a.SetCurveKeys(domain, keys...)
	return nil
}

// SetLogger logs every decision to l at Info (accepted) or Warn
// (refused): domain, address, mechanism, status, reason and the User-Id
// given, never a password or a secret. nil (the default) stops logging:
// CZMQ's and pyzmq's verbose mode.
func (a *Authenticator) SetLogger(l *slog.Logger) {
	a.mu.Lock()
	a.logger = l
	a.mu.Unlock()
}

// Close unbinds the handler and waits for its goroutine. Later
// handshakes find no handler.
func (a *Authenticator) Close() error {
	err := a.sock.Close()
	<-a.done
	return err
}

// serve answers requests until the socket closes.
func (a *Authenticator) serve() {
	defer close(a.done)
	for {
		req, err := a.sock.RecvMulti(0)
		if err != nil {
			return
		}
		rep := a.answer(req)
		a.logDecision(req, rep)
		if err := a.sock.SendMulti(rep, 0); err != nil {
			return
		}
	}
}

// answer builds the reply to one request (REP has removed the delimiter).
func (a *Authenticator) answer(req [][]byte) [][]byte {
	if len(req) < 6 || string(req[0]) != zmtp.ZAPVersion {
		id := []byte(nil)
		if len(req) > 1 {
			id = req[1]
		}
		return zapReply(id, zmtp.ZAPInternalError, "malformed request", nil)
	}
	id, domain, addr, mech, creds := req[1], string(req[2]), req[3], string(req[5]), req[6:]
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.deny[string(addr)] || (len(a.allow) > 0 && !a.allow[string(addr)]) {
		return zapReply(id, zmtp.ZAPAuthFailure, "address denied", nil)
	}
	switch {
	case mech == zmtp.MechanismNull && len(creds) == 0:
		return zapReply(id, zmtp.ZAPSuccess, "OK", nil)
	case mech == zmtp.MechanismPlain && len(creds) == 2:
		// Constant time: how long the comparison takes says nothing of
		// how much of a guess was right.
		if pass, ok := a.lookupPassword(domain, string(creds[0])); ok && subtle.ConstantTimeCompare([]byte(pass), creds[1]) == 1 {
			return zapReply(id, zmtp.ZAPSuccess, "OK", creds[0])
		}
		return zapReply(id, zmtp.ZAPAuthFailure, "bad username or password", nil)
	case mech == zmtp.MechanismCurve && len(creds) == 1 && len(creds[0]) == zmtp.CurveKeySize:
		key := zmtp.CurveKey(creds[0])
		if a.curveAllowed(domain, key) {
			return zapReply(id, zmtp.ZAPSuccess, "OK", []byte(key.Z85()))
		}
		return zapReply(id, zmtp.ZAPAuthFailure, "unknown key", nil)
	}
	return zapReply(id, zmtp.ZAPAuthFailure, "unsupported mechanism", nil)
}

// lookupPassword finds a user in the domain's table, else in "*"'s.
func (a *Authenticator) lookupPassword(domain, user string) (string, bool) {
	t, ok := a.passwords[domain]
	if !ok {
		t = a.passwords["*"]
	}
	p, ok := t[user]
	return p, ok
}

// curveAllowed applies the domain's CURVE rule, else "*"'s.
func (a *Authenticator) curveAllowed(domain string, key zmtp.CurveKey) bool {
	if a.curveAny[domain] || a.curveAny["*"] {
		return true
	}
	keys, ok := a.curveKeys[domain]
	if !ok {
		keys = a.curveKeys["*"]
	}
	_, ok = keys[key]
	return ok
}

// zapReply is a reply's frames after the delimiter REP adds back.
func zapReply(id []byte, status int, text string, user []byte) [][]byte {
	return zmtp.ZAPReplyFrames(id, zmtp.ZAPReply{Status: status, Text: text, UserID: user})[1:]
}

// logDecision logs one answered request, when SetLogger asked for it.
// req and rep are as answer takes and returns them.
func (a *Authenticator) logDecision(req, rep [][]byte) {
	a.mu.Lock()
	l := a.logger
	a.mu.Unlock()
	if l == nil || len(rep) < 5 {
		return
	}
	level := slog.LevelInfo
	if string(rep[2]) != "200" {
		level = slog.LevelWarn
	}
	field := func(i int) string {
		if i < len(req) {
			return string(req[i])
		}
		return ""
	}
	l.LogAttrs(context.Background(), level, "zring: ZAP decision",
		slog.String("domain", field(2)), slog.String("address", field(3)), slog.String("mechanism", field(5)),
		slog.String("status", string(rep[2])), slog.String("reason", string(rep[3])), slog.String("user_id", string(rep[4])))
}
