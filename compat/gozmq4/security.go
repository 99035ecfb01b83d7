//go:build linux

package zmq4

import (
	"io"

	"github.com/zring/zring"
)

// Security is upstream's interface for a ZMTP security mechanism. zring
// runs the handshake and the framing itself, so the adapter uses a
// Security only for what it names: Type NullSecurity is zring's NULL, a
// security/plain value zring's PLAIN. Handshake, Encrypt and Decrypt are
// never called by the adapter; a Security it does not recognise makes
// Listen and Dial fail with ErrNotMapped.
type Security interface {
	// Type returns the security mechanism type.
	Type() SecurityType

	// Handshake is upstream's hook to run the handshake on conn.
	Handshake(conn *Conn, server bool) error

	// Encrypt writes the encrypted form of data to w.
	Encrypt(w io.Writer, data []byte) (int, error)

	// Decrypt writes the decrypted form of data to w.
	Decrypt(w io.Writer, data []byte) (int, error)
}

// SecurityType names a ZMTP security mechanism.
type SecurityType string

// The security mechanism types.
const (
	// NullSecurity is the NULL mechanism: no authentication, no
	// encryption.
	NullSecurity SecurityType = "NULL"
	// PlainSecurity is the PLAIN mechanism: a user name and a password in
	// clear text.
	PlainSecurity SecurityType = "PLAIN"
	// CurveSecurity is the CURVE mechanism. Upstream has no CURVE
	// implementation, so there is none to mirror here.
	CurveSecurity SecurityType = "CURVE"
)

// Conn stands for upstream's ZMTP connection in the Security interface.
// zring's connections live in its engine and are never handed out, so a
// Conn is never made by the adapter; its methods fail with ErrNotMapped.
type Conn struct{}

// SendCmd fails: zring sends ZMTP commands itself.
func (*Conn) SendCmd(name string, body []byte) error {
	return notMapped("Conn.SendCmd: zring runs ZMTP handshakes itself")
}

// RecvCmd fails: zring receives ZMTP commands itself.
func (*Conn) RecvCmd() (Cmd, error) {
	return Cmd{}, notMapped("Conn.RecvCmd: zring runs ZMTP handshakes itself")
}

// PlainCredentials is implemented by security/plain's Security; the
// adapter reads the credentials through it.
type plainCredentials interface {
	PlainCredentials() (user, pass string)
}

// securityOptions returns zring's options for sec on the listening
// (server) or dialing side.
func securityOptions(sec Security, server bool) ([]zring.Option, error) {
	if sec == nil {
		return nil, nil
	}
	switch sec.Type() {
	case NullSecurity:
		return nil, nil // zring's default
	case PlainSecurity:
		p, ok := sec.(plainCredentials)
		if !ok {
			return nil, notMapped("a PLAIN Security not from security/plain")
		}
		if server {
			return []zring.Option{zring.WithPlainServer(true)}, nil
		}
		user, pass := p.PlainCredentials()
		return []zring.Option{zring.WithPlainServer(false), zring.WithPlainUsername(user), zring.WithPlainPassword(pass)}, nil
	}
	return nil, notMapped("security mechanism " + string(sec.Type()))
}

// nullSecurity is the NULL mechanism, the default.
type nullSecurity struct{}

// Type returns NullSecurity.
func (nullSecurity) Type() SecurityType { return NullSecurity }

// Handshake fails: zring runs the NULL handshake itself.
func (nullSecurity) Handshake(*Conn, bool) error {
	return notMapped("Security.Handshake: zring runs ZMTP handshakes itself")
}

// Encrypt writes data unchanged: NULL does not encrypt.
func (nullSecurity) Encrypt(w io.Writer, data []byte) (int, error) { return w.Write(data) }

// Decrypt writes data unchanged: NULL does not encrypt.
func (nullSecurity) Decrypt(w io.Writer, data []byte) (int, error) { return w.Write(data) }

var _ Security = nullSecurity{}
