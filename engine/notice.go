//go:build linux

package engine

import "github.com/zring/zring/mempool"

// The messages libzmq 4.3.5's draft API lets a socket exchange about its
// connections (ZMQ_HELLO_MSG, ZMQ_DISCONNECT_MSG, ZMQ_HICCUP_MSG), for the
// socket types it allows each on.

// queueHello makes the session's HELLO_MSG the first message the new
// connection c writes, before anything from the pipe. On the I/O thread,
// before c is published to senders.
func (ss *Session) queueHello(c *Conn) {
	if len(ss.opts.HelloMsg) == 0 || !ss.opts.Type.SendsHello() {
		return
	}
	hello := mempool.FromBytes(ss.opts.HelloMsg)
	c.out.msg, c.out.next = hello, hello
}

// notice delivers to the socket, when a connection that was up fails,
// DISCONNECT_MSG for an accepted one (ROUTER, SERVER, PEER) or
// HICCUP_MSG for a connected one (CLIENT, DEALER, PEER), as libzmq's
// session does on an engine error. A full inbound pipe drops it. On the
// I/O thread, which holds the closed connection's input token and so the
// pipe's inbound side.
func (ss *Session) notice() {
	msg, applies := ss.opts.HiccupMsg, ss.opts.Type.ReceivesHiccup()
	if ss.addr == nil {
		msg, applies = ss.opts.DisconnectMsg, ss.opts.Type.ReceivesDisconnect()
	}
	if !applies || len(msg) == 0 || ss.pipe == nil {
		return
	}
	f := mempool.FromBytes(msg)
	ok, wake := ss.pipe.Write(f)
	if !ok {
		f.Release()
		return
	}
	if ss.pipe.Flush() || wake {
		ss.sock.Command(CmdActivateRead, ss.pipe.Socket())
	}
}
