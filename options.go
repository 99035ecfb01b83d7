package zring

import (
	"fmt"
	"net"
	"time"

	"github.com/zring/zring/engine"
	"github.com/zring/zring/socket"
)

// Defaults, as in libzmq.
const (
	DefaultHWM          = 1000
	DefaultReconnectIvl = 100 * time.Millisecond
	DefaultHandshakeIvl = 30 * time.Second
)

// maxHWM bounds a pipe's ring. libzmq's HWM of 0 means "no limit"; zring
// maps it to this bound because each pipe's ring is preallocated.
const maxHWM = 1 << 20

// options holds a socket's settings, guarded by Socket.mu. Sessions copy
// conn when they register, so changing an option affects later connections
// only, as in libzmq.
type options struct {
	// conn is what sessions and their connections use (engine).
	conn engine.SessionOptions
	// pat is what the pattern reads, under Socket.mu (socket).
	pat socket.Options

	linger     time.Duration // < 0: wait forever
	sndTimeout time.Duration // < 0: block forever
	rcvTimeout time.Duration // < 0: block forever
	// affinity picks the I/O threads that serve new connections
	// (ZMQ_AFFINITY); 0 means any.
	affinity uint64
	// wss holds the ZMQ_WSS_* PEM options set by number (tls_pem.go).
	wss wssPEM
	// resolver looks up the host names of connects (resolve.go); nil is
	// net.DefaultResolver.
	resolver *net.Resolver
	// everyAddress, when positive, makes a connect to a host name connect
	// to every address it has, looked up again at this interval (every.go).
	everyAddress time.Duration
}

func defaultOptions() options {
	return options{
		conn: engine.SessionOptions{
			SndHWM: DefaultHWM, RcvHWM: DefaultHWM,
			MaxMsgSize:   -1,
			ReconnectIvl: DefaultReconnectIvl,
			HandshakeIvl: DefaultHandshakeIvl,
			TCP:          engine.DefaultTCPOptions(),
			Multicast:    engine.MulticastOptions{Loop: true},
		},
		pat:        socket.Options{StreamNotify: true},
		linger:     -1,
		sndTimeout: -1,
		rcvTimeout: -1,
	}
}

// Option sets one socket option; pass options to Context.NewSocket or
// Socket.SetOption.
type Option func(*options) error

// invalid is ErrInvalid for option name set to v; bytes show as their
// length, never their content.
func invalid(name string, v any) error {
	if b, ok := v.([]byte); ok {
		return fmt.Errorf("%w: %s of %d bytes", ErrInvalid, name, len(b))
	}
	return fmt.Errorf("%w: %s %v", ErrInvalid, name, v)
}

// checkID checks a routing id: 1 to 255 bytes, and, unless zeroOK, not
// starting with a zero byte (reserved by ZMTP).
func checkID(name string, id []byte, zeroOK bool) error {
	switch {
	case len(id) == 0 || len(id) > 255:
		return fmt.Errorf("%w: %s of %d bytes (want 1 to 255)", ErrInvalid, name, len(id))
	case id[0] == 0 && !zeroOK:
		return fmt.Errorf("%w: %s starts with a zero byte (reserved by ZMTP)", ErrInvalid, name)
	}
	return nil
}

func hwm(name string, n int) (int, error) {
	if n < 0 {
		return 0, invalid(name, n)
	}
	if n == 0 || n > maxHWM {
		n = maxHWM
	}
	return n, nil
}

// WithSndHWM sets the send high-water mark in messages per peer (ZMQ_SNDHWM,
// default 1000). 0 means libzmq's "no limit", bounded here at 2^20. The
// effective mark is rounded up to a power of two.
func WithSndHWM(n int) Option {
	return func(o *options) (err error) { o.conn.SndHWM, err = hwm("SNDHWM", n); return }
}

// WithRcvHWM sets the receive high-water mark in messages per peer
// (ZMQ_RCVHWM), with the same rules as WithSndHWM.
func WithRcvHWM(n int) Option {
	return func(o *options) (err error) { o.conn.RcvHWM, err = hwm("RCVHWM", n); return }
}

// WithLinger sets how long Close keeps trying to deliver queued messages
// (ZMQ_LINGER). A negative value waits forever (the default); 0 discards
// them at once.
func WithLinger(d time.Duration) Option {
	return func(o *options) error { o.linger = d; return nil }
}

