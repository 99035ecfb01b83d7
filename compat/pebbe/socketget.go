package zmq4

import (
	"strings"
	"time"

	"github.com/zring/zring"
)

func (soc *Socket) getInt(opt zring.Opt) (int, error) {
	zs, err := soc.z()
	if err != nil {
		return 0, err
	}
	v, err := zs.SockOptInt(opt)
	return v, errget(err)
}

func (soc *Socket) getBytes(opt zring.Opt) ([]byte, error) {
	zs, err := soc.z()
	if err != nil {
		return nil, err
	}
	v, err := zs.SockOptBytes(opt)
	return v, errget(err)
}

// getString is a bytes option as text, without the trailing NULs libzmq
// may count in.
func (soc *Socket) getString(opt zring.Opt) (string, error) {
	b, err := soc.getBytes(opt)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(b), "\x00"), nil
}

func (soc *Socket) getBool(opt zring.Opt) (bool, error) {
	v, err := soc.getInt(opt)
	return v != 0, err
}

// getDuration is a millisecond option, time.Duration(-1) for -1.
func (soc *Socket) getDuration(opt zring.Opt) (time.Duration, error) {
	v, err := soc.getInt(opt)
	if v < 0 {
		return time.Duration(-1), err
	}
	return time.Duration(v) * time.Millisecond, err
}

// getZ85 is a CURVE key option as Z85 text, "" while unset.
func (soc *Socket) getZ85(opt zring.Opt) (string, error) {
	b, err := soc.getBytes(opt)
	if err != nil {
		return "", err
	}
	if len(b) != 32 || isZero(b) {
		return "", nil
	}
	return Z85encode(string(b)), nil
}

// getRaw is a CURVE key option as its 32 bytes, "" while unset.
func (soc *Socket) getRaw(opt zring.Opt) (string, error) {
	b, err := soc.getBytes(opt)
	if err != nil {
		return "", err
	}
	if isZero(b) {
		return "", nil
	}
	return string(b), nil
}

func isZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// GetType returns the socket type (ZMQ_TYPE).
func (soc *Socket) GetType() (Type, error) {
	v, err := soc.getInt(zring.OptType)
	return Type(v), err
}

// GetRcvmore reports whether more parts of the message follow
// (ZMQ_RCVMORE).
func (soc *Socket) GetRcvmore() (bool, error) { return soc.getBool(zring.OptRcvMore) }

// GetSndhwm returns the high water mark for outbound messages (ZMQ_SNDHWM).
func (soc *Socket) GetSndhwm() (int, error) { return soc.getInt(zring.OptSndHWM) }

// GetRcvhwm returns the high water mark for inbound messages (ZMQ_RCVHWM).
func (soc *Socket) GetRcvhwm() (int, error) { return soc.getInt(zring.OptRcvHWM) }

// GetAffinity returns the I/O thread affinity (ZMQ_AFFINITY).
func (soc *Socket) GetAffinity() (uint64, error) {
	v, err := soc.getInt(zring.OptAffinity)
	return uint64(v), err
}

// GetIdentity returns the socket identity (ZMQ_IDENTITY, ZMQ_ROUTING_ID).
func (soc *Socket) GetIdentity() (string, error) { return soc.getString(zring.OptRoutingID) }

// GetRate returns an error matching ENOTSUP: zring has no pgm (ZMQ_RATE).
func (soc *Socket) GetRate() (int, error) { return 0, soc.notSupported("RATE (pgm)") }

// GetRecoveryIvl returns an error matching ENOTSUP: zring has no pgm
// (ZMQ_RECOVERY_IVL).
func (soc *Socket) GetRecoveryIvl() (time.Duration, error) {
	return 0, soc.notSupported("RECOVERY_IVL (pgm)")
}

// GetSndbuf returns the kernel transmit buffer size (ZMQ_SNDBUF).
func (soc *Socket) GetSndbuf() (int, error) { return soc.getInt(zring.OptSndBuf) }

