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

// ParseProxyStatistics reads a STATISTICS reply: 8 frames of 8 bytes in
// host order, from zring's proxy or libzmq's. Anything else is ErrInvalid.
func ParseProxyStatistics(reply [][]byte) (ProxyStatistics, error) {
	var st ProxyStatistics
	vals := []*uint64{
		&st.Frontend.MsgsIn, &st.Frontend.BytesIn, &st.Frontend.MsgsOut, &st.Frontend.BytesOut,
		&st.Backend.MsgsIn, &st.Backend.BytesIn, &st.Backend.MsgsOut, &st.Backend.BytesOut,
	}
	if len(reply) != len(vals) {
		return st, fmt.Errorf("%w: STATISTICS reply of %d frames, want %d", ErrInvalid, len(reply), len(vals))
	}
	for i, f := range reply {
		if len(f) != 8 {
			return st, fmt.Errorf("%w: STATISTICS frame %d of %d bytes, want 8", ErrInvalid, i, len(f))
		}
		*vals[i] = binary.NativeEndian.Uint64(f)
	}
	return st, nil
}

// frames is st as a STATISTICS reply.
func (st ProxyStatistics) frames() [][]byte {
	vals := []uint64{
		st.Frontend.MsgsIn, st.Frontend.BytesIn, st.Frontend.MsgsOut, st.Frontend.BytesOut,
		st.Backend.MsgsIn, st.Backend.BytesIn, st.Backend.MsgsOut, st.Backend.BytesOut,
	}
	out := make([][]byte, len(vals))
	for i, v := range vals {
		out[i] = binary.NativeEndian.AppendUint64(nil, v)
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
