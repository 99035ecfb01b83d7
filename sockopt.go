package zring

import (
	"bytes"
	"fmt"
	"time"
)

// Opt is a socket option number, as libzmq's zmq.h defines it, for
// SetSockOpt and SockOpt: code ported from libzmq or pyzmq can keep its
// option numbers. The With... options are the typed equivalents.
type Opt int

// Option numbers zring implements (see docs/options.md for the table).
const (
	OptAffinity          Opt = 4   // int, bitmask of I/O threads
	OptRoutingID         Opt = 5   // bytes
	OptSubscribe         Opt = 6   // bytes, write-only
	OptUnsubscribe       Opt = 7   // bytes, write-only
	OptSndBuf            Opt = 11  // int, bytes
	OptRcvBuf            Opt = 12  // int, bytes
	OptRcvMore           Opt = 13  // int, read-only
	OptEvents            Opt = 15  // int, read-only: PollIn | PollOut
	OptType              Opt = 16  // int, read-only
	OptLinger            Opt = 17  // int, milliseconds
	OptReconnectIvl      Opt = 18  // int, milliseconds
	OptBacklog           Opt = 19  // int
	OptReconnectIvlMax   Opt = 21  // int, milliseconds
	OptMaxMsgSize        Opt = 22  // int, bytes
	OptSndHWM            Opt = 23  // int, messages
	OptRcvHWM            Opt = 24  // int, messages
	OptMulticastHops     Opt = 25  // int, udp:// multicast TTL
	OptRcvTimeo          Opt = 27  // int, milliseconds
	OptSndTimeo          Opt = 28  // int, milliseconds
	OptLastEndpoint      Opt = 32  // bytes, read-only
	OptRouterMandatory   Opt = 33  // int 0/1
	OptTCPKeepalive      Opt = 34  // int -1/0/1
	OptTCPKeepaliveCnt   Opt = 35  // int
	OptTCPKeepaliveIdle  Opt = 36  // int, seconds
	OptTCPKeepaliveIntvl Opt = 37  // int, seconds
	OptImmediate         Opt = 39  // int 0/1
	OptXPubVerbose       Opt = 40  // int 0/1
	OptIPv6              Opt = 42  // int 0/1
	OptMechanism         Opt = 43  // int, read-only: Mechanism* (0 NULL, 1 PLAIN, 2 CURVE)
	OptPlainServer       Opt = 44  // int 0/1
	OptPlainUsername     Opt = 45  // bytes
	OptPlainPassword     Opt = 46  // bytes
	OptCurveServer       Opt = 47  // int 0/1
	OptCurvePublicKey    Opt = 48  // bytes: 32 raw or 40 Z85; reads 32 raw
	OptCurveSecretKey    Opt = 49  // bytes: 32 raw or 40 Z85; reads 32 raw
	OptCurveServerKey    Opt = 50  // bytes: 32 raw or 40 Z85; reads 32 raw
	OptProbeRouter       Opt = 51  // int 0/1
	OptReqCorrelate      Opt = 52  // int 0/1
	OptReqRelaxed        Opt = 53  // int 0/1
	OptConflate          Opt = 54  // int 0/1
	OptZAPDomain         Opt = 55  // bytes
	OptRouterHandover    Opt = 56  // int 0/1
	OptTOS               Opt = 57  // int
	OptConnectRoutingID  Opt = 61  // bytes, write-only
	OptHandshakeIvl      Opt = 66  // int, milliseconds
	OptXPubNoDrop        Opt = 69  // int 0/1
	OptXPubManual        Opt = 71  // int 0/1
	OptXPubWelcomeMsg    Opt = 72  // bytes, write-only
	OptStreamNotify      Opt = 73  // int 0/1
	OptInvertMatching    Opt = 74  // int 0/1
	OptHeartbeatIvl      Opt = 75  // int, milliseconds
	OptHeartbeatTTL      Opt = 76  // int, milliseconds
	OptHeartbeatTimeout  Opt = 77  // int, milliseconds
	OptXPubVerboser      Opt = 78  // int 0/1, write-only
	OptConnectTimeout    Opt = 79  // int, milliseconds
	OptTCPMaxRT          Opt = 80  // int, milliseconds
	OptBindToDevice      Opt = 92  // bytes
	OptZAPEnforceDomain  Opt = 93  // int 0/1
	OptMulticastLoop     Opt = 96  // int 0/1, udp:// multicast
	OptWSSKeyPEM         Opt = 103 // bytes, write-only: a wss bind's private key (libzmq 4.3.5 draft)
	OptWSSCertPEM        Opt = 104 // bytes, write-only: a wss bind's certificate chain
	OptWSSTrustPEM       Opt = 105 // bytes, write-only: CAs a wss connect trusts
	OptWSSHostname       Opt = 106 // bytes, write-only: the name a wss connect checks
	OptWSSTrustSystem    Opt = 107 // int 0/1, write-only: trust the system's CAs too
	OptReconnectStop     Opt = 109 // int, ReconnectStop* flags
	OptHelloMsg          Opt = 110 // bytes, write-only (libzmq 4.3.5 draft)
	OptDisconnectMsg     Opt = 111 // bytes, write-only (libzmq 4.3.5 draft)
	OptHiccupMsg         Opt = 114 // bytes, write-only (libzmq 4.3.5 draft)
)

