package zring

import (
	"context"
	"log/slog"
)

// Logging: a Context given WithLogger logs its sockets' connection
// lifecycle from the monitor events, never anything per message. It is
// silent by default.

// WithLogger has the context's sockets log connections made, accepted and
// lost at Info, and handshake, bind and accept failures at Warn (with the
// reason), to l. Reconnect attempts log at Debug. nil (the default) logs
// nothing.
func WithLogger(l *slog.Logger) ContextOption {
	return func(o *contextOptions) error {
		o.logger = l
		return nil
	}
}

// eventLevel is the level an event logs at; ok is false for events that
// are not logged.
func eventLevel(t EventType) (level slog.Level, ok bool) {
	switch t {
	case EventConnected, EventAccepted, EventDisconnected, EventListening, EventHandshakeSucceeded:
		return slog.LevelInfo, true
	case EventHandshakeFailedNoDetail, EventHandshakeFailedProtocol, EventHandshakeFailedAuth,
		EventBindFailed, EventAcceptFailed:
		return slog.LevelWarn, true
	case EventConnectRetried, EventClosed:
		return slog.LevelDebug, true
	}
	return 0, false
}

// logEvent logs one monitor event of s, if the context has a logger.
func (s *Socket) logEvent(t EventType, value uint32, endpoint string, err error) {
	l := s.ctx.logger
	if l == nil {
		return
	}
	level, ok := eventLevel(t)
	if !ok || !l.Enabled(context.Background(), level) {
		return
	}
	attrs := []slog.Attr{slog.String("socket", s.typ.String()), slog.String("endpoint", endpoint)}
	if t == EventConnectRetried {
		attrs = append(attrs, slog.Int("retry_ms", int(value)))
	}
	if err != nil {
		attrs = append(attrs, slog.String("reason", err.Error()))
	}
	l.LogAttrs(context.Background(), level, "zring: "+t.String(), attrs...)
}
