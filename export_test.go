//go:build linux

package zring

// PeerCount reports how many pipes are attached, after running pending
// commands.
func (s *Socket) PeerCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.processCommands()
	return len(s.pipes)
}
