// Package zring is ZeroMQ for Go, in pure Go: the one package applications
// import. It holds the whole user API: Context, Socket and the socket
// types, typed options and libzmq's option numbers, the sentinel errors,
// Poller, Monitor, Proxy and the ZAP Authenticator, with frames (Frame) and
// CURVE keys (CurveKey) reachable from here.
//
// Runs on Linux (kernel 5.x and later) only, for now; elsewhere NewContext
// returns an error matching errors.ErrUnsupported.
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
// The zero-copy API (SendFrame, RecvFrame) moves *Frame values (NewFrame,
// FrameOf).
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
// # Where things are
//
// This package is the top of the stack; below it each folder has one role,
// and docs/architecture.md draws the imports between them:
//
//   - socket: the socket types built from parts as in libzmq, the
//     load-balancer, fair-queue, fan-out, subscription tries and the
//     ROUTER's routing table, behind socket.Pattern.
//   - engine: the I/O threads and, on them, the per-connection ZMTP
//     engines: sessions, connections, listeners, reconnection,
//     heartbeats, handshakes, ZAP requests, endpoints. It reaches a socket
//     only through engine.Socket.
//   - internal/pipe: the pipe between a socket and one peer, two lock-free
//     SPSC rings of whole messages, with an API for each end.
//   - zmtp: the codec and the security mechanisms, with no I/O.
//   - mempool: pooled, refcounted frames. ring: SPSC rings and wakeups.
//     poll: the epoll and io_uring backends. affinity: CPU pinning.
//
// engine, ring, poll, mempool and affinity are public for those who embed
// the engine; they are lower-level APIs that may change.
//
// # The path of a message
//
// Send copies the bytes into a pooled frame and, under the socket's mutex,
// hands the whole message to the socket type's Pattern, which writes it
// into the chosen peer's pipe. If that peer's session was asleep, the
// sending goroutine either writes the message to the connection itself
// (after an idle spell) or wakes the session's I/O thread, which encodes
// batches of messages and writes them with one syscall. On the way in, an
// I/O thread reads and decodes into the pipe and wakes the socket if it
// slept; Recv takes the message from the Pattern. Over inproc two sockets
// share a pipe's rings and no I/O thread is involved.
//
// Sockets are safe for concurrent use by several goroutines.
package zring
