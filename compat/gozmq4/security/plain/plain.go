//go:build linux

package plain

import (
	"io"

	zmq4 "github.com/zring/zring/compat/gozmq4"
)

type security struct{ user, pass string }

// Security returns the PLAIN mechanism with these credentials (used when
// the socket dials).
func Security(user, pass string) zmq4.Security { return &security{user, pass} }

// Type returns zmq4.PlainSecurity.
func (*security) Type() zmq4.SecurityType { return zmq4.PlainSecurity }

// PlainCredentials returns the user name and password, for the adapter,
// which hands them to zring.
func (s *security) PlainCredentials() (user, pass string) { return s.user, s.pass }

// Handshake fails with zmq4.ErrNotMapped: zring runs the handshake itself
// and never calls it.
func (*security) Handshake(*zmq4.Conn, bool) error { return zmq4.ErrNotMapped }

// Encrypt writes data unchanged: PLAIN does not encrypt.
func (*security) Encrypt(w io.Writer, data []byte) (int, error) { return w.Write(data) }

// Decrypt writes data unchanged: PLAIN does not encrypt.
func (*security) Decrypt(w io.Writer, data []byte) (int, error) { return w.Write(data) }