// WithSndTimeout bounds blocking sends (ZMQ_SNDTIMEO); negative blocks
// forever, 0 behaves like DontWait.
func WithSndTimeout(d time.Duration) Option {
	return func(o *options) error { o.sndTimeout = d; return nil }
}

// WithRcvTimeout bounds blocking receives (ZMQ_RCVTIMEO); negative blocks
// forever, 0 behaves like DontWait.
func WithRcvTimeout(d time.Duration) Option {
	return func(o *options) error { o.rcvTimeout = d; return nil }
}

// WithRoutingID sets the identity announced to peers (ZMQ_ROUTING_ID): 1 to
// 255 bytes, not starting with a zero byte (reserved by ZMTP).
func WithRoutingID(id []byte) Option {
	return func(o *options) error {
		if err := checkID("ROUTING_ID", id, false); err != nil {
			return err
		}
		o.conn.RoutingID = append([]byte(nil), id...)
		return nil
	}
}

// WithMaxMsgSize limits the size of each received frame in bytes
// (ZMQ_MAXMSGSIZE); a peer sending more is disconnected before anything is
// allocated. Negative means unlimited (the default).
func WithMaxMsgSize(n int64) Option {
	return func(o *options) error { o.conn.MaxMsgSize = n; return nil }
}

// WithReconnectIvl sets the delay before reconnecting a dropped or refused
// connection (ZMQ_RECONNECT_IVL, default 100 ms). 0 or a negative value
// (libzmq's -1) never reconnects: a connection that drops or fails is not
// made again.
func WithReconnectIvl(d time.Duration) Option {
	return func(o *options) error {
		if d < 0 {
			d = -1
		}
		o.conn.ReconnectIvl = d
		return nil
	}
}

// WithHandshakeIvl bounds the ZMTP handshake (ZMQ_HANDSHAKE_IVL, default
// 30 s); 0 disables the limit. A negative value is ErrInvalid.
func WithHandshakeIvl(d time.Duration) Option {
	return func(o *options) error {
		if d < 0 {
			return invalid("HANDSHAKE_IVL", d)
		}
		o.conn.HandshakeIvl = d
		return nil
	}
}

// WithRouterMandatory makes a ROUTER report a message for an unknown peer
// as ErrHostUnreachable, and wait for room (or return ErrAgain with
// DontWait) when the peer's queue is full, instead of dropping it
// (ZMQ_ROUTER_MANDATORY).
func WithRouterMandatory(on bool) Option {
	return func(o *options) error { o.pat.RouterMandatory = on; return nil }
}

// WithRouterHandover lets a new ROUTER peer with a routing id already in use
// take it over; the old connection is closed (ZMQ_ROUTER_HANDOVER). Without
// it the newcomer is refused.
func WithRouterHandover(on bool) Option {
	return func(o *options) error { o.pat.RouterHandover = on; return nil }
}

// WithProbeRouter makes a ROUTER, DEALER or REQ send an empty message to
// each new peer, so a ROUTER at the other end learns its routing id at once
// (ZMQ_PROBE_ROUTER).
func WithProbeRouter(on bool) Option {
	return func(o *options) error { o.pat.ProbeRouter = on; return nil }
}

// WithReqCorrelate makes a REQ prefix each request with a request id and
// accept only the reply that echoes it (ZMQ_REQ_CORRELATE).
func WithReqCorrelate(on bool) Option {
	return func(o *options) error { o.pat.ReqCorrelate = on; return nil }
}

// WithReqRelaxed lets a REQ send a new request before the reply to the last
// one arrived; the old one is abandoned (ZMQ_REQ_RELAXED). Use it with
// WithReqCorrelate so a late reply is not taken for the new one.
func WithReqRelaxed(on bool) Option {
	return func(o *options) error { o.pat.ReqRelaxed = on; return nil }
}

// WithConnectRoutingID names the peer of the next Connect on a ROUTER, so
// messages can be addressed to it before it is up (ZMQ_CONNECT_ROUTING_ID).
// It applies to one Connect only.
func WithConnectRoutingID(id []byte) Option {
	return func(o *options) error {
		if err := checkID("CONNECT_ROUTING_ID", id, true); err != nil {
			return err
		}
		o.conn.ConnectRoutingID = append([]byte(nil), id...)
		return nil
	}
}

