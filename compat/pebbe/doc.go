/*
Package zmq4 is pebbe/zmq4's API (github.com/pebbe/zmq4 v1.4.0) on zring,
so that moving a program from pebbe/zmq4 to zring, and off cgo and libzmq,
is a change of its import path:

	import zmq "github.com/zring/zring/compat/pebbe"

The package is named zmq4 as upstream's is, so unqualified uses read the
same. Types, constants, functions and methods have pebbe/zmq4's names and
signatures: Context and the default context (NewSocket, Term, SetIoThreads
...), Socket with Send/Recv, SendMessage/RecvMessage, the Set... and Get... options
and the Server/ClientAuth* helpers, Poller, Reactor, Proxy and
ProxySteerable, Monitor and RecvEvent, the Auth* authentication handler,
Z85 and CURVE key functions, Errno and AsErrno. The upstream programs of
examples_security and upstream's own test suite run against it unchanged
but for the import (compat/pebbe's tests build them).

# Errors

Where pebbe/zmq4 returns an Errno, so does the adapter, mapped from zring's
sentinel errors: EAGAIN for a DONTWAIT call that would block or an expired
RCVTIMEO/SNDTIMEO, ETERM once the context is terminated, EFSM, ENOTSUP,
EINVAL (a bad argument or endpoint), EPROTONOSUPPORT (an unknown
transport), ENOENT (Unbind or Disconnect of an endpoint not bound or
connected), EADDRINUSE, EHOSTUNREACH, and the errno of a system call. So
err == zmq.ETERM and zmq.AsErrno(err) == zmq.ETERM both work, and an Errno
also matches zring's sentinel with errors.Is (ETERM is
zring.ErrTerminated). A closed socket is ErrorSocketClosed, a closed
context ErrorContextClosed, as upstream; a nil *Socket is ENOTSOCK and a
nil *Context EFAULT (upstream would panic). EAGAIN, EINVAL, ENOENT, EMFILE
and EFAULT are named here in addition to upstream's constants.

# What does not map

What zring has no equivalent of returns an error matching ENOTSUP and
errors.ErrUnsupported (AsErrno gives ENOTSUP), never a silent success:

  - socket options of transports and mechanisms zring lacks: RATE,
    RECOVERY_IVL and MULTICAST_MAXTPDU (pgm, norm), GSSAPI_*, VMCI_*;
    SOCKS_PROXY and TCP_ACCEPT_FILTER other than empty; ROUTER_RAW (use
    STREAM); USE_FD other than -1;
  - GetFd: a zring socket has no descriptor signalling its events (a
    Poller waits on sockets directly);
  - context options: THREAD_SCHED_POLICY and THREAD_PRIORITY other than
    -1, MAX_MSGSZ other than INT_MAX (zring limits sizes per socket:
    SetMaxmsgsize), IO_THREADS 0, and changing IO_THREADS after the
    context's first socket (libzmq ignores it).

HasPgm, HasTipc, HasNorm and HasGssapi report false. GetSocksProxy is ""
and Getusefd -1, what zring uses. SetRetryAfterEINTR is kept but changes
nothing: zring's calls are never interrupted by signals.

# Differences

  - Sockets are safe for concurrent use, as zring's are (GetThreadSafe is
    true). SendMessage sends its parts as one message, whole or not at all,
    and RecvMessage takes one whole.
  - The default context starts its I/O threads at its first socket, so a
    program that imports the package starts none; NewContext starts them at
    once (and again if SetIoThreads changes their number before the first
    socket). Term closes the sockets still open, where libzmq waits for the
    application to close them.
  - SetMaxSockets is enforced by counting the open sockets (EMFILE past
    it); zring itself has no limit. SetBlocky(false) gives new sockets a
    linger of 0, as libzmq does.
  - The authentication handler is the adapter's own, on a zring REP socket,
    with upstream's rules (domains, CIDR allow and deny lists, PLAIN users,
    CURVE keys, the metadata handler); see AuthStart. A PLAIN user must be
    in the table (upstream accepts an unknown user with an empty password)
    and verbose mode never logs passwords.
  - zring's own behaviours show through: pipe capacities are rounded up
    to a power of two (SNDHWM 1000 queues 1024), an accepted connection
    takes the socket's options when it is accepted (libzmq: at Bind), and
    Disconnect detaches the connection's pipe asynchronously.
  - Z85decode returns "" for text that is not Z85 (upstream returns zero
    bytes); a length that is not a multiple of 5 panics, as upstream.
  - (*Socket).String has a pointer receiver (upstream's has a value one),
    so that it answers for a nil *Socket too.

Sockets, contexts and pollers not closed are closed when garbage
collected, as upstream's are.
*/
package zmq4
