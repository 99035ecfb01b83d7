// Package null mirrors github.com/go-zeromq/zmq4/security/null: the NULL
// security mechanism, for zmq4.WithSecurity. zring runs the NULL handshake
// itself; this value only names the mechanism.
package null