// WithHelloMsg sets a message sent to each peer first, on every new
// connection, by a ROUTER, SERVER, PEER, CLIENT or DEALER; nil or empty
// sends none (libzmq 4.3.5's draft ZMQ_HELLO_MSG).
func WithHelloMsg(msg []byte) Option {
	return func(o *options) error { o.conn.HelloMsg = cloneOrNil(msg); return nil }
}

// WithDisconnectMsg sets a message a ROUTER, SERVER or PEER receives, as if
// from the peer, when a connection it accepted fails after its handshake,
// or an inproc peer that connected to it closes or disconnects; nil or
// empty: none (libzmq 4.3.5's draft ZMQ_DISCONNECT_MSG). It is
// dropped when the peer's queue is at RCVHWM.
func WithDisconnectMsg(msg []byte) Option {
	return func(o *options) error { o.conn.DisconnectMsg = cloneOrNil(msg); return nil }
}

// WithHiccupMsg sets a message a CLIENT, DEALER or PEER receives, as if
// from the peer, when a connection it made fails after its handshake (it
// then reconnects); nil or empty: none (libzmq 4.3.5's draft
// ZMQ_HICCUP_MSG). It is dropped when the peer's queue is at RCVHWM.
func WithHiccupMsg(msg []byte) Option {
	return func(o *options) error { o.conn.HiccupMsg = cloneOrNil(msg); return nil }
}

// cloneOrNil copies b, nil when it is empty.
func cloneOrNil(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return append([]byte(nil), b...)
}

// WithXPubVerbose makes an XPUB report every subscription, not only a
// topic's first (ZMQ_XPUB_VERBOSE).
func WithXPubVerbose(on bool) Option {
	return func(o *options) error { o.pat.XPubVerbose = on; return nil }
}

// WithXPubVerboser makes an XPUB report every subscription and every cancel
// (ZMQ_XPUB_VERBOSER).
func WithXPubVerboser(on bool) Option {
	return func(o *options) error {
		o.pat.XPubVerboser = on
		if on {
			o.pat.XPubVerbose = true
		}
		return nil
	}
}

// WithXPubManual makes an XPUB leave subscriptions to the application: it
// receives every subscription message and applies what it chooses with
// Subscribe and Unsubscribe, which act on the peer of the last one the
// application received (none after a cancel the XPUB made for a peer that
// left) (ZMQ_XPUB_MANUAL).
func WithXPubManual(on bool) Option {
	return func(o *options) error { o.pat.XPubManual = on; return nil }
}

// WithXPubNoDrop makes an XPUB or PUB send wait while a matching
// subscriber's queue is full (ErrAgain with DontWait) instead of dropping
// the message for it (ZMQ_XPUB_NODROP).
func WithXPubNoDrop(on bool) Option {
	return func(o *options) error { o.pat.XPubNoDrop = on; return nil }
}

// WithXPubWelcomeMsg sets a message an XPUB sends to each new subscriber;
// nil or empty sends none (ZMQ_XPUB_WELCOME_MSG).
func WithXPubWelcomeMsg(msg []byte) Option {
	return func(o *options) error {
		o.pat.XPubWelcome = cloneOrNil(msg)
		return nil
	}
}

// WithInvertMatching inverts subscription matching: a PUB or XPUB sends to
// the subscribers that do not match, a SUB or XSUB keeps the messages that
// match none of its topics (ZMQ_INVERT_MATCHING).
func WithInvertMatching(on bool) Option {
	return func(o *options) error { o.pat.InvertMatching = on; return nil }
}

// WithImmediate makes a connecting socket queue messages only for
// connections that are up (ZMQ_IMMEDIATE): until then a PUSH or DEALER
// blocks (or returns ErrAgain) instead of queueing for a peer that may
// never come, and what was queued for a peer that disconnects is dropped.
func WithImmediate(on bool) Option {
	return func(o *options) error { o.conn.Immediate = on; return nil }
}

