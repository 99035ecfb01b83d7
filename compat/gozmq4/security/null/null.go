//go:build linux

package null

import (
	"io"

	zmq4 "github.com/zring/zring/compat/gozmq4"
)

type security struct{}

// Security returns the NULL mechanism: no authentication, no encryption.
func Security() zmq4.Security { return security{} }

// Type returns zmq4.NullSecurity.
func (security) Type() zmq4.SecurityType { return zmq4.NullSecurity }

// Handshake fails with an error wrapping zmq4.ErrNotMapped: zring runs the
// handshake itself and never calls it.
func (security) Handshake(*zmq4.Conn, bool) error {
	return zmq4.ErrNotMapped
}

// Encrypt writes data unchanged: NULL does not encrypt.
func (security) Encrypt(w io.Writer, data []byte) (int, error) { return w.Write(data) }

// Decrypt writes data unchanged: NULL does not encrypt.
func (security) Decrypt(w io.Writer, data []byte) (int, error) { return w.Write(data) }
