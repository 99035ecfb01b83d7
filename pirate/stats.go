package pirate

// ClientStats counts a LazyClient's requests.
type ClientStats struct {
	Sent     uint64 // requests begun (each once, however often resent)
	Answered uint64 // requests that got their reply
	Retried  uint64 // resends after a timeout
	Failed   uint64 // requests given up (ErrNoReply, a socket error, ctx)
}

// QueueStats counts what a Queue did.
type QueueStats struct {
	Requests  uint64 // client requests handed to a worker
	Replies   uint64 // worker replies passed back to clients
	Malformed uint64 // messages dropped: unknown single frames, no envelope
	Expired   uint64 // ready workers forgotten after missing heartbeats
	Ready     int    // workers ready now
}

// WorkerStats counts what a Worker did.
type WorkerStats struct {
	Requests   uint64 // requests received
	Replies    uint64 // replies sent
	Reconnects uint64 // reconnections after the queue fell silent
	Malformed  uint64 // messages from the queue dropped
}
