// Package testpeer drives a real libzmq socket from Go tests, so that zring
// can be checked for wire compatibility with libzmq 4.3 (interop tests).
//
// Start launches /usr/bin/python3 running the embedded peer.py (pyzmq over
// the system libzmq) in a child process and talks to it over stdin/stdout.
// The harness never skips: if /usr/bin/python3 or its zmq module is missing
// the test fails with an install hint (apt-get install python3-zmq), because
// a silently skipped interop test is worse than a failing one.
//
// # Command protocol
//
// Each command is one line on the child's stdin, arguments separated by
// single spaces; each command gets exactly one reply line on stdout. Binary
// data is hex; a multipart message is its frames in hex separated by commas,
// the empty frame written as "-" (so ["", "AB"] is "-,4142").
//
//	socket TYPE               ok        (PAIR PUB SUB REQ REP DEALER ROUTER PULL PUSH XPUB XSUB; replaces any open socket)
//	setsockopt NAME VALUE     ok        (integer options in decimal; bytes options such as ROUTING_ID, SUBSCRIBE, UNSUBSCRIBE in hex or "-")
//	getsockopt NAME           ok VALUE  (decimal, or hex / "-" for bytes options)
//	bind ENDPOINT             ok ENDPOINT_ACTUALLY_BOUND (LAST_ENDPOINT, so tcp://127.0.0.1:* works)
//	connect|unbind|disconnect ENDPOINT  ok
//	send FRAMES               ok        (blocking multipart send; honours SNDTIMEO)
//	recv                      msg FRAMES (honours RCVTIMEO: err EAGAIN on timeout)
//	recvn N                   msg FRAMES;FRAMES;...  (N messages on one line)
//	recvprops NAME[,NAME...]  ok FRAMES VALUES (one message and its zmq_msg_gets properties: hex values, "-" empty, "?" absent)
//	sendbig SIZE              ok        (one frame of SIZE bytes, byte i = i%251, see Pattern)
//	recvcheck                 ok N SHA256HEX (total size and SHA-256 of the concatenated frames of one message)
//	echo N                    ok        (N times: receive a message, send it back unchanged)
//	monitor                   ok        (starts a socket monitor)
//	events                    ok [NAME:VALUE ...] (drains pending monitor events, e.g. HANDSHAKE_SUCCEEDED:0)
//	close                     ok        (closes the socket, honouring LINGER)
//	quit                      ok, then the process terminates the context and exits 0
//
// Any failure is answered with "err CLASS message", where CLASS is the libzmq
// errno name (EAGAIN, EFSM, EHOSTUNREACH, ...), EINVAL for a malformed
// command, or EPYTHON for an unexpected Python exception. The first line the
// child prints is "ready LIBZMQ_VERSION PYZMQ_VERSION". The child exits when
// its stdin closes (forcibly after a short grace period if it is blocked).
//
// # Draft peer
//
// StartDraft runs draftpeer/draftpeer.c instead, compiled once against
// libzmq 4.3.5 built with the draft API (`make peers` puts it in
// .peers/libzmq; $ZRING_LIBZMQ_DRAFT names another prefix), for the draft
// socket types Debian's libzmq lacks. It speaks a subset of the protocol,
// with single-part messages as hex and routing ids in decimal:
//
//	socket TYPE               ok        (also SERVER CLIENT RADIO DISH GATHER SCATTER DGRAM PEER CHANNEL)
//	setsockopt NAME VALUE     ok        (SNDHWM RCVHWM LINGER RCVTIMEO SNDTIMEO HEARTBEAT_IVL WSS_TRUST_SYSTEM;
//	                                     HELLO_MSG DISCONNECT_MSG HICCUP_MSG SUBSCRIBE ROUTING_ID
//	                                     WSS_KEY_PEM WSS_CERT_PEM WSS_TRUST_PEM WSS_HOSTNAME in hex)
//	bind ENDPOINT             ok ENDPOINT_ACTUALLY_BOUND
//	connect ENDPOINT          ok
//	connectpeer ENDPOINT      ok ROUTING_ID (zmq_connect_peer, for PEER)
//	send HEX                  ok
//	sendto ROUTING_ID HEX     ok        (zmq_msg_set_routing_id, for SERVER and PEER)
//	recv                      ok ROUTING_ID HEX (zmq_msg_routing_id, 0 when none)
//	join GROUP_HEX            ok        (zmq_join, for DISH; leave GROUP_HEX: zmq_leave)
//	sendgroup GROUP_HEX HEX   ok        (zmq_msg_set_group, for RADIO)
//	recvgroup                 ok GROUP_HEX HEX (zmq_msg_group, for DISH)
//	sendmulti HEX HEX...      ok        (one message of these parts, for DGRAM)
//	recvmulti                 ok HEX HEX... (every part of the next message)
//	quit                      ok, then the process exits 0
//
// Its first line is "ready LIBZMQ_VERSION draftpeer". A missing libzmq
// 4.3.5 fails the test with the hint to build it.
package testpeer
