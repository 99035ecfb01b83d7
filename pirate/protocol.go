package pirate

// Paranoid Pirate commands (spec 6/PPP): single-frame messages between a
// worker and its queue.
const (
	Ready     = "\x01" // worker → queue: I am ready for work
	Heartbeat = "\x02" // both ways: I am alive
)
