package engine

import (
	"crypto/tls"
	"time"

	"github.com/zring/zring/zmtp"
)

// SessionOptions are the socket options a session and its connections use:
// a snapshot taken when the session registers, so changing an option
// affects later connections only, as in libzmq.
type SessionOptions struct {
	Type       zmtp.SocketType
	SndHWM     int    // outbound ring capacity, messages
	RcvHWM     int    // inbound ring capacity, messages
	RoutingID  []byte // announced as Identity
	MaxMsgSize int64  // < 0: unlimited
	// ConnectRoutingID names the peer of this connect (ROUTER, STREAM).
	ConnectRoutingID []byte
	// Immediate: attach the pipe only once the handshake completed
	// (ZMQ_IMMEDIATE).
	Immediate bool
	// Conflate keeps only the latest message per direction (ZMQ_CONFLATE).
	Conflate bool
	// HelloMsg goes to the peer first on each new connection
	// (ZMQ_HELLO_MSG); DisconnectMsg reaches the socket when an accepted
	// connection that was up fails (ZMQ_DISCONNECT_MSG), HiccupMsg when a
	// connected one does (ZMQ_HICCUP_MSG). Empty: none. Each applies to
	// the socket types libzmq 4.3.5 gives it (notice.go).
	HelloMsg, DisconnectMsg, HiccupMsg []byte

	HandshakeIvl time.Duration // 0: no limit
	// Heartbeats (conn_heartbeat.go); 0 disables.
	HeartbeatIvl     time.Duration
	HeartbeatTimeout time.Duration // 0: the interval
	HeartbeatTTL     time.Duration
	// Reconnection (reconnect.go).
	ReconnectIvl    time.Duration // < 0 or 0: never reconnect
	ReconnectIvlMax time.Duration // 0: no backoff
	ReconnectStop   int           // ReconnectStop* flags
	ConnectTimeout  time.Duration // 0: the OS's

	TCP       TCPOptions
	Multicast MulticastOptions // udp:// senders to a group
	Security  Security
	// TLS configures wss://: a listener's certificate, a connect's trusted
	// CAs and server name (the endpoint's host when empty). nil: Go's
	// defaults, which a wss bind refuses (it needs a certificate).
	TLS *tls.Config

	// Turn and Counters are the socket's, shared by all its sessions.
	Turn     *Turn
	Counters *Counters
}

// heartbeatTimeoutOrIvl is HEARTBEAT_TIMEOUT, which defaults to the
// interval.
func (o *SessionOptions) heartbeatTimeoutOrIvl() time.Duration {
	if o.HeartbeatTimeout > 0 {
		return o.HeartbeatTimeout
	}
	return o.HeartbeatIvl
}

// RECONNECT_STOP flags, as libzmq's ZMQ_RECONNECT_STOP_*.
const (
	ReconnectStopConnRefused     = 0x1 // the peer refused the TCP connection
	ReconnectStopHandshakeFailed = 0x2 // a handshake failed
	ReconnectStopAfterDisconnect = 0x4 // a connection that was up dropped
)

// MulticastOptions are the socket options of a udp:// sender to a group.
type MulticastOptions struct {
	Loop bool // ZMQ_MULTICAST_LOOP: this host's members receive too (libzmq: on)
	Hops int  // ZMQ_MULTICAST_HOPS: the TTL; 0 keeps the OS default (1)
}

// TCPOptions is the snapshot of those options a listener or session uses.
type TCPOptions struct {
	SndBuf, RcvBuf int    // bytes; 0: the OS default
	TOS            int    // 0: unset
	Backlog        int    // listen(2) backlog
	Keepalive      int    // -1: the OS default, 0: off, 1: on
	KeepaliveCnt   int    // 0 or -1: the OS default
	KeepaliveIdle  int    // seconds
	KeepaliveIntvl int    // seconds
	MaxRT          int    // ms: TCP_USER_TIMEOUT; 0: the OS default
	Device         string // SO_BINDTODEVICE
	IPv6           bool   // "*" and hostnames prefer IPv6; dual-stack binds
}

// DefaultTCPOptions are libzmq's defaults.
func DefaultTCPOptions() TCPOptions {
	return TCPOptions{Backlog: 100, Keepalive: -1, KeepaliveCnt: -1, KeepaliveIdle: -1, KeepaliveIntvl: -1}
}
