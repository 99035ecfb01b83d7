//go:build linux

package zmq4

import (
	"bytes"
	"fmt"
)

// MsgType tells a user message from a ZMTP command.
type MsgType byte

// The message types. zring never hands ZMTP commands to the application,
// so every message Recv returns is a UsrMsg.
const (
	UsrMsg MsgType = 0
	CmdMsg MsgType = 1
)

// Msg is a message, possibly of several frames. Send and SendMulti copy
// the frames (the caller keeps them); the frames of a Msg returned by Recv
// are fresh slices the caller owns.
type Msg struct {
	Frames [][]byte
	Type   MsgType
	err    error
}

// NewMsg returns a one-frame message holding frame (not copied).
func NewMsg(frame []byte) Msg { return Msg{Frames: [][]byte{frame}} }

// NewMsgFrom returns a message of the given frames (not copied).
func NewMsgFrom(frames ...[]byte) Msg { return Msg{Frames: frames} }

// NewMsgString returns a one-frame message holding frame.
func NewMsgString(frame string) Msg { return NewMsg([]byte(frame)) }

// NewMsgFromString returns a message of one frame per string.
func NewMsgFromString(frames []string) Msg {
	msg := Msg{Frames: make([][]byte, len(frames))}
	for i, f := range frames {
		msg.Frames[i] = []byte(f)
	}
	return msg
}

// Err returns the error the message was received with, if any (Recv
// returns it as well).
func (msg Msg) Err() error { return msg.err }

// Bytes returns the frames concatenated, in a new slice.
func (msg Msg) Bytes() []byte {
	n := 0
	for _, f := range msg.Frames {
		n += len(f)
	}
	buf := make([]byte, 0, n)
	for _, f := range msg.Frames {
		buf = append(buf, f...)
	}
	return buf
}

// String formats the message as upstream does: Msg{Frames:{"a", "b"}}.
func (msg Msg) String() string {
	var buf bytes.Buffer
	buf.WriteString("Msg{Frames:{")
	for i, f := range msg.Frames {
		if i > 0 {
			buf.WriteString(", ")
		}
		fmt.Fprintf(&buf, "%q", f)
	}
	buf.WriteString("}}")
	return buf.String()
}

// Clone returns a deep copy of the message's frames.
func (msg Msg) Clone() Msg {
	o := Msg{Frames: make([][]byte, len(msg.Frames))}
	for i, f := range msg.Frames {
		o.Frames[i] = bytes.Clone(f)
		if o.Frames[i] == nil {
			o.Frames[i] = []byte{}
		}
	}
	return o
}

// Cmd is a ZMTP command (RFC 23). zring runs the ZMTP commands itself;
// the type is here so that code naming it still compiles.
type Cmd struct {
	Name string
	Body []byte
}

// ZMTP command names (RFC 23).
const (
	CmdCancel      = "CANCEL"
	CmdError       = "ERROR"
	CmdHello       = "HELLO"
	CmdInitiate    = "INITIATE"
	CmdPing        = "PING"
	CmdPong        = "PONG"
	CmdReady       = "READY"
	CmdSubscribe   = "SUBSCRIBE"
	CmdUnsubscribe = "UNSUBSCRIBE"
	CmdWelcome     = "WELCOME"
)
