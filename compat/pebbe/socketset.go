package zmq4

import (
	"errors"
	"time"

	"github.com/zring/zring"
)

// setOpt sets a numbered option. zring's ErrNotSupported here means the
// socket type has no use for the option, which libzmq answers with EINVAL.
func (soc *Socket) setOpt(opt zring.Opt, value any) error {
	zs, err := soc.z()
	if err != nil {
		return err
	}
	err = zs.SetSockOpt(opt, value)
	if errors.Is(err, zring.ErrNotSupported) {
		return EINVAL
	}
	return errget(err)
}

func (soc *Socket) setInt(opt zring.Opt, value int) error { return soc.setOpt(opt, value) }

func (soc *Socket) setString(opt zring.Opt, s string) error { return soc.setOpt(opt, []byte(s)) }

func (soc *Socket) setBool(opt zring.Opt, b bool) error { return soc.setOpt(opt, boolInt(b)) }

// setDuration sets a millisecond option as pebbe/zmq4 converts it: whole
// milliseconds, and -1 (the Duration, not -1 ms) for forever.
func (soc *Socket) setDuration(opt zring.Opt, d time.Duration) error {
	v := int(d / time.Millisecond)
	if d == -1 {
		v = -1
	}
	return soc.setOpt(opt, v)
}

// notSupported is an option zring does not have: ErrorSocketClosed for a
// closed socket, as for every option, else an error matching ENOTSUP.
func (soc *Socket) notSupported(name string) error {
	if _, err := soc.z(); err != nil {
		return err
	}
	return unsupported("socket option %s", name)
}

