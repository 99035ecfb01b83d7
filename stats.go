package zring

// Stats are a socket's counters, read with Socket.Stats. Each is counted
// where its event happens, with an atomic add; none costs a lock.
type Stats struct {
	// ProtocolErrors counts connections closed because the peer broke
	// ZMTP: a malformed greeting, frame, command or metadata, a frame
	// beyond MAXMSGSIZE or beyond the machine's memory, a CURVE box that
	// does not open. The socket keeps serving its other peers; the
	// monitor's DISCONNECTED (and HANDSHAKE_FAILED_*) events give each
	// one's reason.
	ProtocolErrors uint64
	// SpeculativeWrites counts sends the sending goroutine wrote to the
	// connection itself, saving the hop to an I/O thread (a send after a
	// receive, or after a pause; docs/architecture.md).
	SpeculativeWrites uint64
	// DirectReads counts replies the receiving goroutine read from the
	// connection itself, woken by Go's netpoller.
	DirectReads uint64
	// ResumedReads counts times a receiving goroutine that freed room in
	// a full queue read and decoded the connection's next messages itself,
	// on its own core, instead of waking an I/O thread to (a receiver
	// slower than its peer).
	ResumedReads uint64
}

// Stats returns the socket's counters. It may be called at any time, also
// after Close.
func (s *Socket) Stats() Stats {
	return Stats{
		ProtocolErrors:    s.counters.ProtocolErrors.Load(),
		SpeculativeWrites: s.counters.SpeculativeWrites.Load(),
		DirectReads:       s.counters.DirectReads.Load(),
		ResumedReads:      s.counters.ResumedReads.Load(),
	}
}
