//go:build linux

package zring

// DirectReads reports how many receives a goroutine read directly from the
// connection (conn_direct.go).
func (s *Socket) DirectReads() uint64 { return s.counters.DirectReads.Load() }

// DirectWrites reports how many sends the sending goroutine wrote to the
// connection itself (conn.userWrite).
func (s *Socket) DirectWrites() uint64 { return s.counters.SpeculativeWrites.Load() }

// PeerCount reports how many pipes are attached, after running pending
// commands.
func (s *Socket) PeerCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.processCommands()
	return len(s.pipes)
}
