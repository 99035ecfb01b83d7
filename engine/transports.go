package engine

// Transports zring serves; ParseEndpoint accepts these schemes.
const (
	TransportTCP    = "tcp"
	TransportIPC    = "ipc"
	TransportInproc = "inproc"
	TransportUDP    = "udp" // RADIO, DISH and DGRAM (libzmq's draft)
)
