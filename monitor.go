package zring

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/zring/zring/engine"
)

// EventType is a socket monitor event, numbered as libzmq's ZMQ_EVENT_*; a
// mask is their bitwise OR.
type EventType uint32

// Monitor events and what Event.Value holds for each (as in libzmq).
const (
	EventConnected      EventType = EventType(engine.EventConnected)      // Value: the connection's fd
	EventConnectDelayed EventType = EventType(engine.EventConnectDelayed) // Value: errno (EINPROGRESS)
	EventConnectRetried EventType = EventType(engine.EventConnectRetried) // Value: reconnect interval in ms
	EventListening      EventType = EventType(engine.EventListening)      // Value: the listening fd
	EventBindFailed     EventType = EventType(engine.EventBindFailed)     // Value: errno
	EventAccepted       EventType = EventType(engine.EventAccepted)       // Value: the accepted fd
	EventAcceptFailed   EventType = EventType(engine.EventAcceptFailed)   // Value: errno
	EventClosed         EventType = EventType(engine.EventClosed)         // Value: the closed fd (listener, failed connect)
	EventDisconnected   EventType = EventType(engine.EventDisconnected)   // Value: the connection's fd
	EventMonitorStopped EventType = EventType(engine.EventMonitorStopped) // Value: 0
	// EventHandshakeFailedNoDetail: the handshake ended without a protocol
	// reason (peer closed, timeout). Value: 0.
	EventHandshakeFailedNoDetail EventType = EventType(engine.EventHandshakeFailedNoDetail)
	EventHandshakeSucceeded      EventType = EventType(engine.EventHandshakeSucceeded) // Value: 0
	// EventHandshakeFailedProtocol: Value is a ZMQ_PROTOCOL_ERROR_* code
	// (ProtocolError... constants).
	EventHandshakeFailedProtocol EventType = EventType(engine.EventHandshakeFailedProtocol)
	// EventHandshakeFailedAuth: Value is the ZAP status code (e.g. 400).
	EventHandshakeFailedAuth EventType = EventType(engine.EventHandshakeFailedAuth)
	// EventAll selects every event.
	EventAll EventType = EventType(engine.EventAll)
)

// libzmq's ZMQ_PROTOCOL_ERROR_* values carried by
// EventHandshakeFailedProtocol.
const (
	ProtocolErrorUnspecified       uint32 = engine.ProtocolErrorUnspecified
	ProtocolErrorUnexpectedCommand uint32 = engine.ProtocolErrorUnexpectedCommand
	ProtocolErrorInvalidSequence   uint32 = engine.ProtocolErrorInvalidSequence
	ProtocolErrorMalformedCommand  uint32 = engine.ProtocolErrorMalformedCommand
	ProtocolErrorMalformedError    uint32 = engine.ProtocolErrorMalformedError
	ProtocolErrorMalformedReady    uint32 = engine.ProtocolErrorMalformedReady
	ProtocolErrorInvalidMetadata   uint32 = engine.ProtocolErrorInvalidMetadata
	ProtocolErrorCryptographic     uint32 = engine.ProtocolErrorCryptographic
	ProtocolErrorMechanismMismatch uint32 = engine.ProtocolErrorMechanismMismatch
	ProtocolErrorZAPMalformedReply uint32 = engine.ProtocolErrorZAPMalformedReply
)

// String returns libzmq's name without the ZMQ_EVENT_ prefix.
func (e EventType) String() string {
	switch e {
	case EventAddressAdded:
		return "ADDRESS_ADDED"
	case EventAddressRemoved:
		return "ADDRESS_REMOVED"
	}
	if n, ok := engine.Event(e).Name(); ok {
		return n
	}
	return "EventType(0x" + strconv.FormatUint(uint64(e), 16) + ")"
}

// Event is one monitor event. Value is what libzmq reports with it (an fd,
// an errno, an interval or a protocol error code); Endpoint is the bound or
// connected endpoint; Err, when set, is the cause (why a connection was
// closed or a handshake failed).
type Event struct {
	Type     EventType
	Value    uint32
	Endpoint string
	Err      error
}