// sockopt describes one option: its libzmq name, and how to set and get
// it. A nil set makes it read-only, a nil get write-only.
type sockopt struct {
	name string
	set  func(v any) (Option, error)
	get  func(s *Socket) any // runs with s.mu held
}

var sockopts = map[Opt]sockopt{
	OptAffinity:  {"AFFINITY", intOpt(func(n int) Option { return WithAffinity(uint64(n)) }), func(s *Socket) any { return int(s.opts.affinity) }},
	OptMechanism: {"MECHANISM", nil, func(s *Socket) any { return s.opts.conn.Security.Mechanism }},
	OptPlainServer: {"PLAIN_SERVER", boolStrict(WithPlainServer), func(s *Socket) any {
		return boolInt(s.opts.conn.Security.Mechanism == MechanismPlain && s.opts.conn.Security.Server)
	}},
	OptPlainUsername: {"PLAIN_USERNAME", stringOpt(WithPlainUsername), func(s *Socket) any { return s.opts.conn.Security.Username }},
	OptPlainPassword: {"PLAIN_PASSWORD", stringOpt(WithPlainPassword), func(s *Socket) any { return s.opts.conn.Security.Password }},
	OptCurveServer: {"CURVE_SERVER", boolStrict(WithCurveServer), func(s *Socket) any {
		return boolInt(s.opts.conn.Security.Mechanism == MechanismCurve && s.opts.conn.Security.Server)
	}},
	OptCurvePublicKey:    {"CURVE_PUBLICKEY", stringOpt(curveKeyText("CURVE_PUBLICKEY", setCurvePublic)), func(s *Socket) any { k := s.opts.conn.Security.CurveKeys().Public; return k[:] }},
	OptCurveSecretKey:    {"CURVE_SECRETKEY", stringOpt(curveKeyText("CURVE_SECRETKEY", setCurveSecret)), func(s *Socket) any { return bytes.Clone(s.opts.conn.Security.CurveSecret[:]) }},
	OptCurveServerKey:    {"CURVE_SERVERKEY", stringOpt(curveKeyText("CURVE_SERVERKEY", setCurveServer)), func(s *Socket) any { return bytes.Clone(s.opts.conn.Security.CurveServer[:]) }},
	OptZAPDomain:         {"ZAP_DOMAIN", stringOpt(WithZAPDomain), func(s *Socket) any { return []byte(s.opts.conn.Security.ZAPDomain) }},
	OptZAPEnforceDomain:  {"ZAP_ENFORCE_DOMAIN", boolOpt(WithZAPEnforceDomain), func(s *Socket) any { return boolInt(s.opts.conn.Security.ZAPEnforceDomain) }},
	OptRoutingID:         {"ROUTING_ID", bytesOpt(WithRoutingID), func(s *Socket) any { return s.opts.conn.RoutingID }},
	OptSubscribe:         {"SUBSCRIBE", nil, nil}, // Socket.subscribe, see SetSockOpt
	OptUnsubscribe:       {"UNSUBSCRIBE", nil, nil},
	OptRcvMore:           {"RCVMORE", nil, func(s *Socket) any { return boolInt(s.rcvMore) }},
	OptEvents:            {"EVENTS", nil, nil}, // SockOpt computes it (Socket.events)
	OptType:              {"TYPE", nil, func(s *Socket) any { return int(s.typ) }},
	OptLinger:            {"LINGER", msOpt(WithLinger), func(s *Socket) any { return ms(s.opts.linger) }},
	OptReconnectIvl:      {"RECONNECT_IVL", msOpt(WithReconnectIvl), func(s *Socket) any { return ms(s.opts.conn.ReconnectIvl) }},
	OptMaxMsgSize:        {"MAXMSGSIZE", intOpt(func(n int) Option { return WithMaxMsgSize(int64(n)) }), func(s *Socket) any { return int(s.opts.conn.MaxMsgSize) }},
	OptSndHWM:            {"SNDHWM", intOpt(WithSndHWM), func(s *Socket) any { return s.opts.conn.SndHWM }},
	OptRcvHWM:            {"RCVHWM", intOpt(WithRcvHWM), func(s *Socket) any { return s.opts.conn.RcvHWM }},
	OptRcvTimeo:          {"RCVTIMEO", msOpt(WithRcvTimeout), func(s *Socket) any { return ms(s.opts.rcvTimeout) }},
	OptSndTimeo:          {"SNDTIMEO", msOpt(WithSndTimeout), func(s *Socket) any { return ms(s.opts.sndTimeout) }},
	OptLastEndpoint:      {"LAST_ENDPOINT", nil, func(s *Socket) any { return []byte(s.endpoint) }},
	OptRouterMandatory:   {"ROUTER_MANDATORY", boolNonNeg(WithRouterMandatory), func(s *Socket) any { return boolInt(s.opts.pat.RouterMandatory) }},
	OptConflate:          {"CONFLATE", boolStrict(WithConflate), func(s *Socket) any { return boolInt(s.opts.conn.Conflate) }},
	OptImmediate:         {"IMMEDIATE", boolStrict(WithImmediate), func(s *Socket) any { return boolInt(s.opts.conn.Immediate) }},
	OptXPubVerbose:       {"XPUB_VERBOSE", boolNonNeg(WithXPubVerbose), func(s *Socket) any { return boolInt(s.opts.pat.XPubVerbose) }},
	OptProbeRouter:       {"PROBE_ROUTER", boolNonNeg(WithProbeRouter), func(s *Socket) any { return boolInt(s.opts.pat.ProbeRouter) }},
	OptReqCorrelate:      {"REQ_CORRELATE", boolNonNeg(WithReqCorrelate), func(s *Socket) any { return boolInt(s.opts.pat.ReqCorrelate) }},
	OptReqRelaxed:        {"REQ_RELAXED", boolNonNeg(WithReqRelaxed), func(s *Socket) any { return boolInt(s.opts.pat.ReqRelaxed) }},
	OptRouterHandover:    {"ROUTER_HANDOVER", boolNonNeg(WithRouterHandover), func(s *Socket) any { return boolInt(s.opts.pat.RouterHandover) }},
	OptConnectRoutingID:  {"CONNECT_ROUTING_ID", bytesOpt(WithConnectRoutingID), nil},
	OptHandshakeIvl:      {"HANDSHAKE_IVL", msOpt(WithHandshakeIvl), func(s *Socket) any { return ms(s.opts.conn.HandshakeIvl) }},
	OptXPubNoDrop:        {"XPUB_NODROP", boolNonNeg(WithXPubNoDrop), func(s *Socket) any { return boolInt(s.opts.pat.XPubNoDrop) }},
	OptXPubManual:        {"XPUB_MANUAL", boolNonNeg(WithXPubManual), func(s *Socket) any { return boolInt(s.opts.pat.XPubManual) }},
	OptXPubWelcomeMsg:    {"XPUB_WELCOME_MSG", bytesOpt(WithXPubWelcomeMsg), nil},
	OptHelloMsg:          {"HELLO_MSG", bytesOpt(WithHelloMsg), nil},
	OptDisconnectMsg:     {"DISCONNECT_MSG", bytesOpt(WithDisconnectMsg), nil},
	OptHiccupMsg:         {"HICCUP_MSG", bytesOpt(WithHiccupMsg), nil},
	OptStreamNotify:      {"STREAM_NOTIFY", boolStrict(WithStreamNotify), func(s *Socket) any { return boolInt(s.opts.pat.StreamNotify) }},
	OptInvertMatching:    {"INVERT_MATCHING", boolOpt(WithInvertMatching), func(s *Socket) any { return boolInt(s.opts.pat.InvertMatching) }},
	OptHeartbeatIvl:      {"HEARTBEAT_IVL", msOpt(WithHeartbeatIvl), func(s *Socket) any { return ms(s.opts.conn.HeartbeatIvl) }},
	OptHeartbeatTTL:      {"HEARTBEAT_TTL", msOpt(WithHeartbeatTTL), func(s *Socket) any { return ms(s.opts.conn.HeartbeatTTL) }},
	OptHeartbeatTimeout:  {"HEARTBEAT_TIMEOUT", msOpt(WithHeartbeatTimeout), func(s *Socket) any { return ms(s.opts.conn.HeartbeatTimeout) }},
	OptReconnectIvlMax:   {"RECONNECT_IVL_MAX", msOpt(WithReconnectIvlMax), func(s *Socket) any { return ms(s.opts.conn.ReconnectIvlMax) }},
	OptConnectTimeout:    {"CONNECT_TIMEOUT", msOpt(WithConnectTimeout), func(s *Socket) any { return ms(s.opts.conn.ConnectTimeout) }},
	OptReconnectStop:     {"RECONNECT_STOP", intOpt(WithReconnectStop), func(s *Socket) any { return s.opts.conn.ReconnectStop }},
	OptSndBuf:            {"SNDBUF", intOpt(WithSndBuf), func(s *Socket) any { return s.opts.conn.TCP.SndBuf }},
	OptRcvBuf:            {"RCVBUF", intOpt(WithRcvBuf), func(s *Socket) any { return s.opts.conn.TCP.RcvBuf }},
	OptBacklog:           {"BACKLOG", intOpt(WithBacklog), func(s *Socket) any { return s.opts.conn.TCP.Backlog }},
	OptTCPKeepalive:      {"TCP_KEEPALIVE", intOpt(tcpKeepalive), func(s *Socket) any { return s.opts.conn.TCP.Keepalive }},
	OptTCPKeepaliveCnt:   {"TCP_KEEPALIVE_CNT", intOpt(WithTCPKeepaliveCnt), func(s *Socket) any { return s.opts.conn.TCP.KeepaliveCnt }},
	OptTCPKeepaliveIdle:  {"TCP_KEEPALIVE_IDLE", intOpt(keepaliveSeconds("TCP_KEEPALIVE_IDLE", keepaliveIdle)), func(s *Socket) any { return s.opts.conn.TCP.KeepaliveIdle }},
	OptTCPKeepaliveIntvl: {"TCP_KEEPALIVE_INTVL", intOpt(keepaliveSeconds("TCP_KEEPALIVE_INTVL", keepaliveIntvl)), func(s *Socket) any { return s.opts.conn.TCP.KeepaliveIntvl }},
	OptIPv6:              {"IPV6", boolStrict(WithIPv6), func(s *Socket) any { return boolInt(s.opts.conn.TCP.IPv6) }},
	OptTOS:               {"TOS", intOpt(WithTOS), func(s *Socket) any { return s.opts.conn.TCP.TOS }},
	OptMulticastHops:     {"MULTICAST_HOPS", intOpt(WithMulticastHops), func(s *Socket) any { return max(s.opts.conn.Multicast.Hops, 1) }},
	OptMulticastLoop:     {"MULTICAST_LOOP", boolStrict(WithMulticastLoop), func(s *Socket) any { return boolInt(s.opts.conn.Multicast.Loop) }},
	OptTCPMaxRT:          {"TCP_MAXRT", msOpt(WithTCPMaxRT), func(s *Socket) any { return s.opts.conn.TCP.MaxRT }},
	OptBindToDevice:      {"BINDTODEVICE", stringOpt(WithBindToDevice), func(s *Socket) any { return []byte(s.opts.conn.TCP.Device) }},
	OptXPubVerboser:      {"XPUB_VERBOSER", boolNonNeg(WithXPubVerboser), nil},
	OptWSSKeyPEM:         {"WSS_KEY_PEM", bytesOpt(func(b []byte) Option { return withWSSPEM(false, b) }), nil},
	OptWSSCertPEM:        {"WSS_CERT_PEM", bytesOpt(func(b []byte) Option { return withWSSPEM(true, b) }), nil},
	OptWSSTrustPEM:       {"WSS_TRUST_PEM", bytesOpt(func(b []byte) Option { return withWSSTrust(b, nil) }), nil},
	OptWSSHostname:       {"WSS_HOSTNAME", stringOpt(WithTLSServerName), nil},
	OptWSSTrustSystem:    {"WSS_TRUST_SYSTEM", boolStrict(func(on bool) Option { return withWSSTrust(nil, &on) }), nil},
}

