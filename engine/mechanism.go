//go:build linux

package engine

import "github.com/zring/zring/zmtp"

// newMechanism returns the handshake for a new connection of the session.
func (ss *Session) newMechanism() zmtp.Mechanism {
	cfg := zmtp.HandshakeConfig{Type: ss.opts.Type, Identity: ss.opts.RoutingID}
	sec := &ss.opts.Security
	switch {
	case sec.Mechanism == MechanismPlain && sec.Server:
		return zmtp.NewPlainServer(cfg)
	case sec.Mechanism == MechanismPlain:
		return zmtp.NewPlainClient(cfg, sec.Username, sec.Password)
	case sec.Mechanism == MechanismCurve && sec.Server:
		return zmtp.NewCurveServer(cfg, sec.CurveKeys())
	case sec.Mechanism == MechanismCurve:
		return zmtp.NewCurveClient(cfg, sec.CurveKeys())
	}
	// NULL consults ZAP only with a domain, as libzmq does.
	cfg.ZAP = sec.ZAPDomain != ""
	return zmtp.NewNull(cfg)
}

// zapOptional reports whether a handshake may go on without a ZAP handler:
// NULL (and CURVE) may, unless ZAP_ENFORCE_DOMAIN says otherwise; PLAIN
// never may.
func (ss *Session) zapOptional() bool {
	return ss.opts.Security.Mechanism != MechanismPlain && !ss.opts.Security.ZAPEnforceDomain
}