// clearOnly accepts the empty value (libzmq's NULL, which clears the
// option) for an option zring does not have, and refuses any other.
func (soc *Socket) clearOnly(name, value string) error {
	if value == "" {
		_, err := soc.z()
		return err
	}
	return soc.notSupported(name)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// SetSndhwm sets the high water mark for outbound messages (ZMQ_SNDHWM).
func (soc *Socket) SetSndhwm(value int) error { return soc.setInt(zring.OptSndHWM, value) }

// SetRcvhwm sets the high water mark for inbound messages (ZMQ_RCVHWM).
func (soc *Socket) SetRcvhwm(value int) error { return soc.setInt(zring.OptRcvHWM, value) }

// SetAffinity sets the I/O thread affinity (ZMQ_AFFINITY).
func (soc *Socket) SetAffinity(value uint64) error {
	zs, err := soc.z()
	if err != nil {
		return err
	}
	return errget(zs.SetOption(zring.WithAffinity(value)))
}

// SetSubscribe establishes a message filter (ZMQ_SUBSCRIBE).
func (soc *Socket) SetSubscribe(filter string) error {
	return soc.setString(zring.OptSubscribe, filter)
}

// SetUnsubscribe removes a message filter (ZMQ_UNSUBSCRIBE).
func (soc *Socket) SetUnsubscribe(filter string) error {
	return soc.setString(zring.OptUnsubscribe, filter)
}

// SetIdentity sets the socket identity (ZMQ_IDENTITY, ZMQ_ROUTING_ID).
func (soc *Socket) SetIdentity(value string) error {
	return soc.setString(zring.OptRoutingID, value)
}

// SetRate would set the multicast data rate (ZMQ_RATE, for pgm): zring has
// no pgm, so it is an error matching ENOTSUP.
func (soc *Socket) SetRate(value int) error { return soc.notSupported("RATE (pgm)") }

// SetRecoveryIvl would set the multicast recovery interval
// (ZMQ_RECOVERY_IVL, for pgm): an error matching ENOTSUP.
func (soc *Socket) SetRecoveryIvl(value time.Duration) error {
	return soc.notSupported("RECOVERY_IVL (pgm)")
}

// SetSndbuf sets the kernel transmit buffer size (ZMQ_SNDBUF).
func (soc *Socket) SetSndbuf(value int) error { return soc.setInt(zring.OptSndBuf, value) }

// SetRcvbuf sets the kernel receive buffer size (ZMQ_RCVBUF).
func (soc *Socket) SetRcvbuf(value int) error { return soc.setInt(zring.OptRcvBuf, value) }

// SetLinger sets the linger period for socket shutdown (ZMQ_LINGER); -1
// for infinite.
func (soc *Socket) SetLinger(value time.Duration) error {
	return soc.setDuration(zring.OptLinger, value)
}

// SetReconnectIvl sets the reconnection interval (ZMQ_RECONNECT_IVL); -1
// for no reconnection.
func (soc *Socket) SetReconnectIvl(value time.Duration) error {
	return soc.setDuration(zring.OptReconnectIvl, value)
}

// SetReconnectIvlMax sets the maximum reconnection interval
// (ZMQ_RECONNECT_IVL_MAX).
func (soc *Socket) SetReconnectIvlMax(value time.Duration) error {
	return soc.setDuration(zring.OptReconnectIvlMax, value)
}

// SetBacklog sets the maximum length of the queue of outstanding
// connections (ZMQ_BACKLOG).
func (soc *Socket) SetBacklog(value int) error { return soc.setInt(zring.OptBacklog, value) }

// SetMaxmsgsize sets the maximum acceptable inbound message size
// (ZMQ_MAXMSGSIZE); -1 for no limit.
func (soc *Socket) SetMaxmsgsize(value int64) error {
	zs, err := soc.z()
	if err != nil {
		return err
	}
	if value < -1 {
		return EINVAL
	}
	return errget(zs.SetOption(zring.WithMaxMsgSize(value)))
}

// SetMulticastHops sets the maximum network hops for multicast packets
// (ZMQ_MULTICAST_HOPS; zring's udp:// multicast).
func (soc *Socket) SetMulticastHops(value int) error {
	return soc.setInt(zring.OptMulticastHops, value)
}

// SetRcvtimeo sets the time before a receive returns EAGAIN
// (ZMQ_RCVTIMEO); -1 for infinite.
func (soc *Socket) SetRcvtimeo(value time.Duration) error {
	return soc.setDuration(zring.OptRcvTimeo, value)
}

// SetSndtimeo sets the time before a send returns EAGAIN (ZMQ_SNDTIMEO);
// -1 for infinite.
func (soc *Socket) SetSndtimeo(value time.Duration) error {
	return soc.setDuration(zring.OptSndTimeo, value)
}

// SetIpv6 enables IPv6 on the socket (ZMQ_IPV6).
func (soc *Socket) SetIpv6(value bool) error { return soc.setBool(zring.OptIPv6, value) }

// SetImmediate queues messages only to completed connections
// (ZMQ_IMMEDIATE).
func (soc *Socket) SetImmediate(value bool) error { return soc.setBool(zring.OptImmediate, value) }

// SetRouterMandatory makes a ROUTER report unroutable messages
// (ZMQ_ROUTER_MANDATORY).
func (soc *Socket) SetRouterMandatory(value int) error {
	return soc.setInt(zring.OptRouterMandatory, value)
}

// SetRouterRaw would switch a ROUTER to raw mode (ZMQ_ROUTER_RAW,
// deprecated since libzmq 4.1 for STREAM sockets, which zring has): an
// error matching ENOTSUP.
func (soc *Socket) SetRouterRaw(value int) error { return soc.notSupported("ROUTER_RAW (use STREAM)") }

// SetProbeRouter bootstraps connections to ROUTER sockets
// (ZMQ_PROBE_ROUTER).
func (soc *Socket) SetProbeRouter(value int) error {
	return soc.setInt(zring.OptProbeRouter, value)
}

// SetXpubVerbose passes every subscription message on an XPUB
// (ZMQ_XPUB_VERBOSE).
func (soc *Socket) SetXpubVerbose(value int) error {
	return soc.setInt(zring.OptXPubVerbose, value)
}

// SetReqCorrelate matches replies with requests (ZMQ_REQ_CORRELATE).
func (soc *Socket) SetReqCorrelate(value int) error {
	return soc.setInt(zring.OptReqCorrelate, value)
}

// SetReqRelaxed relaxes the strict alternation of a REQ (ZMQ_REQ_RELAXED).
func (soc *Socket) SetReqRelaxed(value int) error {
	return soc.setInt(zring.OptReqRelaxed, value)
}

// SetTcpKeepalive overrides SO_KEEPALIVE (ZMQ_TCP_KEEPALIVE: -1, 0 or 1).
func (soc *Socket) SetTcpKeepalive(value int) error {
	return soc.setInt(zring.OptTCPKeepalive, value)
}

// SetTcpKeepaliveIdle overrides TCP_KEEPIDLE, in seconds
// (ZMQ_TCP_KEEPALIVE_IDLE).
func (soc *Socket) SetTcpKeepaliveIdle(value int) error {
	return soc.setInt(zring.OptTCPKeepaliveIdle, value)
}

// SetTcpKeepaliveCnt overrides TCP_KEEPCNT (ZMQ_TCP_KEEPALIVE_CNT).
func (soc *Socket) SetTcpKeepaliveCnt(value int) error {
	return soc.setInt(zring.OptTCPKeepaliveCnt, value)
}

// SetTcpKeepaliveIntvl overrides TCP_KEEPINTVL, in seconds
// (ZMQ_TCP_KEEPALIVE_INTVL).
func (soc *Socket) SetTcpKeepaliveIntvl(value int) error {
	return soc.setInt(zring.OptTCPKeepaliveIntvl, value)
}

// SetTcpAcceptFilter would filter new TCP connections by address
// (ZMQ_TCP_ACCEPT_FILTER, deprecated since libzmq 4.1 for ZAP, which
// AuthAllow and AuthDeny drive). An empty filter, which clears the list,
// is accepted; another is an error matching ENOTSUP.
func (soc *Socket) SetTcpAcceptFilter(filter string) error {
	return soc.clearOnly("TCP_ACCEPT_FILTER (use AuthAllow)", filter)
}

// SetPlainServer sets the PLAIN server role (ZMQ_PLAIN_SERVER).
func (soc *Socket) SetPlainServer(value int) error {
	return soc.setInt(zring.OptPlainServer, value)
}

// SetPlainUsername sets the PLAIN username (ZMQ_PLAIN_USERNAME); empty
// returns the socket to NULL.
func (soc *Socket) SetPlainUsername(username string) error {
	return soc.setString(zring.OptPlainUsername, username)
}

// SetPlainPassword sets the PLAIN password (ZMQ_PLAIN_PASSWORD).
func (soc *Socket) SetPlainPassword(password string) error {
	return soc.setString(zring.OptPlainPassword, password)
}

// SetCurveServer sets the CURVE server role (ZMQ_CURVE_SERVER).
func (soc *Socket) SetCurveServer(value int) error {
	return soc.setInt(zring.OptCurveServer, value)
}

// SetCurvePublickey sets the CURVE public key, 40 characters of Z85 or 32
// bytes (ZMQ_CURVE_PUBLICKEY).
func (soc *Socket) SetCurvePublickey(key string) error {
	return soc.setString(zring.OptCurvePublicKey, key)
}

// SetCurveSecretkey sets the CURVE secret key (ZMQ_CURVE_SECRETKEY).
func (soc *Socket) SetCurveSecretkey(key string) error {
	return soc.setString(zring.OptCurveSecretKey, key)
}

// SetCurveServerkey sets the CURVE server's public key
// (ZMQ_CURVE_SERVERKEY).
func (soc *Socket) SetCurveServerkey(key string) error {
	return soc.setString(zring.OptCurveServerKey, key)
}

// SetZapDomain sets the RFC 27 authentication domain (ZMQ_ZAP_DOMAIN).
func (soc *Socket) SetZapDomain(domain string) error {
	return soc.setString(zring.OptZAPDomain, domain)
}

// SetConflate keeps only the last message (ZMQ_CONFLATE).
func (soc *Socket) SetConflate(value bool) error { return soc.setBool(zring.OptConflate, value) }

// SetRouterHandover lets a ROUTER hand a routing id over to a new peer
// (ZMQ_ROUTER_HANDOVER).
func (soc *Socket) SetRouterHandover(value bool) error {
	return soc.setBool(zring.OptRouterHandover, value)
}

// SetTos sets the IP type-of-service (ZMQ_TOS).
func (soc *Socket) SetTos(value int) error { return soc.setInt(zring.OptTOS, value) }

// SetConnectRid names the peer of the next Connect on a ROUTER
// (ZMQ_CONNECT_RID, ZMQ_CONNECT_ROUTING_ID).
func (soc *Socket) SetConnectRid(value string) error {
	return soc.setString(zring.OptConnectRoutingID, value)
}

// SetGssapiServer would set the GSSAPI server role: zring has no GSSAPI,
// so it is an error matching ENOTSUP.
func (soc *Socket) SetGssapiServer(value bool) error { return soc.notSupported("GSSAPI_SERVER") }

// SetGssapiPrincipal returns an error matching ENOTSUP: no GSSAPI in
// zring.
func (soc *Socket) SetGssapiPrincipal(value string) error {
	return soc.notSupported("GSSAPI_PRINCIPAL")
}

// SetGssapiServicePrincipal returns an error matching ENOTSUP: no GSSAPI
// in zring.
func (soc *Socket) SetGssapiServicePrincipal(value string) error {
	return soc.notSupported("GSSAPI_SERVICE_PRINCIPAL")
}

// SetGssapiPlaintext returns an error matching ENOTSUP: no GSSAPI in
// zring.
func (soc *Socket) SetGssapiPlaintext(value bool) error {
	return soc.notSupported("GSSAPI_PLAINTEXT")
}

// SetHandshakeIvl sets the maximum handshake interval
// (ZMQ_HANDSHAKE_IVL).
func (soc *Socket) SetHandshakeIvl(value time.Duration) error {
	return soc.setDuration(zring.OptHandshakeIvl, value)
}

// SetSocksProxy would connect through a SOCKS5 proxy (ZMQ_SOCKS_PROXY):
// zring has none, so an empty value (no proxy) is accepted and another is
// an error matching ENOTSUP.
func (soc *Socket) SetSocksProxy(value string) error { return soc.clearOnly("SOCKS_PROXY", value) }

// SetXpubNodrop makes an XPUB wait at the high water mark instead of
// dropping (ZMQ_XPUB_NODROP).
func (soc *Socket) SetXpubNodrop(value bool) error { return soc.setBool(zring.OptXPubNoDrop, value) }

// SetXpubManual leaves subscriptions to the application (ZMQ_XPUB_MANUAL).
func (soc *Socket) SetXpubManual(value int) error { return soc.setInt(zring.OptXPubManual, value) }

// SetXpubWelcomeMsg sets the message an XPUB sends each new subscriber
// (ZMQ_XPUB_WELCOME_MSG); empty for none.
func (soc *Socket) SetXpubWelcomeMsg(value string) error {
	return soc.setString(zring.OptXPubWelcomeMsg, value)
}

// SetStreamNotify sets whether a STREAM reports connections opening and
// closing (ZMQ_STREAM_NOTIFY).
func (soc *Socket) SetStreamNotify(value int) error {
	return soc.setInt(zring.OptStreamNotify, value)
}

// SetInvertMatching inverts subscription matching (ZMQ_INVERT_MATCHING).
func (soc *Socket) SetInvertMatching(value int) error {
	return soc.setInt(zring.OptInvertMatching, value)
}

// SetHeartbeatIvl sets the interval between ZMTP heartbeats
// (ZMQ_HEARTBEAT_IVL).
func (soc *Socket) SetHeartbeatIvl(value time.Duration) error {
	return soc.setDuration(zring.OptHeartbeatIvl, value)
}

// SetHeartbeatTtl sets the TTL of ZMTP heartbeats (ZMQ_HEARTBEAT_TTL).
func (soc *Socket) SetHeartbeatTtl(value time.Duration) error {
	return soc.setDuration(zring.OptHeartbeatTTL, value)
}

// SetHeartbeatTimeout sets the timeout of ZMTP heartbeats
// (ZMQ_HEARTBEAT_TIMEOUT).
func (soc *Socket) SetHeartbeatTimeout(value time.Duration) error {
	return soc.setDuration(zring.OptHeartbeatTimeout, value)
}

// SetXpubVerboser passes subscribe and unsubscribe messages on an XPUB
// (ZMQ_XPUB_VERBOSER).
func (soc *Socket) SetXpubVerboser(value int) error {
	return soc.setInt(zring.OptXPubVerboser, value)
}

// SetConnectTimeout sets the connect() timeout (ZMQ_CONNECT_TIMEOUT).
func (soc *Socket) SetConnectTimeout(value time.Duration) error {
	return soc.setDuration(zring.OptConnectTimeout, value)
}

// SetTcpMaxrt sets the TCP maximum retransmit timeout (ZMQ_TCP_MAXRT).
func (soc *Socket) SetTcpMaxrt(value time.Duration) error {
	return soc.setDuration(zring.OptTCPMaxRT, value)
}

// SetMulticastMaxtpdu would set the maximum transport data unit of
// multicast (ZMQ_MULTICAST_MAXTPDU, for pgm and norm): an error matching
// ENOTSUP.
func (soc *Socket) SetMulticastMaxtpdu(value int) error {
	return soc.notSupported("MULTICAST_MAXTPDU (pgm, norm)")
}

// SetVmciBufferSize returns an error matching ENOTSUP: zring has no
// vmci:// transport.
func (soc *Socket) SetVmciBufferSize(value uint64) error {
	return soc.notSupported("VMCI_BUFFER_SIZE")
}

// SetVmciBufferMinSize returns an error matching ENOTSUP: no vmci:// in
// zring.
func (soc *Socket) SetVmciBufferMinSize(value uint64) error {
	return soc.notSupported("VMCI_BUFFER_MIN_SIZE")
}

// SetVmciBufferMaxSize returns an error matching ENOTSUP: no vmci:// in
// zring.
func (soc *Socket) SetVmciBufferMaxSize(value uint64) error {
	return soc.notSupported("VMCI_BUFFER_MAX_SIZE")
}

// SetVmciConnectTimeout returns an error matching ENOTSUP: no vmci:// in
// zring.
func (soc *Socket) SetVmciConnectTimeout(value time.Duration) error {
	return soc.notSupported("VMCI_CONNECT_TIMEOUT")
}

// SetUseFd would make the next Bind use a listening descriptor made
// beforehand (ZMQ_USE_FD): zring opens its own, so -1 (the default, none)
// is accepted and another value is an error matching ENOTSUP.
func (soc *Socket) SetUseFd(value int) error {
	if value == -1 {
		_, err := soc.z()
		return err
	}
	return soc.notSupported("USE_FD")
}
