package zring

import (
	"math/bits"
	"sync/atomic"
	"time"

	"github.com/zring/zring/engine"
)

// Stats are a socket's counters, read with Socket.Stats, in the spirit of
// sql.DB.Stats. Nothing on the path of a message takes a lock or
// allocates to count: messages and bytes are plain additions under the
// mutex the send or receive already holds, drops are counted per pipe
// and summed when read, connection events with an atomic add (they are
// rare), and the time blocked only by a sender that blocks.
type Stats struct {
	// MsgsOut and BytesOut count the messages the application sent
	// (each multipart message once) and their bytes, when the socket
	// took them: queued for a peer, or dropped under DroppedAtHWM.
	MsgsOut, BytesOut uint64
	// MsgsIn and BytesIn count the messages the application received
	// and their bytes (inproc, tcp, ipc, udp and ws alike).
	MsgsIn, BytesIn uint64
	// DroppedAtHWM counts messages dropped for a peer whose queue was
	// full: PUB, XPUB and RADIO fan-out (once per peer that missed it),
	// ROUTER and SERVER sends, REP replies. Blocking types (PUSH, DEALER,
	// REQ) wait instead: see BlockedAtHWM.
	DroppedAtHWM uint64
	// BlockedAtHWM is the time senders spent waiting for room at the
	// high-water mark.
	BlockedAtHWM time.Duration

	// Connection lifecycle, as the monitor events count them.
	Connected    uint64 // connections made by Connect (EventConnected)
	Accepted     uint64 // connections accepted on a bound endpoint (EventAccepted)
	Disconnected uint64 // connections that ended (EventDisconnected)
	// ConnectRetried counts reconnect attempts scheduled
	// (EventConnectRetried).
	ConnectRetried uint64
	// AddressesAdded and AddressesRemoved count the addresses that names
	// followed under WithEveryAddress gained and lost
	// (EventAddressAdded, EventAddressRemoved).
	AddressesAdded, AddressesRemoved uint64
	// Handshakes that completed, and those that failed by reason: a
	// protocol violation (or mismatch), a ZAP refusal, or another cause
	// (such as the peer closing or the handshake timing out).
	HandshakesSucceeded     uint64
	HandshakeFailedProtocol uint64
	HandshakeFailedAuth     uint64
	HandshakeFailedNoDetail uint64

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

	// Peers is the number of attached peers (pipes) now.
	Peers int
	// QueuedOut and QueuedIn are the messages now waiting in the peers'
	// queues: sent and not yet taken by an I/O thread (or an inproc
	// peer), and arrived and not yet received.
	QueuedOut, QueuedIn int
}

// msgCounts are the message counts, guarded by Socket.mu.
type msgCounts struct {
	msgsOut, bytesOut uint64
	msgsIn, bytesIn   uint64
	// drops are the DroppedAtHWM of pipes no longer attached.
	drops uint64
}

// eventCounts count each monitor event type: index i is the event 1<<i,
// libzmq's 16 and zring's EventAddressAdded and EventAddressRemoved.
type eventCounts [26]atomic.Uint64

// count counts t, one event type (a single bit).
func (e *eventCounts) count(t EventType) {
	if i := bits.TrailingZeros32(uint32(t)); t&(t-1) == 0 && i < len(e) {
		e[i].Add(1)
	}
}

func (e *eventCounts) of(t EventType) uint64 { return e[bits.TrailingZeros32(uint32(t))].Load() }

// chainBytes is the size of a message's frames.
func chainBytes(f *Frame) (n uint64) {
	for ; f != nil; f = f.Next() {
		n += uint64(f.Len())
	}
	return n
}

// Stats returns the socket's counters. It takes the socket's mutex for a
// moment; it may be called at any time, also after Close.
func (s *Socket) Stats() Stats {
	st := Stats{
		BlockedAtHWM:            time.Duration(s.blockedNs.Load()),
		Connected:               s.eventCounts.of(EventConnected),
		Accepted:                s.eventCounts.of(EventAccepted),
		Disconnected:            s.eventCounts.of(EventDisconnected),
		ConnectRetried:          s.eventCounts.of(EventConnectRetried),
		AddressesAdded:          s.eventCounts.of(EventAddressAdded),
		AddressesRemoved:        s.eventCounts.of(EventAddressRemoved),
		HandshakesSucceeded:     s.eventCounts.of(EventHandshakeSucceeded),
		HandshakeFailedProtocol: s.eventCounts.of(EventHandshakeFailedProtocol),
		HandshakeFailedAuth:     s.eventCounts.of(EventHandshakeFailedAuth),
		HandshakeFailedNoDetail: s.eventCounts.of(EventHandshakeFailedNoDetail),
		ProtocolErrors:          s.counters.ProtocolErrors.Load(),
		SpeculativeWrites:       s.counters.SpeculativeWrites.Load(),
		DirectReads:             s.counters.DirectReads.Load(),
		ResumedReads:            s.counters.ResumedReads.Load(),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closeErr == nil {
		s.processCommands() // pipes attached since the last call count
	}
	c := &s.msgCounts
	st.MsgsOut, st.BytesOut, st.MsgsIn, st.BytesIn = c.msgsOut, c.bytesOut, c.msgsIn, c.bytesIn
	st.DroppedAtHWM = c.drops
	st.Peers = len(s.pipes)
	st.QueuedOut = len(s.resend)
	for _, p := range s.pipes {
		st.DroppedAtHWM += p.Drops
		out, in := p.Queued()
		st.QueuedOut += out
		st.QueuedIn += in
	}
	return st
}

// blockedSince adds the time since start (engine.MonoNow) to BlockedAtHWM.
func (s *Socket) blockedSince(start int64) {
	s.blockedNs.Add(engine.MonoNow() - start)
}
