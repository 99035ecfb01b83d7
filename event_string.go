package zring

import (
	"fmt"
	"log/slog"
)

// GoString is the event in Go syntax, with Err as its message: %#v of the
// error would print the internals of its wrapping.
func (e Event) GoString() string {
	errText := "nil"
	if e.Err != nil {
		errText = fmt.Sprintf("errors.New(%q)", e.Err.Error())
	}
	return fmt.Sprintf("socket.Event{Type: 0x%04x /* %v */, Value: %d, Endpoint: %q, Err: %s}",
		uint32(e.Type), e.Type, e.Value, e.Endpoint, errText)
}

// LogValue groups the event's type, value, endpoint and, when set, error
// for log/slog.
func (e Event) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("type", e.Type.String()),
		slog.Uint64("value", uint64(e.Value)),
		slog.String("endpoint", e.Endpoint),
	}
	if e.Err != nil {
		attrs = append(attrs, slog.String("error", e.Err.Error()))
	}
	return slog.GroupValue(attrs...)
}
