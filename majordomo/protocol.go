//go:build linux

package majordomo

// Protocol headers: the first frame after the envelope names the peer's
// side and the protocol version.
const (
	// ClientHeader opens every message between a client and the broker.
	ClientHeader = "MDPC01"
	// WorkerHeader opens every message between a worker and the broker.
	WorkerHeader = "MDPW01"
)

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