// GetRcvbuf returns the kernel receive buffer size (ZMQ_RCVBUF).
func (soc *Socket) GetRcvbuf() (int, error) { return soc.getInt(zring.OptRcvBuf) }

// GetLinger returns the linger period (ZMQ_LINGER), time.Duration(-1) for
// infinite.
func (soc *Socket) GetLinger() (time.Duration, error) { return soc.getDuration(zring.OptLinger) }

// GetReconnectIvl returns the reconnection interval (ZMQ_RECONNECT_IVL),
// time.Duration(-1) for no reconnection.
func (soc *Socket) GetReconnectIvl() (time.Duration, error) {
	return soc.getDuration(zring.OptReconnectIvl)
}

// GetReconnectIvlMax returns the maximum reconnection interval
// (ZMQ_RECONNECT_IVL_MAX).
func (soc *Socket) GetReconnectIvlMax() (time.Duration, error) {
	return soc.getDuration(zring.OptReconnectIvlMax)
}

// GetBacklog returns the maximum length of the queue of outstanding
// connections (ZMQ_BACKLOG).
func (soc *Socket) GetBacklog() (int, error) { return soc.getInt(zring.OptBacklog) }

// GetMaxmsgsize returns the maximum acceptable inbound message size
// (ZMQ_MAXMSGSIZE), -1 for none.
func (soc *Socket) GetMaxmsgsize() (int64, error) {
	v, err := soc.getInt(zring.OptMaxMsgSize)
	if v < 0 {
		v = -1
	}
	return int64(v), err
}

// GetMulticastHops returns the maximum network hops of multicast packets
// (ZMQ_MULTICAST_HOPS).
func (soc *Socket) GetMulticastHops() (int, error) { return soc.getInt(zring.OptMulticastHops) }

// GetRcvtimeo returns the receive timeout (ZMQ_RCVTIMEO),
// time.Duration(-1) for infinite.
func (soc *Socket) GetRcvtimeo() (time.Duration, error) {
	return soc.getDuration(zring.OptRcvTimeo)
}

// GetSndtimeo returns the send timeout (ZMQ_SNDTIMEO), time.Duration(-1)
// for infinite.
func (soc *Socket) GetSndtimeo() (time.Duration, error) {
	return soc.getDuration(zring.OptSndTimeo)
}

// GetIpv6 reports whether IPv6 is on (ZMQ_IPV6).
func (soc *Socket) GetIpv6() (bool, error) { return soc.getBool(zring.OptIPv6) }

// GetImmediate reports whether messages are queued only to completed
// connections (ZMQ_IMMEDIATE).
func (soc *Socket) GetImmediate() (bool, error) { return soc.getBool(zring.OptImmediate) }

// GetFd would return the descriptor that signals the socket's events
// (ZMQ_FD). A zring socket has none (its Poller waits on sockets
// directly), so it is an error matching ENOTSUP; use a Poller.
func (soc *Socket) GetFd() (int, error) { return -1, soc.notSupported("FD (use a Poller)") }

// GetEvents returns what the socket is ready for (ZMQ_EVENTS).
func (soc *Socket) GetEvents() (State, error) {
	v, err := soc.getInt(zring.OptEvents)
	return State(v), err
}

// GetLastEndpoint returns the last endpoint bound or connected
// (ZMQ_LAST_ENDPOINT).
func (soc *Socket) GetLastEndpoint() (string, error) {
	return soc.getString(zring.OptLastEndpoint)
}

// GetTcpKeepalive returns the SO_KEEPALIVE override (ZMQ_TCP_KEEPALIVE).
func (soc *Socket) GetTcpKeepalive() (int, error) { return soc.getInt(zring.OptTCPKeepalive) }

// GetTcpKeepaliveIdle returns the TCP_KEEPIDLE override
// (ZMQ_TCP_KEEPALIVE_IDLE).
func (soc *Socket) GetTcpKeepaliveIdle() (int, error) {
	return soc.getInt(zring.OptTCPKeepaliveIdle)
}

