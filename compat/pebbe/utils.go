package zmq4

import (
	"fmt"
)

/*
SendMessage sends a multi-part message on the socket.

Any `[]string' or `[][]byte' is split into separate `string's or `[]byte's.
Any other part that isn't a `string' or `[]byte' is converted to `string'
with `fmt.Sprintf("%v", part)'.

The parts go as one message, whole or not at all (zring.Socket.SendMulti),
where pebbe/zmq4 sends them one by one; they are copied, so the caller keeps
its slices. Returns the total bytes sent, or -1 with the error.
*/
func (soc *Socket) SendMessage(parts ...interface{}) (total int, err error) {
	return soc.sendMessage(0, parts...)
}

// SendMessageDontwait is SendMessage with the DONTWAIT flag.
func (soc *Socket) SendMessageDontwait(parts ...interface{}) (total int, err error) {
	return soc.sendMessage(DONTWAIT, parts...)
}

func (soc *Socket) sendMessage(flags Flag, parts ...interface{}) (int, error) {
	zs, err := soc.z()
	if err != nil {
		return -1, err
	}
	frames := make([][]byte, 0, len(parts))
	total := 0
	add := func(b []byte) {
		frames = append(frames, b)
		total += len(b)
	}
	for _, p := range parts {
		switch t := p.(type) {
		case []string:
			for _, s := range t {
				add([]byte(s))
			}
		case [][]byte:
			for _, b := range t {
				add(b)
			}
		case string:
			add([]byte(t))
		case []byte:
			add(t)
		default:
			add([]byte(fmt.Sprintf("%v", t)))
		}
	}
	if len(frames) == 0 {
		return 0, nil // pebbe/zmq4 sends nothing either
	}
	if err := zs.SendMulti(frames, flags.zflags()); err != nil {
		return -1, errget(err)
	}
	return total, nil
}

/*
RecvMessage receives a multi-part message, whole (the rest of it, if
Recv took its first parts).
*/
func (soc *Socket) RecvMessage(flags Flag) (msg []string, err error) {
	b, err := soc.RecvMessageBytes(flags)
	if err != nil {
		return []string{}, err
	}
	msg = make([]string, len(b))
	for i, p := range b {
		msg[i] = string(p)
	}
	return msg, nil
}

// RecvMessageBytes receives a multi-part message, as RecvMessage; its
// parts are new slices the caller owns.
func (soc *Socket) RecvMessageBytes(flags Flag) (msg [][]byte, err error) {
	zs, err := soc.z()
	if err != nil {
		return [][]byte{}, err
	}
	parts, err := zs.RecvMulti(flags.zflags())
	if err != nil {
		return [][]byte{}, errget(err)
	}
	return nonNil(parts), nil
}

/*
RecvMessageWithMetadata receives a multi-part message with the metadata
of its connection, as RecvWithMetadata reads it.
*/
func (soc *Socket) RecvMessageWithMetadata(flags Flag, properties ...string) (msg []string, metadata map[string]string, err error) {
	b, p, err := soc.RecvMessageBytesWithMetadata(flags, properties...)
	m := make([]string, len(b))
	for i, bt := range b {
		m[i] = string(bt)
	}
	return m, p, err
}

// RecvMessageBytesWithMetadata is RecvMessageWithMetadata with the parts
// as byte slices.
func (soc *Socket) RecvMessageBytesWithMetadata(flags Flag, properties ...string) (msg [][]byte, metadata map[string]string, err error) {
	metadata = map[string]string{}
	zs, err := soc.z()
	if err != nil {
		return [][]byte{}, metadata, err
	}
	parts, md, err := zs.RecvMultiMetadata(flags.zflags())
	if err != nil {
		return [][]byte{}, metadata, errget(err)
	}
	lookup(md, properties, metadata)
	return nonNil(parts), metadata, nil
}

// nonNil makes empty parts []byte{}, as pebbe/zmq4 returns them.
func nonNil(parts [][]byte) [][]byte {
	for i, p := range parts {
		if p == nil {
			parts[i] = []byte{}
		}
	}
	return parts
}
