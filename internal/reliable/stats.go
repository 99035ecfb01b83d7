package reliable

import "sync/atomic"

// ClientStats counts a client's requests; majordomo's and pirate's
// ClientStats convert from it.
type ClientStats struct {
	Sent     uint64 // requests begun (each once, however often resent)
	Answered uint64 // requests that got their reply
	Retried  uint64 // resends after a timeout
	Failed   uint64 // requests given up
}

// ClientCounters are a client's live counters, safe for concurrent use.
type ClientCounters struct{ Sent, Answered, Retried, Failed atomic.Uint64 }

// Snapshot reads the counters.
func (c *ClientCounters) Snapshot() ClientStats {
	return ClientStats{Sent: c.Sent.Load(), Answered: c.Answered.Load(), Retried: c.Retried.Load(), Failed: c.Failed.Load()}
}

// WorkerStats counts what a worker did; majordomo's and pirate's
// WorkerStats convert from it.
type WorkerStats struct {
	Requests   uint64 // requests received
	Replies    uint64 // replies sent
	Reconnects uint64 // reconnections
	Malformed  uint64 // messages from the peer dropped
}

// WorkerCounters are a worker's live counters, safe for concurrent use.
// A Link counts Replies (SendReply) and Reconnects; the worker's handler
// counts Requests and Malformed.
type WorkerCounters struct{ Requests, Replies, Reconnects, Malformed atomic.Uint64 }

// Snapshot reads the counters.
func (c *WorkerCounters) Snapshot() WorkerStats {
	return WorkerStats{Requests: c.Requests.Load(), Replies: c.Replies.Load(), Reconnects: c.Reconnects.Load(), Malformed: c.Malformed.Load()}
}