// GetTcpKeepaliveCnt returns the TCP_KEEPCNT override
// (ZMQ_TCP_KEEPALIVE_CNT).
func (soc *Socket) GetTcpKeepaliveCnt() (int, error) {
	return soc.getInt(zring.OptTCPKeepaliveCnt)
}

// GetTcpKeepaliveIntvl returns the TCP_KEEPINTVL override
// (ZMQ_TCP_KEEPALIVE_INTVL).
func (soc *Socket) GetTcpKeepaliveIntvl() (int, error) {
	return soc.getInt(zring.OptTCPKeepaliveIntvl)
}

// GetMechanism returns the security mechanism (ZMQ_MECHANISM).
func (soc *Socket) GetMechanism() (Mechanism, error) {
	v, err := soc.getInt(zring.OptMechanism)
	return Mechanism(v), err
}

// GetPlainServer returns the PLAIN server role (ZMQ_PLAIN_SERVER).
func (soc *Socket) GetPlainServer() (int, error) { return soc.getInt(zring.OptPlainServer) }

// GetPlainUsername returns the PLAIN username (ZMQ_PLAIN_USERNAME).
func (soc *Socket) GetPlainUsername() (string, error) {
	return soc.getString(zring.OptPlainUsername)
}

// GetPlainPassword returns the PLAIN password (ZMQ_PLAIN_PASSWORD).
func (soc *Socket) GetPlainPassword() (string, error) {
	return soc.getString(zring.OptPlainPassword)
}

// GetCurvePublickeyRaw returns the CURVE public key, 32 bytes
// (ZMQ_CURVE_PUBLICKEY).
func (soc *Socket) GetCurvePublickeyRaw() (string, error) {
	return soc.getRaw(zring.OptCurvePublicKey)
}

// GetCurvePublickeykeyZ85 returns the CURVE public key as Z85 text
// (ZMQ_CURVE_PUBLICKEY); the name is pebbe/zmq4's.
func (soc *Socket) GetCurvePublickeykeyZ85() (string, error) {
	return soc.getZ85(zring.OptCurvePublicKey)
}

// GetCurveSecretkeyRaw returns the CURVE secret key, 32 bytes
// (ZMQ_CURVE_SECRETKEY).
func (soc *Socket) GetCurveSecretkeyRaw() (string, error) {
	return soc.getRaw(zring.OptCurveSecretKey)
}

// GetCurveSecretkeyZ85 returns the CURVE secret key as Z85 text
// (ZMQ_CURVE_SECRETKEY).
func (soc *Socket) GetCurveSecretkeyZ85() (string, error) {
	return soc.getZ85(zring.OptCurveSecretKey)
}

// GetCurveServerkeyRaw returns the CURVE server key, 32 bytes
// (ZMQ_CURVE_SERVERKEY).
func (soc *Socket) GetCurveServerkeyRaw() (string, error) {
	return soc.getRaw(zring.OptCurveServerKey)
}

// GetCurveServerkeyZ85 returns the CURVE server key as Z85 text
// (ZMQ_CURVE_SERVERKEY).
func (soc *Socket) GetCurveServerkeyZ85() (string, error) {
	return soc.getZ85(zring.OptCurveServerKey)
}

// GetZapDomain returns the RFC 27 authentication domain (ZMQ_ZAP_DOMAIN).
func (soc *Socket) GetZapDomain() (string, error) { return soc.getString(zring.OptZAPDomain) }

// GetTos returns the IP type-of-service (ZMQ_TOS).
func (soc *Socket) GetTos() (int, error) { return soc.getInt(zring.OptTOS) }

// GetGssapiServer returns an error matching ENOTSUP: zring has no GSSAPI.
func (soc *Socket) GetGssapiServer() (bool, error) {
	return false, soc.notSupported("GSSAPI_SERVER")
}

// GetGssapiPrincipal returns an error matching ENOTSUP: zring has no
// GSSAPI.
func (soc *Socket) GetGssapiPrincipal() (string, error) {
	return "", soc.notSupported("GSSAPI_PRINCIPAL")
}

