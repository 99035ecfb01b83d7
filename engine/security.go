package engine

import (
	"fmt"

	"github.com/zring/zring/internal/zerr"
	"github.com/zring/zring/zmtp"
)

// Mechanism numbers, as ZMQ_MECHANISM reports them.
const (
	MechanismNull  = 0
	MechanismPlain = 1
	MechanismCurve = 2
)

// Security is a socket's mechanism settings, copied into each session. As
// in libzmq, the last mechanism option set wins: PLAIN_SERVER or a PLAIN
// username makes the socket PLAIN, CURVE_SERVER or any CURVE key makes it
// CURVE. Its String never shows the password or the secret key.
type Security struct {
	Mechanism        int  // MechanismNull, MechanismPlain or MechanismCurve
	Server           bool // PLAIN_SERVER or CURVE_SERVER
	Username         []byte
	Password         []byte
	CurvePublic      zmtp.CurveKey // as set; zero if not
	CurveSecret      zmtp.CurveKey
	CurveDerived     zmtp.CurveKey // CurveSecret's public key
	CurveServer      zmtp.CurveKey
	ZAPDomain        string
	ZAPEnforceDomain bool
}

// String names the mechanism and role, never a credential.
func (s Security) String() string {
	role := "client"
	if s.Server {
		role = "server"
	}
	switch s.Mechanism {
	case MechanismPlain:
		return "PLAIN " + role
	case MechanismCurve:
		return "CURVE " + role
	}
	return "NULL"
}

// mechanismName is the mechanism as the greeting and ZWS 2.0's
// subprotocols name it.
func (s *Security) mechanismName() string {
	switch s.Mechanism {
	case MechanismPlain:
		return zmtp.MechanismPlain
	case MechanismCurve:
		return zmtp.MechanismCurve
	}
	return zmtp.MechanismNull
}

// Format prints what String does for every verb, so that %v, %+v and %#v
// of a struct holding a Security show no credential either.
func (s Security) Format(f fmt.State, _ rune) { fmt.Fprint(f, s.String()) }

// Check reports settings a connection cannot start with: zerr.ErrInvalid for a
// CURVE socket without its secret key, or a CURVE client without the
// server's key.
func (s *Security) Check() error {
	if s.Mechanism != MechanismCurve {
		return nil
	}
	if s.CurveSecret == (zmtp.CurveKey{}) {
		return fmt.Errorf("%w: CURVE needs CURVE_SECRETKEY", zerr.ErrInvalid)
	}
	if !s.Server && s.CurveServer == (zmtp.CurveKey{}) {
		return fmt.Errorf("%w: a CURVE client needs CURVE_SERVERKEY", zerr.ErrInvalid)
	}
	return nil
}

// CurveKeys returns the keys of a CURVE handshake: the public key as set,
// or else the secret key's.
func (s *Security) CurveKeys() zmtp.CurveKeys {
	pub := s.CurvePublic
	if pub == (zmtp.CurveKey{}) {
		pub = s.CurveDerived
	}
	return zmtp.CurveKeys{Public: pub, Secret: s.CurveSecret, Server: s.CurveServer}
}
