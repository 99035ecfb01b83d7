// Package zmq4 is a drop-in adapter that mirrors the API of
// github.com/go-zeromq/zmq4 (v0.17.0) on top of zring, so that a program
// moves from go-zeromq/zmq4 to zring by changing its import path to
// github.com/zring/zring/compat/gozmq4 (the package name stays zmq4).
//
// It is a thin mapping layer: every socket is a *zring.Socket of the same
// type, made from one zring.Context shared by the whole process (see
// SharedContext), so inproc:// works between any two sockets of the
// adapter as it does in go-zeromq/zmq4. The context.Context given to a
// constructor is the socket's life-line, as upstream: when it ends the
// socket closes and a blocked Recv or Send returns its error.
//
// What maps, and how, is in docs/migrating.md. What does not map
// (user-written Security mechanisms, RegisterTransport, goczmq socket
// options, Topics on PUB/XPUB) either does not compile, where upstream's
// type cannot be mirrored honestly, or returns an error wrapping
// ErrNotMapped; nothing is silently ignored.
package zmq4
