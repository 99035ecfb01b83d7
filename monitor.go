package zring

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/zring/zring/zmtp"
)

// EventType is a socket monitor event, numbered as libzmq's ZMQ_EVENT_*; a
// mask is their bitwise OR.
type EventType uint32

// Monitor events and what Event.Value holds for each (as in libzmq).
const (
	EventConnected      EventType = 0x0001 // Value: the connection's fd
	EventConnectDelayed EventType = 0x0002 // Value: errno (EINPROGRESS)
	EventConnectRetried EventType = 0x0004 // Value: reconnect interval in ms
	EventListening      EventType = 0x0008 // Value: the listening fd
	EventBindFailed     EventType = 0x0010 // Value: errno
	EventAccepted       EventType = 0x0020 // Value: the accepted fd
	EventAcceptFailed   EventType = 0x0040 // Value: errno
	EventClosed         EventType = 0x0080 // Value: the closed fd (listener, failed connect)
	EventDisconnected   EventType = 0x0200 // Value: the connection's fd
	EventMonitorStopped EventType = 0x0400 // Value: 0
	// EventHandshakeFailedNoDetail: the handshake ended without a protocol
	// reason (peer closed, timeout). Value: 0.
	EventHandshakeFailedNoDetail EventType = 0x0800
	EventHandshakeSucceeded      EventType = 0x1000 // Value: 0
	// EventHandshakeFailedProtocol: Value is a ZMQ_PROTOCOL_ERROR_* code
	// (ProtocolError... constants).
	EventHandshakeFailedProtocol EventType = 0x2000
	// EventHandshakeFailedAuth: Value is the ZAP status code (e.g. 400).
	EventHandshakeFailedAuth EventType = 0x4000
	// EventAll selects every event.
	EventAll EventType = 0xFFFF
)

// libzmq's ZMQ_PROTOCOL_ERROR_* values carried by
// EventHandshakeFailedProtocol.
const (
	ProtocolErrorUnspecified       uint32 = 0x10000000
	ProtocolErrorUnexpectedCommand uint32 = 0x10000001
	ProtocolErrorInvalidSequence   uint32 = 0x10000002
	ProtocolErrorMalformedCommand  uint32 = 0x10000011
	ProtocolErrorMalformedError    uint32 = 0x10000015
	ProtocolErrorMalformedReady    uint32 = 0x10000016
	ProtocolErrorInvalidMetadata   uint32 = 0x10000018
	ProtocolErrorCryptographic     uint32 = 0x11000001
	ProtocolErrorMechanismMismatch uint32 = 0x11000002
	ProtocolErrorZAPMalformedReply uint32 = 0x20000001
)

var eventNames = map[EventType]string{
	EventConnected: "CONNECTED", EventConnectDelayed: "CONNECT_DELAYED",
	EventConnectRetried: "CONNECT_RETRIED", EventListening: "LISTENING",
	EventBindFailed: "BIND_FAILED", EventAccepted: "ACCEPTED",
	EventAcceptFailed: "ACCEPT_FAILED", EventClosed: "CLOSED",
	EventDisconnected: "DISCONNECTED", EventMonitorStopped: "MONITOR_STOPPED",
	EventHandshakeFailedNoDetail: "HANDSHAKE_FAILED_NO_DETAIL",
	EventHandshakeSucceeded:      "HANDSHAKE_SUCCEEDED",
	EventHandshakeFailedProtocol: "HANDSHAKE_FAILED_PROTOCOL",
	EventHandshakeFailedAuth:     "HANDSHAKE_FAILED_AUTH",
}

// String returns libzmq's name without the ZMQ_EVENT_ prefix.
func (e EventType) String() string {
	if n, ok := eventNames[e]; ok {
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

// Stop ends monitoring: EventMonitorStopped is sent (if selected) and the
// channel closed. It is idempotent.
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
	if err := s.openErr(); err != nil {
		return nil, err
	}
	m := &Monitor{sock: s, mask: mask, ch: make(chan Event, monitorBuffer)}
	if old := s.mon.Swap(m); old != nil {
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
	if m := s.mon.Load(); m != nil && m.mask&t != 0 {
		m.send(Event{Type: t, Value: value, Endpoint: endpoint, Err: err})
	}
}

// errnoValue is the errno libzmq would report for err, or 0.
func errnoValue(err error) uint32 {
	if errors.Is(err, ErrAddrInUse) {
		return uint32(syscall.EADDRINUSE)
	}
	var en syscall.Errno
	if errors.As(err, &en) {
		return uint32(en)
	}
	return 0
}

// handshakeFailure classifies why a handshake failed, as libzmq's events do.
func handshakeFailure(err error) (EventType, uint32) {
	var auth *zmtp.AuthError
	switch {
	case errors.As(err, &auth):
		return EventHandshakeFailedAuth, uint32(auth.Status)
	case errors.Is(err, zmtp.ErrBadZAPReply):
		return EventHandshakeFailedProtocol, ProtocolErrorZAPMalformedReply
	case errors.Is(err, zmtp.ErrPeerError):
		if code, ok := statusCode(err); ok {
			return EventHandshakeFailedAuth, code
		}
		return EventHandshakeFailedProtocol, ProtocolErrorMalformedError
	case errors.Is(err, zmtp.ErrIncompatible), errors.Is(err, zmtp.ErrBadSocketType),
		errors.Is(err, zmtp.ErrBadIdentity), errors.Is(err, zmtp.ErrBadMetadata):
		return EventHandshakeFailedProtocol, ProtocolErrorInvalidMetadata
	case errors.Is(err, zmtp.ErrBadMechanism):
		return EventHandshakeFailedProtocol, ProtocolErrorMechanismMismatch
	case errors.Is(err, zmtp.ErrCrypto):
		return EventHandshakeFailedProtocol, ProtocolErrorCryptographic
	case errors.Is(err, zmtp.ErrNonce):
		return EventHandshakeFailedProtocol, ProtocolErrorInvalidSequence
	case errors.Is(err, zmtp.ErrUnexpectedCommand):
		return EventHandshakeFailedProtocol, ProtocolErrorUnexpectedCommand
	case errors.Is(err, zmtp.ErrBadCommand), errors.Is(err, zmtp.ErrBadFlags):
		return EventHandshakeFailedProtocol, ProtocolErrorMalformedCommand
	case isProtocolError(err):
		return EventHandshakeFailedProtocol, ProtocolErrorUnspecified
	}
	return EventHandshakeFailedNoDetail, 0
}

// statusCode extracts the ZAP status code ("400") an ERROR command
// carried; libzmq reports other reasons as a malformed ERROR.
func statusCode(err error) (uint32, bool) {
	var pe *zmtp.PeerError
	if !errors.As(err, &pe) || len(pe.Reason) != 3 {
		return 0, false
	}
	n, perr := strconv.Atoi(pe.Reason)
	if perr != nil || n < 100 || n > 599 {
		return 0, false
	}
	return uint32(n), true
}
