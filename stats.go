package zring

import "sync/atomic"

// Stats are a socket's counters, read with Socket.Stats. Each is counted
// where its event happens, never per message.
type Stats struct {
	// ProtocolErrors counts connections closed because the peer broke
	// ZMTP: a malformed greeting, frame, command or metadata, a frame
	// beyond MAXMSGSIZE or beyond the machine's memory, a CURVE box that
	// does not open. The socket keeps serving its other peers; the
	// monitor's DISCONNECTED (and HANDSHAKE_FAILED_*) events give each
	// one's reason.
	ProtocolErrors uint64
}

// stats holds the live counters behind Stats.
type stats struct {
	protocolErrors atomic.Uint64 // written by I/O threads, read by Stats
}

// Stats returns the socket's counters. It may be called at any time, also
// after Close.
func (s *Socket) Stats() Stats {
	return Stats{ProtocolErrors: s.stats.protocolErrors.Load()}
}
