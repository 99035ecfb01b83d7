package zring

import (
	"runtime"
	"sync"

	"github.com/zring/zring/poll"
)

// The libzmq release whose protocol (ZMTP 3.1) and API this package
// follows, as zmq_version reports it.
const (
	versionMajor = 4
	versionMinor = 3
	versionPatch = 5
)

// Version returns the libzmq version zring is compatible with (libzmq's
// zmq_version, pyzmq's zmq.zmq_version_info).
func Version() (major, minor, patch int) { return versionMajor, versionMinor, versionPatch }

// Has reports whether this build and machine offer a capability, as
// libzmq's zmq_has does, by the same names: "ipc", "curve", "udp", "ws",
// "wss" (TLS from crypto/tls, so always there, unlike libzmq's, which
// needs GnuTLS) and "draft" (every draft socket type: Client, Server,
// Radio, Dish, Scatter, Gather, Dgram, Peer, Channel) are always there on
// Linux; "uring" is the io_uring I/O backend, there when this process may
// set up a ring (PollerUring); "pgm", "tipc", "norm", "vmci" and "gssapi"
// never are. An unknown name is false.
func Has(capability string) bool {
	switch capability {
	case "ipc", "curve", "udp", "ws", "wss", "draft":
		return runtime.GOOS == "linux"
	case "uring":
		return uringUsable()
	}
	return false
}

// uringUsable tries a ring once per process.
var uringUsable = sync.OnceValue(func() bool {
	// A ring belongs to the thread that made it (poll.Open).
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	p, err := poll.NewUring()
	if err != nil {
		return false
	}
	p.Close()
	return true
})
