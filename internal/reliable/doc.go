// Package reliable holds the reliability machinery that the Guide's
// chapter 4 builds once and reuses: the Lazy Pirate request loop (Client:
// a REQ that does not trust its server, resending on a fresh socket after
// each timeout) and the Paranoid Pirate worker link (Link: a DEALER that
// says hello, heartbeats its peer, counts down liveness while the peer is
// silent and reconnects after a backoff). Package pirate wraps them as
// LazyClient and Worker; package majordomo, which the Guide builds on the
// same ideas, as Client and Worker.
//
// Each user supplies its protocol's parts: the frames a Link sends on
// connect, as a heartbeat and as a goodbye, how an incoming message is
// handled, the reconnect backoff, how a Client vets a reply, and the
// errors a caller sees. This package imports only the root zring package
// and the standard library. Frames passed in are copied; frames returned
// belong to the caller.
package reliable
