// Package pipe joins a socket to one peer: a pair of lock-free SPSC rings
// of whole messages, libzmq's pipe_t. One end belongs to the socket (Pipe,
// used by the socket and its pattern under the socket's mutex); the other
// to whoever serves the peer: a connection's session on an I/O thread
// (SessionEnd), or, over inproc, another socket's Pipe sharing the same
// rings.
//
// Each direction's capacity is its high-water mark. A message is written
// whole, so a multipart message is delivered whole or not at all. When a
// reader finds its ring empty it declares itself asleep, and the writer's
// next Flush reports it; when a writer finds the ring full it parks, and the
// reader's next Release reports it. Whoever learns of a sleeper wakes it:
// the socket's end through its Far, the session's end by a command to the
// socket (its methods return a wake flag).
//
// Under CONFLATE a one-message slot replaces each ring (conflate.go), and
// both ends apply that rule here, once.
package pipe
