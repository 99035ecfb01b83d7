// Package pirate implements the Pirate patterns of the ZeroMQ Guide's
// chapter 4 on zring sockets.
//
// LazyClient is the Lazy Pirate: a REQ client that waits a bounded time
// for each reply and, on a timeout, closes its socket, backs off, opens a
// fresh one and resends, up to a retry limit; then it reports ErrNoReply.
//
// Queue and Worker are the Paranoid Pirate (spec 6/PPP,
// rfc.zeromq.org/spec/6): a queue with a ROUTER for clients and a ROUTER
// for workers that hands each request to the least recently used ready
// worker, and workers that say READY, heartbeat the queue both ways and
// reconnect with exponential backoff when it falls silent. Both speak the
// Guide's ppqueue and ppworker wire format ("\x01" READY, "\x02"
// HEARTBEAT, single frames).
//
// Every blocking call takes a context.Context; errors are sentinels for
// errors.Is. Frames passed in are copied; frames returned belong to the
// caller. Delivery is at least once: a retried request may be served
// twice.
package pirate
