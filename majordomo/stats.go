package majordomo

// ClientStats counts a client's requests.
type ClientStats struct {
	Sent     uint64 // requests begun (each once, however often resent)
	Answered uint64 // requests that got their reply
	Retried  uint64 // resends after a timeout
	Failed   uint64 // requests given up (ErrNoReply, ErrMalformed, a socket error, ctx)
}

// BrokerStats counts what a Broker did.
type BrokerStats struct {
	Requests     uint64 // client requests accepted for a service
	Replies      uint64 // worker replies (REPLY or FINAL) routed back to clients
	Partials     uint64 // MDP/0.2 PARTIAL replies routed to MDP/0.2 clients
	Unrelayed    uint64 // PARTIALs dropped because the client speaks MDP/0.1
	Internal     uint64 // mmi.* requests answered by the broker
	Dropped      uint64 // requests dropped: a service queue at MaxQueued
	Malformed    uint64 // messages that broke MDP/0.1 or MDP/0.2, dropped
	WorkersReady uint64 // READY commands accepted
	Expired      uint64 // workers forgotten after missing heartbeats
	Disconnects  uint64 // DISCONNECTs received from workers
	Disconnected uint64 // DISCONNECTs sent to workers that broke the protocol
	Workers      int    // workers known now
	Waiting      int    // workers waiting for work now
	Queued       int    // requests queued now, over every service
	Services     int    // services known now
}

// WorkerStats counts what a Worker did.
type WorkerStats struct {
	Requests   uint64 // requests received
	Replies    uint64 // replies sent, PARTIALs included
	Reconnects uint64 // reconnections after the broker fell silent or sent DISCONNECT
	Malformed  uint64 // messages from the broker that broke the protocol, dropped
}
