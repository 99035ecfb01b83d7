// Package plain mirrors github.com/go-zeromq/zmq4/security/plain: the
// PLAIN security mechanism (RFC 24), for zmq4.WithSecurity, on zring's.
//
// A socket that dials sends the user name and password. A socket that
// listens is a PLAIN server, which, as in libzmq and unlike upstream (whose
// server admits any credentials, a FIXME there), asks the ZAP handler of
// the adapter's context about each client: bind a zring.Authenticator on
// zmq4.SharedContext and give it the passwords (SetPasswords); with no
// handler every client is refused.
package plain
