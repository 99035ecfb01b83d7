package zring

import "github.com/zring/zring/mempool"

// Frame is one message part in pooled memory, the unit of the zero-copy
// API (SendFrame, RecvFrame). Whoever holds a frame owns it and must
// Release it exactly once, or hand it on: SendFrame takes ownership when it
// returns nil, and RecvFrame gives the caller a frame it owns. The type is
// mempool's, which documents its methods and pools (go doc
// github.com/zring/zring/mempool.Frame); those an application uses are
// Bytes (the body, valid until Release), Len and SetLen, More (more parts
// follow, on a received frame), Retain (one more owner) and Release.
type Frame = mempool.Frame

// NewFrame returns a frame of size bytes from the pools, for the caller to
// fill through Bytes and then send or Release. Its contents are not zeroed.
func NewFrame(size int) *Frame { return mempool.Get(size) }

// FrameOf returns a pooled frame holding a copy of b; the caller keeps b.
func FrameOf(b []byte) *Frame { return mempool.FromBytes(b) }
