package zring

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"fmt"
)

// libzmq's ZMQ_WSS_* options by number (SetSockOpt), for code ported from
// libzmq: PEM text in, the same crypto/tls configuration out as the typed
// options make. The certificate and its key come in two options, in
// either order; the pair takes effect once both are set.

// wssPEM holds what the numbered options gave until they make a whole.
type wssPEM struct {
	cert, key   []byte
	trust       []byte
	trustSystem bool // ZMQ_WSS_TRUST_SYSTEM; libzmq's default is off
}

// withWSSPEM sets one PEM option (cert: ZMQ_WSS_CERT_PEM, else
// ZMQ_WSS_KEY_PEM) and, once both are there, the certificate.
func withWSSPEM(cert bool, pem []byte) Option {
	return func(o *options) error {
		p := o.wss
		if cert {
			p.cert = bytes.Clone(pem)
		} else {
			p.key = bytes.Clone(pem)
		}
		if p.cert != nil && p.key != nil {
			pair, err := tls.X509KeyPair(p.cert, p.key)
			if err != nil {
				return fmt.Errorf("%w: WSS_CERT_PEM and WSS_KEY_PEM: %v", ErrInvalid, err)
			}
			if err := WithTLSCertificate(pair)(o); err != nil {
				return err
			}
		}
		o.wss = p
		return nil
	}
}

// withWSSTrust sets ZMQ_WSS_TRUST_PEM (pem non-nil) or
// ZMQ_WSS_TRUST_SYSTEM. Once either is set by number, a wss connect
// trusts what they say, as libzmq does: the CAs in the PEM, and the
// system's only with TRUST_SYSTEM 1 (libzmq's default is 0, so TRUST_PEM
// alone trusts its CAs alone, and neither trusts nothing).
func withWSSTrust(pem []byte, system *bool) Option {
	return func(o *options) error {
		p := o.wss
		if pem != nil {
			p.trust = bytes.Clone(pem)
		}
		if system != nil {
			p.trustSystem = *system
		}
		var pool *x509.CertPool // nil: the system's, as crypto/tls finds them
		switch {
		case p.trust == nil && p.trustSystem:
		case p.trustSystem:
			sys, err := x509.SystemCertPool()
			if err != nil {
				return fmt.Errorf("%w: WSS_TRUST_SYSTEM: %v", ErrInvalid, err)
			}
			pool = sys
		default:
			pool = x509.NewCertPool()
		}
		if p.trust != nil && !pool.AppendCertsFromPEM(p.trust) {
			return fmt.Errorf("%w: WSS_TRUST_PEM holds no certificate", ErrInvalid)
		}
		if err := WithTLSRootCAs(pool)(o); err != nil {
			return err
		}
		o.wss = p
		return nil
	}
}