// WithConflate keeps only the latest message in each peer's queue
// (ZMQ_CONFLATE), both ways: a newer message replaces one not yet received
// (or not yet written to the wire), so state updates are always the
// freshest and the high-water marks do not apply. Meant for PUB, SUB,
// PUSH, PULL and DEALER, as in libzmq.
func WithConflate(on bool) Option {
	return func(o *options) error { o.conn.Conflate = on; return nil }
}

// WithStreamNotify sets whether a STREAM socket reports each connection
// opening and closing as a message [routing id][empty]
// (ZMQ_STREAM_NOTIFY, default on).
func WithStreamNotify(on bool) Option {
	return func(o *options) error { o.pat.StreamNotify = on; return nil }
}

// WithAffinity picks which I/O threads serve the socket's new connections
// and listeners (ZMQ_AFFINITY): bit i selects thread i; 0 (the default)
// lets the context pick the least loaded of all.
func WithAffinity(mask uint64) Option {
	return func(o *options) error { o.affinity = mask; return nil }
}

// WithHeartbeatIvl makes each connection send a ZMTP PING every d
// (ZMQ_HEARTBEAT_IVL); 0 (the default) sends none.
func WithHeartbeatIvl(d time.Duration) Option {
	return func(o *options) error {
		if d < 0 {
			return invalid("HEARTBEAT_IVL", d)
		}
		o.conn.HeartbeatIvl = d
		return nil
	}
}

// WithHeartbeatTimeout closes a connection from which nothing arrived
// within d after a PING (ZMQ_HEARTBEAT_TIMEOUT); 0, the default, means the
// heartbeat interval.
func WithHeartbeatTimeout(d time.Duration) Option {
	return func(o *options) error {
		if d < 0 {
			return invalid("HEARTBEAT_TIMEOUT", d)
		}
		o.conn.HeartbeatTimeout = d
		return nil
	}
}

// WithHeartbeatTTL asks peers, in each PING, to drop the connection if they
// hear nothing from us for d (ZMQ_HEARTBEAT_TTL), rounded down to
// deciseconds: less than 6553.6 s, as libzmq's 16-bit field takes.
func WithHeartbeatTTL(d time.Duration) Option {
	return func(o *options) error {
		if d < 0 || d >= maxHeartbeatTTL {
			return invalid("HEARTBEAT_TTL", d)
		}
		o.conn.HeartbeatTTL = d
		return nil
	}
}

// maxHeartbeatTTL is one decisecond past the largest TTL a PING carries.
const maxHeartbeatTTL = 65536 * 100 * time.Millisecond

// WithReconnectIvlMax makes the reconnect interval double after each
// failed attempt, up to d (ZMQ_RECONNECT_IVL_MAX); 0 (the default) keeps
// it at RECONNECT_IVL.
func WithReconnectIvlMax(d time.Duration) Option {
	return func(o *options) error {
		if d < 0 {
			return invalid("RECONNECT_IVL_MAX", d)
		}
		o.conn.ReconnectIvlMax = d
		return nil
	}
}

// RECONNECT_STOP flags, as libzmq's ZMQ_RECONNECT_STOP_*.
const (
	ReconnectStopConnRefused     = engine.ReconnectStopConnRefused     // the peer refused the TCP connection
	ReconnectStopHandshakeFailed = engine.ReconnectStopHandshakeFailed // a handshake failed
	ReconnectStopAfterDisconnect = engine.ReconnectStopAfterDisconnect // a connection that was up dropped
)

// WithReconnectStop stops reconnecting on the conditions flags names
// (ZMQ_RECONNECT_STOP): ReconnectStopConnRefused, ReconnectStopAfterDisconnect.
// A failed handshake always stops, as in libzmq, so
// ReconnectStopHandshakeFailed is accepted and changes nothing.
func WithReconnectStop(flags int) Option {
	return func(o *options) error {
		if flags < 0 || flags > 7 {
			return invalid("RECONNECT_STOP", flags)
		}
		o.conn.ReconnectStop = flags
		return nil
	}
}

// WithConnectTimeout bounds each TCP connect attempt (ZMQ_CONNECT_TIMEOUT);
// 0 (the default) leaves it to the operating system.
func WithConnectTimeout(d time.Duration) Option {
	return func(o *options) error {
		if d < 0 {
			return invalid("CONNECT_TIMEOUT", d)
		}
		o.conn.ConnectTimeout = d
		return nil
	}
}
