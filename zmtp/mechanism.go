package zmtp

import (
	"fmt"
	"slices"
)

// Step tells the engine what a handshake needs after a call.
type Step uint8

const (
	// StepContinue: wait for the peer's next command.
	StepContinue Step = iota
	// StepZAP: a server must ask its ZAP handler. The engine sends
	// ZAPRequest's credentials and later passes the verdict to ZAPResult,
	// meanwhile still feeding commands to Command.
	StepZAP
	// StepDone: the handshake is complete; messages may flow.
	StepDone
)

// Mechanism is one side of a ZMTP security handshake (NULL, PLAIN or CURVE)
// as a pure state machine. The engine appends what Start returns right
// after its greeting, feeds every command frame body received before the
// handshake is done to Command, and writes out what each call appended to
// dst. Any error means the engine must close the connection after writing
// what was appended (an ERROR command, when the mechanism sends one).
// Nothing may be sent or delivered before StepDone.
//
// A Mechanism is used by one goroutine at a time and owns no buffers the
// caller passes: body is read during the call only, and dst is only
// appended to.
type Mechanism interface {
	// Name is the mechanism's name in the greeting.
	Name() string
	// Start appends the commands sent right after the greeting.
	Start(dst []byte) ([]byte, Step, error)
	// Command consumes one received command body and appends the reply.
	Command(dst, body []byte) ([]byte, Step, error)
	// ZAPRequest returns what a server asks its ZAP handler, after
	// StepZAP: the mechanism name and its credential frames.
	ZAPRequest() ZAPRequest
	// ZAPResult takes the handler's verdict and appends what it leads to:
	// the next handshake command, or an ERROR. A verdict other than 200 is
	// an error wrapping ErrAuth (a *AuthError with the status code).
	ZAPResult(dst []byte, r ZAPReply) ([]byte, Step, error)
	// Peer returns what the peer announced, with the ZAP handler's
	// User-Id and metadata put before its properties, so that the
	// peer's cannot shadow the handler's (the first property of a name
	// wins). A User-Id the peer announces itself is dropped. Zero until
	// StepDone.
	Peer() PeerInfo
}

// HandshakeConfig is what every mechanism needs to know of its socket.
type HandshakeConfig struct {
	// Type is our socket type, announced as Socket-Type and checked
	// against the peer's with Compatible.
	Type SocketType
	// Identity is our routing id, sent by REQ, DEALER and ROUTER. It is
	// referenced, not copied.
	Identity []byte
	// ZAP makes a NULL server consult its ZAP handler (the engine sets it
	// when a ZAP_DOMAIN is set, as libzmq does). PLAIN servers always ask.
	ZAP bool
}

// metadata is the part every mechanism shares: announce our own metadata,
// parse the peer's, check its socket type against ours, and remember it.
type metadata struct {
	self     SocketType
	identity []byte
	peer     PeerInfo
	zap      []Property // from the ZAP reply, added to peer once it is known
}

func newMetadata(cfg HandshakeConfig) metadata {
	return metadata{self: cfg.Type, identity: cfg.Identity}
}

// appendOwn appends a command frame called name carrying our metadata
// (READY, or PLAIN's INITIATE).
func (m *metadata) appendOwn(dst []byte, name string) []byte {
	return AppendMetadataCommand(dst, name, m.self, m.identity)
}

// accept parses metadata from the peer's READY or INITIATE.
func (m *metadata) accept(data []byte) error {
	peer, err := ParseReady(data)
	if err != nil {
		return err
	}
	if !Compatible(m.self, peer.Type) {
		return fmt.Errorf("%w: %v with %v", ErrIncompatible, m.self, peer.Type)
	}
	// User-Id is the ZAP handler's word alone: a peer claiming one is
	// not believed, even when no handler is consulted.
	peer.Properties = slices.DeleteFunc(peer.Properties, func(p Property) bool {
		return equalFoldASCII(p.Name, PropUserID)
	})
	if len(m.zap) > 0 { // the verdict came first (NULL): it goes first
		peer.Properties = append(slices.Clip(m.zap), peer.Properties...)
	}
	m.peer = peer
	return nil
}

// takeZAP applies a ZAP verdict (see zapVerdict, which appends with
// appendError the ERROR a refusal sends) and, on approval, records the
// handler's User-Id and metadata as peer properties, ahead of the peer's
// own: what the handler says shadows what the peer claims.
func (m *metadata) takeZAP(dst []byte, r ZAPReply, appendError func([]byte, string) []byte) ([]byte, error) {
	dst, err := zapVerdict(dst, r, appendError)
	if err != nil {
		return dst, err
	}
	props, err := r.properties()
	if err != nil {
		return dst, err
	}
	m.zap = props
	m.peer.Properties = append(slices.Clip(props), m.peer.Properties...)
	return dst, nil
}

// Peer returns what the peer announced.
func (m *metadata) Peer() PeerInfo { return m.peer }
