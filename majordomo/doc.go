// Package majordomo implements the Majordomo Protocol, MDP/0.1 (spec
// 7/MDP, rfc.zeromq.org/spec/7), the service-oriented broker of the ZeroMQ
// Guide's chapter 4, on zring sockets, and MDP/0.2 (spec 18/MDP,
// rfc.zeromq.org/spec/18) beside it. Under MDP/0.1 it is wire-compatible
// with the Guide's programs (mdbroker, mdwrkapi, mdcliapi, mdcliapi2); it
// speaks the internal service mmi.service of spec 8/MMI under both.
//
// The version is a policy field, WorkerPolicy.Version and
// ClientPolicy.Version, whose zero value V01 is MDP/0.1. MDP/0.2 drops the
// empty frame before the header ("MDPC02", "MDPW02"), gives client
// messages a command frame, and lets a worker answer one request with zero
// or more PARTIAL replies before its FINAL one: Worker.ReplyPartial sends
// a PARTIAL and Worker.Reply the FINAL; Client.RequestStream yields them
// in order, AsyncClient.RecvPart reports which is final. The Broker needs
// no version: it serves both on one socket, telling them apart by each
// message's header, keeps each worker's version and translates between a
// client and a worker of different versions. A 0.1 client of a 0.2 worker
// receives the FINAL alone, as its REPLY: the PARTIALs have no 0.1 form
// and are dropped, counted in BrokerStats.Unrelayed. A 0.2 client of a 0.1
// worker receives its REPLY as a FINAL.
//
// A 0.2 Client never resends a request once a PARTIAL has come (the
// partials would arrive twice): silence for Timeout after one fails the
// request with ErrNoReply. No other MDP/0.2 implementation serves as an
// interoperability peer (the Guide's Python programs are MDP/0.1), so
// MDP/0.2 is tested zring with zring and against spec 18's frames on raw
// sockets.
//
// A Broker binds one ROUTER socket that serves clients and workers alike.
// It keeps, per service, a queue of requests and a list of waiting workers,
// heartbeats idle workers and forgets those that fall silent, answers
// mmi.service itself and drops (and counts) malformed messages.
//
// A Worker is one DEALER connection to a broker offering one service: Recv
// waits for a request, heartbeating meanwhile and reconnecting when the
// broker goes quiet; Reply answers it.
//
// A Client sends one request at a time and waits for the reply with a
// timeout, resending on a fresh socket up to a retry limit (mdcliapi). An
// AsyncClient sends and receives separately over a DEALER (mdcliapi2).
//
// Every blocking call takes a context.Context. Errors are sentinels to be
// compared with errors.Is. Frames passed in are copied; frames returned
// belong to the caller.
//
// Delivery is at least once: a retried request may reach a worker twice,
// so services should be idempotent, as the Guide says.
package majordomo
