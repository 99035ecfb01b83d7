package majordomo

// Version is an MDP version. The zero value is V01, so a policy that does
// not name one keeps MDP/0.1.
type Version int

const (
	// V01 is MDP/0.1 (spec 7/MDP), the Guide's protocol: every message
	// starts with an empty frame, and a worker sends one REPLY per
	// request.
	V01 Version = iota
	// V02 is MDP/0.2 (spec 18/MDP): no empty frame before the header, a
	// command frame in client messages too, and a worker answers a
	// request with zero or more PARTIALs then one FINAL. It is not
	// wire-compatible with MDP/0.1; a Broker speaks both.
	V02
)

// String returns "MDP/0.1" or "MDP/0.2".
func (v Version) String() string {
	switch v {
	case V01:
		return "MDP/0.1"
	case V02:
		return "MDP/0.2"
	}
	return "MDP/unknown"
}

func (v Version) valid() bool { return v == V01 || v == V02 }

// Protocol headers: the first frame after the envelope names the peer's
// side and the protocol version.
const (
	// ClientHeader opens every message between a client and the broker.
	ClientHeader = "MDPC01"
	// WorkerHeader opens every message between a worker and the broker.
	WorkerHeader = "MDPW01"
	// ClientHeaderV02 opens every MDP/0.2 client message.
	ClientHeaderV02 = "MDPC02"
	// WorkerHeaderV02 opens every MDP/0.2 worker message.
	WorkerHeaderV02 = "MDPW02"
)

// MDP/0.2 client commands, the frame after ClientHeaderV02.
const (
	ClientRequest byte = 0x01 // client → broker: service, body
	ClientPartial byte = 0x02 // broker → client: service, body; more follow
	ClientFinal   byte = 0x03 // broker → client: service, body; the last
)

// MDP/0.2 worker commands, the frame after WorkerHeaderV02. Their values
// differ from MDP/0.1's from PARTIAL on, so they are bytes, not Commands.
const (
	WorkerReady      byte = 0x01 // worker → broker: service name follows
	WorkerRequest    byte = 0x02 // broker → worker: client address, empty, body
	WorkerPartial    byte = 0x03 // worker → broker: client address, empty, body
	WorkerFinal      byte = 0x04 // worker → broker: client address, empty, body
	WorkerHeartbeat  byte = 0x05 // both ways
	WorkerDisconnect byte = 0x06 // both ways
)

// Inside the package a Command names a worker command whatever the
// version: CmdReply stands for MDP/0.2's FINAL, and opPartial, which no
// version puts on the wire as is, for its PARTIAL.
const opPartial Command = 0x10

// workerHeader returns v's worker header.
func (v Version) workerHeader() string {
	if v == V02 {
		return WorkerHeaderV02
	}
	return WorkerHeader
}

// workerFrame encodes cmd (CmdReply for FINAL, opPartial for PARTIAL) as
// v's command frame.
func (v Version) workerFrame(cmd Command) []byte {
	if v != V02 {
		return cmd.frame()
	}
	switch cmd {
	case CmdReady:
		return []byte{WorkerReady}
	case CmdRequest:
		return []byte{WorkerRequest}
	case opPartial:
		return []byte{WorkerPartial}
	case CmdReply:
		return []byte{WorkerFinal}
	case CmdHeartbeat:
		return []byte{WorkerHeartbeat}
	}
	return []byte{WorkerDisconnect}
}

// parseWorkerCommand reads v's command frame as workerFrame writes it.
func (v Version) parseWorkerCommand(f []byte) (Command, bool) {
	if v != V02 {
		return parseCommand(f)
	}
	if len(f) != 1 {
		return 0, false
	}
	switch f[0] {
	case WorkerReady:
		return CmdReady, true
	case WorkerRequest:
		return CmdRequest, true
	case WorkerPartial:
		return opPartial, true
	case WorkerFinal:
		return CmdReply, true
	case WorkerHeartbeat:
		return CmdHeartbeat, true
	case WorkerDisconnect:
		return CmdDisconnect, true
	}
	return 0, false
}

// workerMessage returns [header, cmd, parts...] under v, after the empty
// frame MDP/0.1 puts first.
func (v Version) workerMessage(cmd Command, parts ...[]byte) [][]byte {
	msg := make([][]byte, 0, 3+len(parts))
	if v != V02 {
		msg = append(msg, nil)
	}
	msg = append(msg, []byte(v.workerHeader()), v.workerFrame(cmd))
	return append(msg, parts...)
}

// clientReply returns the reply message for a client speaking v, to be
// sent by the broker to address: final false makes an MDP/0.2 PARTIAL.
func (v Version) clientReply(address []byte, service string, final bool, body [][]byte) [][]byte {
	msg := make([][]byte, 0, 5+len(body))
	msg = append(msg, address)
	if v == V02 {
		cmd := ClientFinal
		if !final {
			cmd = ClientPartial
		}
		msg = append(msg, []byte(ClientHeaderV02), []byte{cmd})
	} else {
		msg = append(msg, nil, []byte(ClientHeader))
	}
	msg = append(msg, []byte(service))
	return append(msg, body...)
}

// Command is a worker command, the frame after WorkerHeader.
type Command byte

// Worker commands of MDP/0.1.
const (
	CmdReady      Command = 0x01 // worker → broker: service name follows
	CmdRequest    Command = 0x02 // broker → worker: client address, empty, body
	CmdReply      Command = 0x03 // worker → broker: client address, empty, body
	CmdHeartbeat  Command = 0x04 // both ways
	CmdDisconnect Command = 0x05 // both ways
)

// String names the command as spec 7 does.
func (c Command) String() string {
	switch c {
	case CmdReady:
		return "READY"
	case CmdRequest:
		return "REQUEST"
	case CmdReply:
		return "REPLY"
	case CmdHeartbeat:
		return "HEARTBEAT"
	case CmdDisconnect:
		return "DISCONNECT"
	case opPartial:
		return "PARTIAL"
	}
	return "UNKNOWN"
}

// frame returns the command as its one-byte frame.
func (c Command) frame() []byte { return []byte{byte(c)} }

// parseCommand reads a command frame; ok is false unless it is one byte
// holding a known command.
func parseCommand(f []byte) (Command, bool) {
	if len(f) != 1 || f[0] < byte(CmdReady) || f[0] > byte(CmdDisconnect) {
		return 0, false
	}
	return Command(f[0]), true
}

// InternalPrefix starts the names of the services the broker answers
// itself (spec 8/MMI).
const InternalPrefix = "mmi."

// Status codes the mmi.* services reply with.
const (
	StatusOK             = "200" // mmi.service: the service has workers
	StatusNotFound       = "404" // mmi.service: no worker offers it
	StatusNotImplemented = "501" // an mmi.* service the broker does not know
)
