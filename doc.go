// Package socket is zring's public API: ZeroMQ sockets over the engine's
// I/O threads.
//
// A Context owns the I/O threads; sockets are made from it:
//
//	ctx, _ := zring.NewContext()
//	defer ctx.Close()
//	s, _ := ctx.NewSocket(zring.Push)
//	s.Connect("tcp://127.0.0.1:5555")
//	s.Send([]byte("hello"), 0)
//
// # Two flavours of the API
//
// The easy API (Send, SendString, SendMulti, Recv, RecvString, RecvMulti)
// takes and returns ordinary byte slices. Send copies the caller's bytes into
// a pooled frame, so the caller may reuse its slice as soon as Send returns;
// Recv returns a fresh slice the caller owns.
//
// The zero-copy API (SendFrame, RecvFrame) moves *mempool.Frame values.
// SendFrame takes ownership of the frame when it returns nil; on error the
// caller still owns it. RecvFrame hands the caller a frame it owns and must
// Release. Neither copies the body.
//
// # Socket types and transports
//
// PAIR, PUB, SUB, REQ, REP, DEALER, ROUTER, PULL, PUSH, XPUB, XSUB and
// STREAM, with libzmq's semantics and numbering, over tcp://, ipc:// and
// inproc://. Options are typed (With...) and also settable by libzmq's
// option numbers (SetSockOpt, SockOpt); docs/options.md lists them. Poller
// waits on many sockets and file descriptors, Monitor reports connection
// events, and Proxy forwards between two sockets.
//
// # Security
//
// NULL, PLAIN (WithPlainServer, WithPlainUsername, WithPlainPassword) and
// CURVE (WithCurveServer, WithCurveSecretKey, WithCurveServerKey,
// WithCurvePublicKey) interoperate with libzmq. Servers ask the ZAP handler
// bound at inproc://zeromq.zap.01: a hand-written one, or an Authenticator.
// Metadata and RecvMultiMetadata give what the peer and the handler said
// about a message's connection, such as the User-Id.
//
// # Structure
//
// Each socket type is thin: it composes the load-balancer (lb.go), the
// fair-queue (fq.go), the fan-out (dist.go), subscription tries (trie.go,
// mtrie.go) and per-peer pipes (pipe.go) as libzmq does. A pipe is a pair
// of lock-free SPSC rings between the socket and one connection's session
// on an I/O thread, or, for inproc, another socket; see
// docs/architecture.md for the path of a message.
//
// Sockets are safe for concurrent use by several goroutines.
package zring
