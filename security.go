package zring

import (
	"fmt"

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
// socket PLAIN, CURVE_SERVER or any CURVE key makes it CURVE.
type security struct {
	mechanism        int
	server           bool
	username         []byte
	password         []byte
	curvePublic      zmtp.CurveKey // as set; zero if not
	curveSecret      zmtp.CurveKey
	curveDerived     zmtp.CurveKey // curveSecret's public key
	curveServer      zmtp.CurveKey
	zapDomain        string
	zapEnforceDomain bool
}

// WithPlainServer(true) makes the socket a PLAIN server (ZMQ_PLAIN_SERVER):
// it asks the ZAP handler at inproc://zeromq.zap.01 about every client and,
// with no handler, refuses them all, as libzmq does. false returns it to
// NULL.
func WithPlainServer(on bool) Option { return serverOption(MechanismPlain, on) }

// serverOption makes the socket a server of mechanism, or NULL when off.
func serverOption(mechanism int, on bool) Option {
	return func(o *options) error {
		o.sec.server = on
		o.sec.mechanism = MechanismNull
		if on {
			o.sec.mechanism = mechanism
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

// WithCurveServer(true) makes the socket a CURVE server
// (ZMQ_CURVE_SERVER); it needs WithCurveSecretKey. It asks the ZAP handler
// at inproc://zeromq.zap.01 about each client's public key and, with no
// handler, accepts every client that completes the handshake, as libzmq
// does (WithZAPEnforceDomain refuses them instead). false returns the
// socket to NULL.
func WithCurveServer(on bool) Option { return serverOption(MechanismCurve, on) }

// WithCurvePublicKey sets the socket's long-term CURVE public key
// (ZMQ_CURVE_PUBLICKEY): 40 characters of Z85 or 32 raw bytes. It makes
// the socket CURVE. When it is not set, the public key of
// WithCurveSecretKey's key is used.
func WithCurvePublicKey(key string) Option {
	return curveKeyOption("CURVE_PUBLICKEY", key, func(s *security, k zmtp.CurveKey) { s.curvePublic = k })
}

// WithCurveSecretKey sets the socket's long-term CURVE secret key
// (ZMQ_CURVE_SECRETKEY): 40 characters of Z85 or 32 raw bytes. It makes
// the socket CURVE. The socket keeps a copy for as long as it lives.
func WithCurveSecretKey(key string) Option {
	return curveKeyOption("CURVE_SECRETKEY", key, func(s *security, k zmtp.CurveKey) {
		s.curveSecret, s.curveDerived = k, zmtp.CurvePublicKey(k)
	})
}

// WithCurveServerKey makes the socket a CURVE client of the server with
// this public key (ZMQ_CURVE_SERVERKEY): 40 characters of Z85 or 32 raw
// bytes. The client also needs WithCurveSecretKey.
func WithCurveServerKey(key string) Option {
	return curveKeyOption("CURVE_SERVERKEY", key, func(s *security, k zmtp.CurveKey) {
		s.curveServer = k
		s.server = false
	})
}

// curveKeyOption parses a key and stores it with set, making the socket
// CURVE.
func curveKeyOption(name, key string, set func(*security, zmtp.CurveKey)) Option {
	return func(o *options) error {
		k, err := zmtp.ParseCurveKey(key)
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrInvalid, name, err)
		}
		set(&o.sec, k)
		o.sec.mechanism = MechanismCurve
		return nil
	}
}

// check reports settings a connection cannot start with: a CURVE socket
// without its secret key, or a CURVE client without the server's key.
func (s *security) check() error {
	if s.mechanism != MechanismCurve {
		return nil
	}
	if s.curveSecret == (zmtp.CurveKey{}) {
		return fmt.Errorf("%w: CURVE needs CURVE_SECRETKEY", ErrInvalid)
	}
	if !s.server && s.curveServer == (zmtp.CurveKey{}) {
		return fmt.Errorf("%w: a CURVE client needs CURVE_SERVERKEY", ErrInvalid)
	}
	return nil
}

// curveKeys returns the keys of a CURVE handshake.
func (s *security) curveKeys() zmtp.CurveKeys {
	pub := s.curvePublic
	if pub == (zmtp.CurveKey{}) {
		pub = s.curveDerived
	}
	return zmtp.CurveKeys{Public: pub, Secret: s.curveSecret, Server: s.curveServer}
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
	cfg := zmtp.HandshakeConfig{Type: ss.sock.typ, Identity: ss.opts.RoutingID}
	sec := &ss.opts.sec
	switch {
	case sec.mechanism == MechanismPlain && sec.server:
		return zmtp.NewPlainServer(cfg)
	case sec.mechanism == MechanismPlain:
		return zmtp.NewPlainClient(cfg, sec.username, sec.password)
	case sec.mechanism == MechanismCurve && sec.server:
		return zmtp.NewCurveServer(cfg, sec.curveKeys())
	case sec.mechanism == MechanismCurve:
		return zmtp.NewCurveClient(cfg, sec.curveKeys())
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