// GetGssapiServicePrincipal returns an error matching ENOTSUP: zring has
// no GSSAPI.
func (soc *Socket) GetGssapiServicePrincipal() (string, error) {
	return "", soc.notSupported("GSSAPI_SERVICE_PRINCIPAL")
}

// GetGssapiPlaintext returns an error matching ENOTSUP: zring has no
// GSSAPI.
func (soc *Socket) GetGssapiPlaintext() (bool, error) {
	return false, soc.notSupported("GSSAPI_PLAINTEXT")
}

// GetHandshakeIvl returns the maximum handshake interval
// (ZMQ_HANDSHAKE_IVL).
func (soc *Socket) GetHandshakeIvl() (time.Duration, error) {
	v, err := soc.getInt(zring.OptHandshakeIvl)
	return time.Duration(v) * time.Millisecond, err
}

// GetSocksProxy returns the SOCKS5 proxy (ZMQ_SOCKS_PROXY): "", as zring
// connects through none.
func (soc *Socket) GetSocksProxy() (string, error) {
	_, err := soc.z()
	return "", err
}

// GetInvertMatching returns the inverted-filtering status
// (ZMQ_INVERT_MATCHING).
func (soc *Socket) GetInvertMatching() (int, error) { return soc.getInt(zring.OptInvertMatching) }

// GetConnectTimeout returns the connect() timeout (ZMQ_CONNECT_TIMEOUT).
func (soc *Socket) GetConnectTimeout() (time.Duration, error) {
	v, err := soc.getInt(zring.OptConnectTimeout)
	return time.Duration(v) * time.Millisecond, err
}

// GetTcpMaxrt returns the TCP maximum retransmit timeout (ZMQ_TCP_MAXRT).
func (soc *Socket) GetTcpMaxrt() (time.Duration, error) {
	v, err := soc.getInt(zring.OptTCPMaxRT)
	return time.Duration(v) * time.Millisecond, err
}

// GetThreadSafe reports whether the socket may be used from several
// goroutines at once (ZMQ_THREAD_SAFE): true, as every zring socket may,
// where libzmq says false for these socket types.
func (soc *Socket) GetThreadSafe() (bool, error) {
	_, err := soc.z()
	return err == nil, err
}

// GetMulticastMaxtpdu returns an error matching ENOTSUP: zring has no pgm
// or norm (ZMQ_MULTICAST_MAXTPDU).
func (soc *Socket) GetMulticastMaxtpdu() (int, error) {
	return 0, soc.notSupported("MULTICAST_MAXTPDU (pgm, norm)")
}

// GetVmciBufferSize returns an error matching ENOTSUP: zring has no
// vmci://.
func (soc *Socket) GetVmciBufferSize() (uint64, error) {
	return 0, soc.notSupported("VMCI_BUFFER_SIZE")
}

// GetVmciBufferMinSize returns an error matching ENOTSUP: zring has no
// vmci://.
func (soc *Socket) GetVmciBufferMinSize() (uint64, error) {
	return 0, soc.notSupported("VMCI_BUFFER_MIN_SIZE")
}

// GetVmciBufferMaxSize returns an error matching ENOTSUP: zring has no
// vmci://.
func (soc *Socket) GetVmciBufferMaxSize() (uint64, error) {
	return 0, soc.notSupported("VMCI_BUFFER_MAX_SIZE")
}

// GetVmciConnectTimeout returns an error matching ENOTSUP: zring has no
// vmci://.
func (soc *Socket) GetVmciConnectTimeout() (time.Duration, error) {
	return 0, soc.notSupported("VMCI_CONNECT_TIMEOUT")
}

// Getusefd returns the descriptor of ZMQ_USE_FD: -1, as zring never uses
// one made beforehand (SetUseFd).
func (soc *Socket) Getusefd() (int, error) {
	_, err := soc.z()
	return -1, err
}
