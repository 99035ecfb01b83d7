//go:build linux

package engine

import (
	"errors"
	"net"

	"github.com/zring/zring/zmtp"
	"golang.org/x/sys/unix"
)

// askZAP sends the mechanism's ZAP request. Without a handler, NULL and
// CURVE servers go on as if approved unless ZAP_ENFORCE_DOMAIN is set;
// PLAIN servers refuse, as libzmq does.
func (c *Conn) askZAP() error {
	req := ZAPRequest{Domain: c.sess.opts.Security.ZAPDomain, Address: c.peerAddress(),
		Identity: c.sess.opts.RoutingID, Req: c.hs.ZAPRequest()}
	id, err := c.sess.sock.ZAP().Request(req, c.zapReplyFn)
	switch {
	case err == nil:
		c.zapID = id
		return nil
	case errors.Is(err, ErrNoZAPHandler) && c.sess.zapOptional():
		return c.hsRun(func(dst []byte) ([]byte, zmtp.Step, error) {
			return c.hs.ZAPResult(dst, zmtp.ZAPReply{Status: zmtp.ZAPSuccess})
		})
	}
	return err
}

// zapReply receives the handler's answer on any goroutine and hands it to
// the connection's thread (pre-bound as zapReplyFn).
func (c *Conn) zapReply(id string, r zmtp.ZAPReply, err error) {
	c.thread.Post(func() { c.onZAPReply(id, r, err) })
}

// onZAPReply runs on the I/O thread with the handler's verdict on request
// id; a connection that closed or moved on ignores it.
func (c *Conn) onZAPReply(id string, r zmtp.ZAPReply, err error) {
	if c.state != stHandshake || c.zapID != id {
		return
	}
	c.zapID = ""
	switch {
	case err == nil:
		err = c.hsRun(func(dst []byte) ([]byte, zmtp.Step, error) { return c.hs.ZAPResult(dst, r) })
	case !errors.Is(err, ErrNoZAPHandler):
		err = protocolError(err)
	}
	if err != nil {
		c.close(err)
		return
	}
	c.ioPump()
}

// peerAddress is the peer's IP address as ZAP requests carry it, or ""
// for a transport without one.
func (c *Conn) peerAddress() string {
	if c.ws != nil {
		return c.ws.peerIP
	}
	return fdPeerAddress(c.fd)
}

// fdPeerAddress is peerAddress of a TCP or ipc fd.
func fdPeerAddress(fd int) string {
	sa, err := unix.Getpeername(fd)
	if err != nil {
		return ""
	}
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return net.IP(a.Addr[:]).String()
	case *unix.SockaddrInet6:
		return net.IP(a.Addr[:]).String()
	}
	return ""
}
