package zring

import (
	"fmt"

	"github.com/zring/zring/engine"
	"github.com/zring/zring/zmtp"
)

// Mechanism numbers, as ZMQ_MECHANISM reports them.
const (
	MechanismNull  = engine.MechanismNull
	MechanismPlain = engine.MechanismPlain
	MechanismCurve = engine.MechanismCurve
)

// WithPlainServer(true) makes the socket a PLAIN server (ZMQ_PLAIN_SERVER):
// it asks the ZAP handler at inproc://zeromq.zap.01 about every client and,
// with no handler, refuses them all, as libzmq does. false returns it to
// NULL.
func WithPlainServer(on bool) Option { return serverOption(MechanismPlain, on) }

// serverOption makes the socket a server of mechanism, or NULL when off.
func serverOption(mechanism int, on bool) Option {
	return func(o *options) error {
		o.conn.Security.Server = on
		o.conn.Security.Mechanism = MechanismNull
		if on {
			o.conn.Security.Mechanism = mechanism
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
		o.conn.Security.Username = []byte(user)
		o.conn.Security.Server = false
		o.conn.Security.Mechanism = MechanismNull
		if user != "" {
			o.conn.Security.Mechanism = MechanismPlain
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
		o.conn.Security.Password = []byte(pass)
		o.conn.Security.Server = false
		o.conn.Security.Mechanism = MechanismPlain
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
// (ZMQ_CURVE_PUBLICKEY). It makes the socket CURVE. When it is not set,
// the public key of WithCurveSecretKey's key is used. ParseCurveKey reads
// a key's Z85 text (or its 32 bytes).
func WithCurvePublicKey(key CurveKey) Option {
	return curveKeyOption(key, setCurvePublic)
}

// WithCurveSecretKey sets the socket's long-term CURVE secret key
// (ZMQ_CURVE_SECRETKEY). It makes the socket CURVE. The socket keeps a
// copy for as long as it lives.
func WithCurveSecretKey(key CurveKey) Option {
	return curveKeyOption(key, setCurveSecret)
}

// WithCurveServerKey makes the socket a CURVE client of the server with
// this public key (ZMQ_CURVE_SERVERKEY). The client also needs
// WithCurveSecretKey.
func WithCurveServerKey(key CurveKey) Option {
	return curveKeyOption(key, setCurveServer)
}

func setCurvePublic(s *engine.Security, k zmtp.CurveKey) { s.CurvePublic = k }

func setCurveSecret(s *engine.Security, k zmtp.CurveKey) {
	s.CurveSecret, s.CurveDerived = k, zmtp.CurvePublicKey(k)
}

func setCurveServer(s *engine.Security, k zmtp.CurveKey) {
	s.CurveServer = k
	s.Server = false
}

// curveKeyOption stores a key with set, making the socket CURVE.
func curveKeyOption(key CurveKey, set func(*engine.Security, zmtp.CurveKey)) Option {
	return func(o *options) error {
		set(&o.conn.Security, key)
		o.conn.Security.Mechanism = MechanismCurve
		return nil
	}
}

// curveKeyText is a by-number CURVE key option (SetSockOpt): 40
// characters of Z85 or 32 raw bytes, as libzmq takes them.
func curveKeyText(name string, set func(*engine.Security, zmtp.CurveKey)) func(string) Option {
	return func(text string) Option {
		return func(o *options) error {
			k, err := zmtp.ParseCurveKey(text)
			if err != nil {
				return fmt.Errorf("%w: %s: %w", ErrInvalid, name, err)
			}
			return curveKeyOption(k, set)(o)
		}
	}
}

// WithZAPDomain sets the domain sent in ZAP requests (ZMQ_ZAP_DOMAIN). A
// NULL server consults ZAP only when it is set.
func WithZAPDomain(domain string) Option {
	return func(o *options) error {
		if len(domain) > 255 {
			return invalid("ZAP_DOMAIN length", len(domain))
		}
		o.conn.Security.ZAPDomain = domain
		return nil
	}
}

// WithZAPEnforceDomain(true) refuses clients when no ZAP handler is bound
// (ZMQ_ZAP_ENFORCE_DOMAIN), where libzmq's default lets NULL and CURVE
// servers accept them.
func WithZAPEnforceDomain(on bool) Option {
	return func(o *options) error { o.conn.Security.ZAPEnforceDomain = on; return nil }
}
