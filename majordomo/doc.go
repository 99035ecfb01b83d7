// Package majordomo implements the Majordomo Protocol, MDP/0.1 (spec
// 7/MDP, rfc.zeromq.org/spec/7), the service-oriented broker of the ZeroMQ
// Guide's chapter 4, on zring sockets. It is wire-compatible with the
// Guide's programs (mdbroker, mdwrkapi, mdcliapi, mdcliapi2) and speaks the
// internal service mmi.service of spec 8/MMI.
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
