package socket

// Options are the socket options that patterns read. The socket owns them
// and changes them only under its mutex, where patterns read them too.
type Options struct {
	// Routing (ROUTER, DEALER, REQ).
	RouterMandatory bool // ZMQ_ROUTER_MANDATORY
	RouterHandover  bool // ZMQ_ROUTER_HANDOVER
	ProbeRouter     bool // ZMQ_PROBE_ROUTER
	ReqCorrelate    bool // ZMQ_REQ_CORRELATE
	ReqRelaxed      bool // ZMQ_REQ_RELAXED
	// StreamNotify: STREAM reports connects and disconnects as empty
	// messages (ZMQ_STREAM_NOTIFY).
	StreamNotify bool

	// Publish/subscribe.
	XPubVerbose    bool   // ZMQ_XPUB_VERBOSE
	XPubVerboser   bool   // ZMQ_XPUB_VERBOSER
	XPubManual     bool   // ZMQ_XPUB_MANUAL
	XPubNoDrop     bool   // ZMQ_XPUB_NODROP
	XPubWelcome    []byte // ZMQ_XPUB_WELCOME_MSG
	InvertMatching bool   // ZMQ_INVERT_MATCHING
}
