package socket

// DirectReads reports how many receives a goroutine read directly from the
// connection (conn_direct.go).
func (s *Socket) DirectReads() uint64 { return s.directReads.Load() }