// String formats the event as "TYPE value endpoint[: cause]".
func (e Event) String() string {
	s := fmt.Sprintf("%v %d %s", e.Type, e.Value, e.Endpoint)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// monitorBuffer is the capacity of a monitor's channel. Events are raised
// on I/O threads, which never wait for a slow consumer: once the buffer is
// full, events are dropped and counted (Monitor.Dropped).
const monitorBuffer = 1024

// Monitor is a running socket monitor (zmq_socket_monitor).
type Monitor struct {
	sock    *Socket
	mask    EventType
	ch      chan Event
	mu      sync.Mutex // guards closed and sends on ch against Stop
	closed  bool
	dropped atomic.Uint64
}

// Events returns the channel events arrive on. It is closed after
// EventMonitorStopped, when the monitor stops or its socket closes.
func (m *Monitor) Events() <-chan Event { return m.ch }

// Dropped counts events lost because the channel was full.
func (m *Monitor) Dropped() uint64 { return m.dropped.Load() }

// Close ends monitoring (io.Closer): EventMonitorStopped is sent (if
// selected) and the channel closed. It is idempotent and returns nil.
func (m *Monitor) Close() error {
	m.Stop()
	return nil
}

// Stop is Close without its error, as zmq_socket_monitor(s, NULL, 0) in
// libzmq.
func (m *Monitor) Stop() {
	m.sock.mon.CompareAndSwap(m, nil)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return
	}
	m.sendLocked(Event{Type: EventMonitorStopped})
	m.closed = true
	close(m.ch)
}

func (m *Monitor) send(ev Event) {
	m.mu.Lock()
	if !m.closed {
		m.sendLocked(ev)
	}
	m.mu.Unlock()
}

func (m *Monitor) sendLocked(ev Event) {
	if m.mask&ev.Type == 0 {
		return
	}
	select {
	case m.ch <- ev:
	default:
		m.dropped.Add(1)
	}
}

// Monitor starts monitoring the events selected by mask, replacing any
// monitor already running on the socket (which is stopped).
func (s *Socket) Monitor(mask EventType) (*Monitor, error) {
	if s == nil {
		return nil, errNilSocket
	}
	m := &Monitor{sock: s, mask: mask, ch: make(chan Event, monitorBuffer)}
	// The swap happens under Socket.mu with closeErr still nil, so it
	// precedes Close's setting of closeErr, and stopMonitor, which runs
	// after that, loads this monitor and stops it. Checking closeErr and
	// swapping outside the lock would let Close slip in between and leave
	// a monitor that nobody stops.
	s.mu.Lock()
	if err := s.closeErr; err != nil {
		s.mu.Unlock()
		return nil, err
	}
	old := s.mon.Swap(m)
	s.mu.Unlock()
	if old != nil {
		old.Stop()
	}
	return m, nil
}

// MonitorTo publishes the socket's events on a PAIR socket bound to
// endpoint, in libzmq's format: a first frame of 6 bytes (the event as a
// little-endian uint16, then its value as a little-endian uint32) and a
// second frame with the endpoint. A libzmq-style consumer (a PAIR connected
// to endpoint, pyzmq's parse_monitor_message) reads them unchanged. It runs
// until the monitor is stopped or the socket closed; the PAIR socket then
// closes after sending EventMonitorStopped. Events that find no consumer
// connected, or its queue full, are dropped (Dropped counts them), and the
// PAIR socket does not linger, as libzmq's monitor socket.
func (s *Socket) MonitorTo(endpoint string, mask EventType) (*Monitor, error) {
	if err := s.openErr(); err != nil {
		return nil, err
	}
	pair, err := s.ctx.NewSocket(Pair, WithLinger(0))
	if err != nil {
		return nil, err
	}
	if err := pair.Bind(endpoint); err != nil {
		pair.Close()
		return nil, err
	}
	m, err := s.Monitor(mask)
	if err != nil {
		pair.Close()
		return nil, err
	}
	go func() {
		defer pair.Close()
		for ev := range m.Events() {
			head := make([]byte, 6)
			binary.LittleEndian.PutUint16(head, uint16(ev.Type))
			binary.LittleEndian.PutUint32(head[2:], ev.Value)
			err := pair.SendMultiContext(context.Background(), [][]byte{head, []byte(ev.Endpoint)}, DontWait)
			switch {
			case errors.Is(err, ErrAgain):
				m.dropped.Add(1)
			case err != nil:
				return // the context is closing
			}
		}
	}()
	return m, nil
}

// emit raises an event; without a monitor it costs one atomic load.
func (s *Socket) emit(t EventType, value uint32, endpoint string, err error) {
	s.eventCounts.count(t)
	if t&(EventDisconnected|EventConnectRetried) != 0 {
		s.nameConnEnded(endpoint) // one atomic load when no name is followed
	}
	s.logEvent(t, value, endpoint, err)
	if m := s.mon.Load(); m != nil && m.mask&t != 0 {
		m.send(Event{Type: t, Value: value, Endpoint: endpoint, Err: err})
	}
}
