package socket

import (
	"github.com/zring/zring/internal/zerr"
	"github.com/zring/zring/mempool"
	"github.com/zring/zring/zmtp"
)

// The shape RADIO and DISH share (RFC 48): a message is two frames, the
// group (MORE set, at most zmtp.MaxGroupLen bytes) and the body, the wire
// form over stream transports. A DISH's JOIN and LEAVE travel to its RADIO
// peers as the messages [0x01|group] and [0x00|group], the form SUB's
// subscriptions take (the engine turns them into the JOIN and LEAVE
// commands, and back).

// Grouper is a pattern whose application joins and leaves groups (DISH).
type Grouper interface {
	// Join joins group (on) or leaves it: zerr.ErrInvalid for a group
	// longer than zmtp.MaxGroupLen, joined twice, or left without being
	// joined, as in libzmq.
	Join(group []byte, on bool) error
}

// checkGroupFirst checks the first part of a message sent on a RADIO:
// a group, with the body to follow.
func checkGroupFirst(first *mempool.Frame) error {
	if !first.More() || first.Len() > zmtp.MaxGroupLen || overTwoParts(first) {
		return zerr.ErrInvalid
	}
	return nil
}

// overTwoParts reports whether the parts of a message already chained to
// first (a whole message from SendMulti) go beyond a second.
func overTwoParts(first *mempool.Frame) bool {
	next := first.Next()
	return next != nil && (next.More() || next.Next() != nil)
}

// twoParts reports whether msg is a group and a body.
func twoParts(msg *mempool.Frame) bool {
	return msg.Next() != nil && msg.Next().Next() == nil
}