// SetSockOpt sets an option by its libzmq number (zmq_setsockopt). value
// is an int for integer, boolean (0/1) and millisecond options, and a
// []byte or string for byte options. An unknown number is ErrInvalid; a
// libzmq option zring does not implement yet, or a read-only one, is
// ErrNotSupported; a value of the wrong kind is ErrInvalid.
func (s *Socket) SetSockOpt(opt Opt, value any) error {
	if s == nil {
		return errNilSocket
	}
	switch opt {
	case OptSubscribe, OptUnsubscribe:
		b, err := asBytes(value)
		if err != nil {
			return badValue(opt, err)
		}
		return s.subscribe(b, opt == OptSubscribe)
	}
	so, err := lookup(opt)
	if err != nil {
		return err
	}
	if so.set == nil {
		return fmt.Errorf("%w: %s is read-only", ErrNotSupported, so.name)
	}
	o, err := so.set(value)
	if err != nil {
		return badValue(opt, err)
	}
	return s.SetOption(o)
}

// SockOpt returns an option by its libzmq number (zmq_getsockopt): an int
// or a []byte (a copy), as SetSockOpt takes them. On a closed socket it is
// ErrClosed (ErrTerminated after Context.Close), as SetSockOpt is.
func (s *Socket) SockOpt(opt Opt) (any, error) {
	if s == nil {
		return nil, errNilSocket
	}
	if opt == OptEvents {
		e, err := s.events()
		return int(e), err
	}
	so, err := lookup(opt)
	if err != nil {
		return nil, err
	}
	if so.get == nil {
		return nil, fmt.Errorf("%w: %s is write-only", ErrNotSupported, so.name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closeErr != nil {
		return nil, s.closeErr
	}
	s.processCommands()
	v := so.get(s)
	if b, ok := v.([]byte); ok {
		return append([]byte{}, b...), nil
	}
	return v, nil
}

// SockOptInt is SockOpt for integer options.
func (s *Socket) SockOptInt(opt Opt) (int, error) {
	v, err := s.SockOpt(opt)
	if err != nil {
		return 0, err
	}
	n, ok := v.(int)
	if !ok {
		return 0, fmt.Errorf("%w: option %d is not an integer", ErrInvalid, opt)
	}
	return n, nil
}

// SockOptBytes is SockOpt for byte options.
func (s *Socket) SockOptBytes(opt Opt) ([]byte, error) {
	v, err := s.SockOpt(opt)
	if err != nil {
		return nil, err
	}
	b, ok := v.([]byte)
	if !ok {
		return nil, fmt.Errorf("%w: option %d is not a byte option", ErrInvalid, opt)
	}
	return b, nil
}

func lookup(opt Opt) (sockopt, error) {
	if so, ok := sockopts[opt]; ok {
		return so, nil
	}
	if opt > 0 && opt <= maxLibzmqOpt {
		return sockopt{}, fmt.Errorf("%w: libzmq socket option %d is not implemented", ErrNotSupported, opt)
	}
	return sockopt{}, fmt.Errorf("%w: unknown socket option %d", ErrInvalid, opt)
}

// maxLibzmqOpt is the highest option number libzmq 4.3 defines
// (ZMQ_PRIORITY).
const maxLibzmqOpt = 112

// badValue is ErrInvalid for a value SetSockOpt cannot take for opt, why
// being what the converter below said: "zring: invalid argument: IPV6:
// want 0 or 1, got 2".
func badValue(opt Opt, why error) error {
	return fmt.Errorf("%w: %s: %w", ErrInvalid, sockopts[opt].name, why)
}

// The converters from SetSockOpt's values to Options say what they want;
// SetSockOpt names the option and ErrInvalid (badValue).

func asInt(v any) (int, error) {
	if n, ok := v.(int); ok {
		return n, nil
	}
	return 0, fmt.Errorf("want an int, got %T", v)
}

func asBytes(v any) ([]byte, error) {
	switch b := v.(type) {
	case []byte:
		return b, nil
	case string:
		return []byte(b), nil
	}
	return nil, fmt.Errorf("want []byte or string, got %T", v)
}

func intOpt(with func(int) Option) func(any) (Option, error) {
	return func(v any) (Option, error) {
		n, err := asInt(v)
		return with(n), err
	}
}

// boolOpt takes any int as a boolean, nonzero true, as libzmq's "relaxed"
// options (INVERT_MATCHING, ZAP_ENFORCE_DOMAIN).
func boolOpt(with func(bool) Option) func(any) (Option, error) {
	return intOpt(func(n int) Option { return with(n != 0) })
}

// boolStrict takes only 0 and 1, as libzmq's "strict" options (IPV6,
// CONFLATE, IMMEDIATE, the mechanism servers, STREAM_NOTIFY).
func boolStrict(with func(bool) Option) func(any) (Option, error) {
	return func(v any) (Option, error) {
		n, err := asInt(v)
		if err == nil && n != 0 && n != 1 {
			err = fmt.Errorf("want 0 or 1, got %d", n)
		}
		return with(n != 0), err
	}
}

// boolNonNeg takes a non-negative int, nonzero true, as libzmq's ROUTER,
// REQ and XPUB flags; a negative one is ErrInvalid.
func boolNonNeg(with func(bool) Option) func(any) (Option, error) {
	return func(v any) (Option, error) {
		n, err := asInt(v)
		if err == nil && n < 0 {
			err = fmt.Errorf("want 0 or more, got %d", n)
		}
		return with(n != 0), err
	}
}

// msOpt converts libzmq's milliseconds, where -1 means forever (or, for
// RECONNECT_IVL, never). No libzmq millisecond option takes less than -1;
// the typed option narrows the range further where libzmq does.
func msOpt(with func(time.Duration) Option) func(any) (Option, error) {
	return func(v any) (Option, error) {
		n, err := asInt(v)
		if err == nil && n < -1 {
			err = fmt.Errorf("want -1 or more, got %d", n)
		}
		return with(time.Duration(n) * time.Millisecond), err
	}
}

func bytesOpt(with func([]byte) Option) func(any) (Option, error) {
	return func(v any) (Option, error) {
		b, err := asBytes(v)
		return with(b), err
	}
}

func stringOpt(with func(string) Option) func(any) (Option, error) {
	return func(v any) (Option, error) {
		b, err := asBytes(v)
		return with(string(b)), err
	}
}

func ms(d time.Duration) int {
	if d < 0 {
		return -1
	}
	return int(d / time.Millisecond)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
