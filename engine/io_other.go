//go:build !linux

package engine

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/zring/zring/internal/pipe"
)

// The ZMTP engines run on Linux only, for now: off Linux, New returns an
// error matching errors.ErrUnsupported, so no Thread exists to run a
// session on. These declarations let the packages above build everywhere;
// nothing here is ever reached.

var errNoEngines = fmt.Errorf("engine: %w: zring's I/O runs on Linux only, for now", errors.ErrUnsupported)

// Addr is a resolved tcp:// or ipc:// endpoint (Linux only).
type Addr struct{}

// Discard does nothing off Linux.
func (Addr) Discard() {}

// String is empty off Linux.
func (Addr) String() string { return "" }

// CheckBind reports nothing: there are no binds off Linux.
func (Addr) CheckBind(*tls.Config) error { return nil }

// ParseEndpoint fails off Linux.
func ParseEndpoint(string) (transport, addr string, err error) { return "", "", errNoEngines }

// Resolve fails off Linux.
func Resolve(*net.Resolver, string, string, bool, bool) (Addr, error) { return Addr{}, errNoEngines }

// LookupAll fails off Linux.
func LookupAll(context.Context, Addr, bool) ([]Addr, error) { return nil, errNoEngines }

// Name is empty off Linux.
func (Addr) Name() string { return "" }

// ResolveTCP fails off Linux.
func ResolveTCP(*net.Resolver, string, bool, bool) (Addr, error) { return Addr{}, errNoEngines }

// Session is a peer's session (Linux only).
type Session struct{}

// UDPAddr is a resolved udp:// endpoint.
type UDPAddr struct{}

// String formats the endpoint.
func (UDPAddr) String() string { return "" }

// ResolveUDP fails: no engines here.
func ResolveUDP(string, bool, bool) (UDPAddr, error) { return UDPAddr{}, errNoEngines }

// OpenUDP fails: no engines here.
func OpenUDP(Socket, *Thread, SessionOptions, UDPAddr, bool, string) (*Session, *pipe.Pipe, error) {
	return nil, nil, errNoEngines
}

// Dropped is false.
func (*Session) Dropped() bool { return false }

// UDPBound is false.
func (*Session) UDPBound() bool { return false }

// Dial fails off Linux.
func Dial(Socket, *Thread, SessionOptions, Addr, *Addr, string) (*Session, *pipe.Pipe, error) {
	return nil, nil, errNoEngines
}

// Start does nothing off Linux.
func (*Session) Start() {}

// Close does nothing off Linux.
func (*Session) Close(time.Duration) {}

// Connecting is false off Linux.
func (*Session) Connecting() bool { return false }

// Endpoint is empty off Linux.
func (*Session) Endpoint() string { return "" }

// Listener is nil off Linux.
func (*Session) Listener() *Listener { return nil }

// Thread is nil off Linux.
func (*Session) Thread() *Thread { return nil }

// Live is nil off Linux.
func (*Session) Live() *Conn { return nil }

// WakeReader does nothing off Linux.
func (*Session) WakeReader() {}

// WakeWriter does nothing off Linux.
func (*Session) WakeWriter() {}

// Refuse does nothing off Linux.
func (*Session) Refuse(error) {}

// Drop does nothing off Linux.
func (*Session) Drop() {}

// Listener accepts connections (Linux only).
type Listener struct{}

// Listen fails off Linux.
func Listen(Socket, *Context, uint64, string, Addr, TCPOptions) (*Listener, error) {
	return nil, errNoEngines
}

// Endpoint is empty off Linux.
func (*Listener) Endpoint() string { return "" }

// Thread is nil off Linux.
func (*Listener) Thread() *Thread { return nil }

// Asked is empty off Linux.
func (*Listener) Asked() string { return "" }

// Start does nothing off Linux.
func (*Listener) Start() {}

// Discard does nothing off Linux.
func (*Listener) Discard() {}

// Close does nothing off Linux.
func (*Listener) Close() {}

// Unbind does nothing off Linux.
func (*Listener) Unbind() {}

// Conn is one connection (Linux only).
type Conn struct{}

// AcquireRead is false off Linux.
func (*Conn) AcquireRead(time.Time) bool { return false }

// WaitRead fails off Linux.
func (*Conn) WaitRead() error { return errNoEngines }

// Handback is false off Linux.
func (*Conn) Handback() bool { return false }

// ReleaseRead does nothing off Linux.
func (*Conn) ReleaseRead(bool) {}

// InterruptRead does nothing off Linux.
func (*Conn) InterruptRead() {}
