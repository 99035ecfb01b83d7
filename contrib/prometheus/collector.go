package zringprom

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/zring/zring"
)

// Collector is a prometheus.Collector of the sockets added to it. Safe
// for concurrent use.
type Collector struct {
	mu      sync.Mutex
	sockets map[string]*zring.Socket
}

// New returns a Collector with no sockets.
func New() *Collector { return &Collector{sockets: map[string]*zring.Socket{}} }

// Add exports s under the label socket=name, replacing a socket added
// under that name before. A closed socket keeps showing its final counts
// until it is removed.
func (c *Collector) Add(name string, s *zring.Socket) {
	c.mu.Lock()
	c.sockets[name] = s
	c.mu.Unlock()
}

// Remove stops exporting the socket added under name.
func (c *Collector) Remove(name string) {
	c.mu.Lock()
	delete(c.sockets, name)
	c.mu.Unlock()
}

// metric is one exported series family and how it reads Stats.
type metric struct {
	desc  *prometheus.Desc
	kind  prometheus.ValueType
	value func(st *zring.Stats) float64
}

func counter(name, help string, extra []string, value func(st *zring.Stats) float64) metric {
	return metric{prometheus.NewDesc("zring_socket_"+name, help, append([]string{"socket"}, extra...), nil), prometheus.CounterValue, value}
}

func gauge(name, help string, value func(st *zring.Stats) float64) metric {
	return metric{prometheus.NewDesc("zring_socket_"+name, help, []string{"socket"}, nil), prometheus.GaugeValue, value}
}

// labelled is a family with one more label, one series per value.
type labelled struct {
	desc   *prometheus.Desc
	kind   prometheus.ValueType
	values map[string]func(st *zring.Stats) float64
}

var (
	metrics = []metric{
		counter("messages_sent_total", "Messages the application sent (each multipart message once).", nil, func(st *zring.Stats) float64 { return float64(st.MsgsOut) }),
		counter("sent_bytes_total", "Bytes of the messages the application sent.", nil, func(st *zring.Stats) float64 { return float64(st.BytesOut) }),
		counter("messages_received_total", "Messages the application received.", nil, func(st *zring.Stats) float64 { return float64(st.MsgsIn) }),
		counter("received_bytes_total", "Bytes of the messages the application received.", nil, func(st *zring.Stats) float64 { return float64(st.BytesIn) }),
		counter("dropped_messages_total", "Messages dropped for a peer whose queue was at the high-water mark.", nil, func(st *zring.Stats) float64 { return float64(st.DroppedAtHWM) }),
		counter("blocked_seconds_total", "Time senders waited for room at the high-water mark.", nil, func(st *zring.Stats) float64 { return st.BlockedAtHWM.Seconds() }),
		counter("reconnects_total", "Reconnect attempts scheduled.", nil, func(st *zring.Stats) float64 { return float64(st.ConnectRetried) }),
		counter("handshakes_total", "Handshakes that completed.", nil, func(st *zring.Stats) float64 { return float64(st.HandshakesSucceeded) }),
		counter("protocol_errors_total", "Connections closed because the peer broke ZMTP.", nil, func(st *zring.Stats) float64 { return float64(st.ProtocolErrors) }),
		gauge("peers", "Peers attached now.", func(st *zring.Stats) float64 { return float64(st.Peers) }),
	}
	families = []labelled{
		{prometheus.NewDesc("zring_socket_connections_total", "Connection events: connected (by Connect), accepted (on a bind), disconnected.", []string{"socket", "event"}, nil),
			prometheus.CounterValue, map[string]func(st *zring.Stats) float64{
				"connected":    func(st *zring.Stats) float64 { return float64(st.Connected) },
				"accepted":     func(st *zring.Stats) float64 { return float64(st.Accepted) },
				"disconnected": func(st *zring.Stats) float64 { return float64(st.Disconnected) },
			}},
		{prometheus.NewDesc("zring_socket_handshake_failures_total", "Handshakes that failed, by reason.", []string{"socket", "reason"}, nil),
			prometheus.CounterValue, map[string]func(st *zring.Stats) float64{
				"protocol": func(st *zring.Stats) float64 { return float64(st.HandshakeFailedProtocol) },
				"auth":     func(st *zring.Stats) float64 { return float64(st.HandshakeFailedAuth) },
				"other":    func(st *zring.Stats) float64 { return float64(st.HandshakeFailedNoDetail) },
			}},
		{prometheus.NewDesc("zring_socket_queued_messages", "Messages waiting in the peers' queues now: out (sent, not yet taken) and in (arrived, not yet received).", []string{"socket", "direction"}, nil),
			prometheus.GaugeValue, map[string]func(st *zring.Stats) float64{
				"out": func(st *zring.Stats) float64 { return float64(st.QueuedOut) },
				"in":  func(st *zring.Stats) float64 { return float64(st.QueuedIn) },
			}},
	}
)

// Describe sends every family's description.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, m := range metrics {
		ch <- m.desc
	}
	for _, f := range families {
		ch <- f.desc
	}
}

// Collect reads each socket's Stats once and sends its series.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for name, s := range c.sockets {
		st := s.Stats()
		for _, m := range metrics {
			ch <- prometheus.MustNewConstMetric(m.desc, m.kind, m.value(&st), name)
		}
		for _, f := range families {
			for label, value := range f.values {
				ch <- prometheus.MustNewConstMetric(f.desc, f.kind, value(&st), name, label)
			}
		}
	}
}
