//go:build linux

package zmq4

import (
	"sync"

	"github.com/zring/zring"
)

// shared is the one zring.Context behind every socket of the adapter.
//
// One per process, made at the first socket, because upstream has no
// context object of its own: its inproc:// transport reaches every
// socket of the process, which in zring only sockets of one Context do,
// and a Context per socket would start I/O threads per socket. It is
// never closed; the process's exit ends it. A socket's Close, which
// returns at once, still delivers what it queued for up to a second
// (closeLinger).
var shared struct {
	once sync.Once
	ctx  *zring.Context
	err  error
}

// SharedContext returns the zring.Context the adapter's sockets are made
// from, creating it on first use. It is an addition to upstream's API, for
// what upstream has no name for: binding a zring.Authenticator (ZAP) that
// a PLAIN server asks about its clients, or making zring sockets that
// share inproc:// endpoints with the adapter's. Do not Close it.
func SharedContext() (*zring.Context, error) {
	shared.once.Do(func() {
		shared.ctx, shared.err = zring.NewContext()
	})
	return shared.ctx, shared.err
}
