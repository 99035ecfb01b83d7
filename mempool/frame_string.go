package mempool

import (
	"fmt"
	"io"
	"log/slog"
	"strconv"
)

// Printing frames. A frame's storage is pooled: beyond its length, and
// after a Release, it holds bytes of earlier messages, and its body may be
// anything an application sends. So fmt's verbs and log/slog show only the
// frame's length, flags and references, never body bytes; Bytes is the
// way to the body.

// String returns "Frame(len=N more=B refs=R)", or "Frame(free)" for a
// frame back in its pool and "Frame(nil)" for a nil one. It shows no body
// bytes.
func (f *Frame) String() string {
	if f == nil {
		return "Frame(nil)"
	}
	if f.flags&flagFree != 0 {
		return "Frame(free)"
	}
	b := make([]byte, 0, 40)
	b = append(b, "Frame(len="...)
	b = strconv.AppendInt(b, int64(len(f.buf)), 10)
	b = append(b, " more="...)
	b = strconv.AppendBool(b, f.More())
	b = append(b, " refs="...)
	b = strconv.AppendInt(b, int64(f.refs.Load()), 10)
	b = append(b, ')')
	return string(b)
}

// GoString is String, so %#v does not print the frame's storage.
func (f *Frame) GoString() string { return f.String() }

// Format prints String for every verb (%v, %+v, %#v, %s, %x ...), so no
// verb prints the frame's storage.
func (f *Frame) Format(s fmt.State, _ rune) { _, _ = io.WriteString(s, f.String()) }

// LogValue groups the frame's length, MORE flag and references for
// log/slog; no body bytes.
func (f *Frame) LogValue() slog.Value {
	if f == nil {
		return slog.StringValue("nil")
	}
	if f.flags&flagFree != 0 {
		return slog.GroupValue(slog.Bool("free", true))
	}
	return slog.GroupValue(
		slog.Int("len", len(f.buf)),
		slog.Bool("more", f.More()),
		slog.Int("refs", int(f.refs.Load())),
	)
}
