package zring

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
)

// wss:// runs ZWS 2.0 over TLS from Go's crypto/tls: no GnuTLS, and the
// certificate, key and trusted CAs are Go values. A wss bind needs a
// certificate; a wss connect verifies the server's chain against the
// system's roots, or WithTLSRootCAs, and its name against the endpoint's
// host, or WithTLSServerName.

// tlsConfig returns the socket's TLS configuration to change: a copy, so
// that sessions holding the previous one keep it unchanged.
func (o *options) tlsConfig() *tls.Config {
	if o.conn.TLS == nil {
		return &tls.Config{MinVersion: tls.VersionTLS12}
	}
	return o.conn.TLS.Clone()
}

// WithTLSConfig sets the whole TLS configuration of wss:// connections,
// copied; the other TLS options then change the copy. Use it for what
// they do not cover, such as client certificates (ClientAuth, ClientCAs)
// or cipher choices. nil is ErrInvalid.
func WithTLSConfig(cfg *tls.Config) Option {
	return func(o *options) error {
		if cfg == nil {
			return invalid("TLS config", "nil")
		}
		o.conn.TLS = cfg.Clone()
		return nil
	}
}

// WithTLSCertificate sets the certificate and private key a wss:// bind
// presents (libzmq's ZMQ_WSS_CERT_PEM and ZMQ_WSS_KEY_PEM); a connect
// presents it when the server asks for one. Load one with
// tls.LoadX509KeyPair or tls.X509KeyPair. A certificate without its key
// is ErrInvalid.
func WithTLSCertificate(cert tls.Certificate) Option {
	return func(o *options) error {
		if len(cert.Certificate) == 0 || cert.PrivateKey == nil {
			return fmt.Errorf("%w: TLS certificate without its chain or private key", ErrInvalid)
		}
		cfg := o.tlsConfig()
		cfg.Certificates = []tls.Certificate{cert}
		o.conn.TLS = cfg
		return nil
	}
}

// WithTLSRootCAs sets the CAs a wss:// connect trusts to sign the
// server's certificate (libzmq's ZMQ_WSS_TRUST_PEM) instead of the
// system's (ZMQ_WSS_TRUST_SYSTEM). nil restores the system's.
func WithTLSRootCAs(pool *x509.CertPool) Option {
	return func(o *options) error {
		cfg := o.tlsConfig()
		cfg.RootCAs = pool
		o.conn.TLS = cfg
		return nil
	}
}

// WithTLSServerName sets the name a wss:// connect expects in the
// server's certificate and sends as SNI (libzmq's ZMQ_WSS_HOSTNAME).
// Empty, the default, means the endpoint's host.
func WithTLSServerName(name string) Option {
	return func(o *options) error {
		cfg := o.tlsConfig()
		cfg.ServerName = name
		o.conn.TLS = cfg
		return nil
	}
}
