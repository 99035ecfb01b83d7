package engine

// Transports zring serves; ParseEndpoint accepts these schemes.
const (
	TransportTCP    = "tcp"
	TransportIPC    = "ipc"
	TransportInproc = "inproc"
	TransportUDP    = "udp" // RADIO, DISH and DGRAM (libzmq's draft)
	TransportWS     = "ws"  // ZWS 2.0 (RFC 45)
	TransportWSS    = "wss" // ZWS 2.0 over TLS
)
