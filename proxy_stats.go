package zring

import (
	"context"
	"encoding/binary"
	"fmt"
)

// ProxyStatistics is the reply to a steerable proxy's STATISTICS command
// (ProxySteerable), typed: what libzmq sends as 8 frames of uint64.
type ProxyStatistics struct {
	Frontend, Backend ProxySide
}

// ProxySide is one side's counts: whole messages (a multipart message
// once) and their bytes, received from it and sent to it.
type ProxySide struct {
	MsgsIn, BytesIn, MsgsOut, BytesOut uint64
}

// fields are st's counts in the order of the reply's frames.
func (st *ProxyStatistics) fields() [8]*uint64 {
	f, b := &st.Frontend, &st.Backend
	return [8]*uint64{&f.MsgsIn, &f.BytesIn, &f.MsgsOut, &f.BytesOut, &b.MsgsIn, &b.BytesIn, &b.MsgsOut, &b.BytesOut}
}

// ParseProxyStatistics reads a STATISTICS reply: 8 frames of 8 bytes in
// host order, from zring's proxy or libzmq's. Anything else is ErrInvalid.
func ParseProxyStatistics(reply [][]byte) (ProxyStatistics, error) {
	var st ProxyStatistics
	fields := st.fields()
	if len(reply) != len(fields) {
		return st, fmt.Errorf("%w: STATISTICS reply of %d frames, want %d", ErrInvalid, len(reply), len(fields))
	}
	for i, f := range reply {
		if len(f) != 8 {
			return st, fmt.Errorf("%w: STATISTICS frame %d of %d bytes, want 8", ErrInvalid, i, len(f))
		}
		*fields[i] = binary.NativeEndian.Uint64(f)
	}
	return st, nil
}

// frames is st as a STATISTICS reply.
func (st ProxyStatistics) frames() [][]byte {
	fields := st.fields()
	out := make([][]byte, len(fields))
	for i, v := range fields {
		out[i] = binary.NativeEndian.AppendUint64(nil, *v)
	}
	return out
}

// RequestProxyStatistics asks a steerable proxy for its statistics
// through control, a REQ (or DEALER) connected to the proxy's control
// socket, and returns them typed. ctx bounds the round trip.
func RequestProxyStatistics(ctx context.Context, control *Socket) (ProxyStatistics, error) {
	if control == nil {
		return ProxyStatistics{}, fmt.Errorf("%w: nil control socket", ErrInvalid)
	}
	if err := control.SendStringContext(ctx, "STATISTICS", 0); err != nil {
		return ProxyStatistics{}, err
	}
	reply, err := control.RecvMultiContext(ctx, 0)
	if err != nil {
		return ProxyStatistics{}, err
	}
	return ParseProxyStatistics(reply)
}
