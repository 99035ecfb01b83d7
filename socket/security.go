package socket

import (
	"github.com/zring/zring/zmtp"
)

// Mechanism numbers, as ZMQ_MECHANISM reports them.
const (
	MechanismNull  = 0
	MechanismPlain = 1
	MechanismCurve = 2
)

// security is a socket's mechanism settings. As in libzmq, the last
// mechanism option set wins: PLAIN_SERVER or a PLAIN username makes the
// socket PLAIN, CURVE_SERVER or a server key makes it CURVE.
type security struct {
	mechanism        int
	server           bool
	username         []byte
	password         []byte
	zapDomain        string
	zapEnforceDomain bool
}

// WithPlainServer(true) makes the socket a PLAIN server (ZMQ_PLAIN_SERVER):
// it asks the ZAP handler at inproc://zeromq.zap.01 about every client and,
// with no handler, refuses them all, as libzmq does. false returns it to
// NULL.
func WithPlainServer(on bool) Option {
	return func(o *options) error {
		o.sec.server = on
		o.sec.mechanism = MechanismNull
		if on {
			o.sec.mechanism = MechanismPlain
		}
		return nil
	}
}

// WithPlainUsername makes the socket a PLAIN client with this username
// (ZMQ_PLAIN_USERNAME, at most 255 bytes); an empty one returns it to NULL.
func WithPlainUsername(user string) Option {
	return func(o *options) error {
		if len(user) > zmtp.MaxPlainField {
			return invalid("PLAIN_USERNAME length", len(user))
		}
		o.sec.username = []byte(user)
		o.sec.server = false
		o.sec.mechanism = MechanismNull
		if user != "" {
			o.sec.mechanism = MechanismPlain
		}
		return nil
	}
}

// WithPlainPassword sets the PLAIN client's password (ZMQ_PLAIN_PASSWORD,
// at most 255 bytes) and makes the socket a PLAIN client, as libzmq does.
func WithPlainPassword(pass string) Option {
	return func(o *options) error {
		if len(pass) > zmtp.MaxPlainField {
			return invalid("PLAIN_PASSWORD length", len(pass))
		}
		o.sec.password = []byte(pass)
		o.sec.server = false
		o.sec.mechanism = MechanismPlain
		return nil
	}
}

// WithZAPDomain sets the domain sent in ZAP requests (ZMQ_ZAP_DOMAIN). A
// NULL server consults ZAP only when it is set.
func WithZAPDomain(domain string) Option {
	return func(o *options) error {
		if len(domain) > 255 {
			return invalid("ZAP_DOMAIN length", len(domain))
		}
		o.sec.zapDomain = domain
		return nil
	}
}

// WithZAPEnforceDomain(true) refuses clients when no ZAP handler is bound
// (ZMQ_ZAP_ENFORCE_DOMAIN), where libzmq's default lets NULL and CURVE
// servers accept them.
func WithZAPEnforceDomain(on bool) Option {
	return func(o *options) error { o.sec.zapEnforceDomain = on; return nil }
}

// newMechanism returns the handshake for a new connection of the session.
func (ss *session) newMechanism() zmtp.Mechanism {
	cfg := zmtp.HandshakeConfig{Type: ss.sock.typ, Identity: ss.opts.routingID}
	sec := &ss.opts.sec
	switch {
	case sec.mechanism == MechanismPlain && sec.server:
		return zmtp.NewPlainServer(cfg)
	case sec.mechanism == MechanismPlain:
		return zmtp.NewPlainClient(cfg, sec.username, sec.password)
	}
	// NULL consults ZAP only with a domain, as libzmq does.
	cfg.ZAP = sec.zapDomain != ""
	return zmtp.NewNull(cfg)
}

// zapOptional reports whether a handshake may go on without a ZAP handler:
// NULL (and CURVE) may, unless ZAP_ENFORCE_DOMAIN says otherwise; PLAIN
// never may.
func (ss *session) zapOptional() bool {
	return ss.opts.sec.mechanism != MechanismPlain && !ss.opts.sec.zapEnforceDomain
}
