package majordomo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zring/zring"
)

// Broker is an MDP broker: one ROUTER socket serving clients and workers,
// as the Guide's mdbroker, speaking MDP/0.1 and MDP/0.2 side by side (each
// message's header says which). A request crosses versions: a 0.1 client
// may be served by a 0.2 worker and the other way round. A 0.1 client
// gets only the FINAL of a 0.2 worker's replies, as its REPLY; the
// PARTIALs before it are dropped, counted in BrokerStats.Unrelayed. Make
// it with NewBroker, Bind it, then call Run once; Stats may be read from
// any goroutine meanwhile.
type Broker struct {
	sock   *zring.Socket
	policy BrokerPolicy
	log    *slog.Logger
	reg    *registry

	requests, replies, internal, dropped, malformed atomic.Uint64
	partials, unrelayed                             atomic.Uint64
	ready, expired, disconnects, disconnected       atomic.Uint64
	workers, waiting, queued, services              atomic.Int64

	running   atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

// NewBroker makes a broker on zctx; logger may be nil (silent). The caller
// keeps zctx and closes it after the broker.
func NewBroker(zctx *zring.Context, policy BrokerPolicy, logger *slog.Logger) (*Broker, error) {
	hb, err := policy.Heartbeat.withDefaults()
	if err != nil {
		return nil, err
	}
	policy.Heartbeat = hb
	if policy.MaxQueued < 0 || policy.MaxServices < 0 {
		return nil, fmt.Errorf("%w: MaxQueued %d, MaxServices %d", ErrInvalid, policy.MaxQueued, policy.MaxServices)
	}
	if policy.MaxQueued == 0 {
		policy.MaxQueued = 100000
	}
	if policy.MaxServices == 0 {
		policy.MaxServices = 10000
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	sock, err := zctx.NewSocket(zring.Router, zring.WithLinger(0))
	if err != nil {
		return nil, err
	}
	return &Broker{sock: sock, policy: policy, log: logger, reg: newRegistry()}, nil
}

// Bind binds the broker's socket to endpoint; it may be called for several
// endpoints, before Run.
func (b *Broker) Bind(endpoint string) error {
	if err := b.sock.Bind(endpoint); err != nil {
		return err
	}
	b.log.Info("MDP broker is active", "endpoint", b.sock.Endpoint())
	return nil
}

// Endpoint returns the last endpoint bound, with a wildcard port resolved.
func (b *Broker) Endpoint() string { return b.sock.Endpoint() }

// Run serves clients and workers until ctx ends, then sends DISCONNECT to
// every worker it knows and returns nil. It returns an error if the socket
// fails or was closed (ErrClosed), and ErrInvalid when called twice. Run
// is the only goroutine that touches the broker's socket.
func (b *Broker) Run(ctx context.Context) error {
	if !b.running.CompareAndSwap(false, true) {
		return fmt.Errorf("%w: Run called twice", ErrInvalid)
	}
	poller, err := zring.NewPoller(zring.PollItem{Socket: b.sock, Events: zring.PollIn})
	if err != nil {
		return err
	}
	defer poller.Close()
	interval := b.policy.Heartbeat.Interval
	heartbeatAt := time.Now().Add(interval)
	for {
		_, err := poller.WaitContext(ctx, max(time.Until(heartbeatAt), 0))
		if err != nil {
			if ctx.Err() != nil {
				b.shutdown()
				return nil
			}
			return b.sockErr(err)
		}
		// Take what arrived, a bounded batch, then see to the timers.
		for range 1024 {
			msg, err := b.sock.RecvMulti(zring.DontWait)
			if errors.Is(err, zring.ErrAgain) {
				break
			}
			if err != nil {
				return b.sockErr(err)
			}
			b.handle(msg)
		}
		now := time.Now()
		b.purge(now)
		if !now.Before(heartbeatAt) {
			for _, w := range b.reg.waiting {
				b.sendToWorker(w.identity, w.version, CmdHeartbeat)
			}
			heartbeatAt = now.Add(interval)
		}
		b.gauge()
	}
}

func (b *Broker) sockErr(err error) error {
	if errors.Is(err, zring.ErrClosed) || errors.Is(err, zring.ErrTerminated) {
		return fmt.Errorf("%w: %w", ErrClosed, err)
	}
	return err
}

// shutdown tells every worker to go, as mdbroker's destroy does.
func (b *Broker) shutdown() {
	for id, w := range b.reg.workers {
		b.sendToWorker(id, w.version, CmdDisconnect)
	}
	b.reg = newRegistry()
	b.gauge()
}

// Close closes the broker's socket, giving what Run sent last (the
// DISCONNECTs) up to 100 ms to leave. A running Run returns ErrClosed.
func (b *Broker) Close() error {
	b.closeOnce.Do(func() {
		_ = b.sock.SetOption(zring.WithLinger(100 * time.Millisecond))
		b.closeErr = b.sock.Close()
	})
	return b.closeErr
}

// Stats returns the broker's counters; safe from any goroutine.
func (b *Broker) Stats() BrokerStats {
	return BrokerStats{
		Requests: b.requests.Load(), Replies: b.replies.Load(), Partials: b.partials.Load(),
		Unrelayed: b.unrelayed.Load(), Internal: b.internal.Load(),
		Dropped: b.dropped.Load(), Malformed: b.malformed.Load(), WorkersReady: b.ready.Load(),
		Expired: b.expired.Load(), Disconnects: b.disconnects.Load(), Disconnected: b.disconnected.Load(),
		Workers: int(b.workers.Load()), Waiting: int(b.waiting.Load()),
		Queued: int(b.queued.Load()), Services: int(b.services.Load()),
	}
}

func (b *Broker) gauge() {
	b.workers.Store(int64(len(b.reg.workers)))
	b.waiting.Store(int64(len(b.reg.waiting)))
	b.queued.Store(int64(b.reg.queued))
	b.services.Store(int64(len(b.reg.services)))
}

// handle routes one message. Anything that breaks the protocol is dropped
// and counted; a peer's bytes never stop the broker.
func (b *Broker) handle(msg [][]byte) {
	if len(msg) >= 2 && len(msg[1]) != 0 {
		// MDP/0.2: no empty frame before the header.
		switch string(msg[1]) {
		case ClientHeaderV02:
			if len(msg) < 3 || len(msg[2]) != 1 || msg[2][0] != ClientRequest {
				b.drop("MDP/0.2 client message that is not a REQUEST", msg)
				return
			}
			b.fromClient(msg[0], V02, msg[3:])
		case WorkerHeaderV02:
			b.fromWorker(string(msg[0]), V02, msg[2:])
		default:
			b.drop("unknown header", msg)
		}
		return
	}
	if len(msg) < 3 || len(msg[1]) != 0 {
		b.drop("short or no delimiter", msg)
		return
	}
	sender := string(msg[0])
	switch string(msg[2]) {
	case ClientHeader:
		b.fromClient(msg[0], V01, msg[3:])
	case WorkerHeader:
		b.fromWorker(sender, V01, msg[3:])
	default:
		b.drop("unknown header", msg)
	}
}

func (b *Broker) drop(why string, msg [][]byte) {
	b.malformed.Add(1)
	if b.log.Enabled(context.Background(), slog.LevelDebug) {
		head := make([]string, 0, 4)
		for _, f := range msg[:min(len(msg), 4)] {
			head = append(head, fmt.Sprintf("%.16x", f))
		}
		b.log.Debug("dropped a malformed message", "why", why, "frames", len(msg), "head", head)
	}
}

// fromClient handles [service, body...] from client sender, which speaks
// v.
func (b *Broker) fromClient(sender []byte, v Version, msg [][]byte) {
	if len(msg) < 2 {
		b.drop("client request without a body", msg)
		return
	}
	name := string(msg[0])
	request := make([][]byte, 0, len(msg)+1)
	request = append(request, sender, nil)
	request = append(request, msg[1:]...)
	if strings.HasPrefix(name, InternalPrefix) {
		b.serveInternal(name, v, request)
		return
	}
	s := b.reg.services[name]
	if s == nil && len(b.reg.services) >= b.policy.MaxServices {
		b.dropped.Add(1)
		return
	}
	s = b.reg.service(name)
	if len(s.requests) >= b.policy.MaxQueued {
		b.dropped.Add(1)
		return
	}
	b.requests.Add(1)
	s.requests = append(s.requests, queued{msg: request, client: v})
	b.reg.queued++
	b.dispatch(s)
}

// fromWorker handles [command, ...] from worker sender, which speaks v.
func (b *Broker) fromWorker(sender string, v Version, msg [][]byte) {
	if len(msg) < 1 {
		b.drop("worker message without a command", msg)
		return
	}
	cmd, ok := v.parseWorkerCommand(msg[0])
	if !ok {
		b.drop("unknown worker command", msg)
		return
	}
	w := b.reg.workers[sender]
	if w != nil && w.version != v && cmd != CmdDisconnect {
		// A worker that changed version mid-session breaks the protocol.
		b.disconnect(sender, v, w)
		return
	}
	now := time.Now()
	switch cmd {
	case CmdReady:
		if len(msg) < 2 {
			b.drop("READY without a service", msg)
			return
		}
		name := string(msg[1])
		if w != nil || strings.HasPrefix(name, InternalPrefix) {
			// Not the first command of the session, or a reserved name.
			b.disconnect(sender, v, w)
			return
		}
		if b.reg.services[name] == nil && len(b.reg.services) >= b.policy.MaxServices {
			b.disconnect(sender, v, nil)
			return
		}
		s := b.reg.service(name)
		w = &brokerWorker{identity: sender, version: v, service: s}
		b.reg.workers[sender] = w
		s.workers++
		b.ready.Add(1)
		b.log.Info("worker ready", "service", name, "version", v, "worker", fmt.Sprintf("%x", sender))
		b.reg.setWaiting(w, now.Add(b.policy.Heartbeat.expiry()))
		b.dispatch(s)
	case CmdReply, opPartial: // REPLY, or MDP/0.2's FINAL or PARTIAL
		if w == nil {
			b.disconnect(sender, v, nil)
			return
		}
		if len(msg) < 3 || len(msg[2]) != 0 {
			b.drop("reply without a client envelope", msg)
			return
		}
		final := cmd == CmdReply
		if !final && w.client != V02 {
			// MDP/0.1 has no PARTIAL: its client gets the FINAL alone.
			b.unrelayed.Add(1)
			return
		}
		reply := w.client.clientReply(msg[1], w.service.name, final, msg[3:])
		// Counted before it leaves, so a client that has the reply sees
		// it counted.
		counter := &b.replies
		if !final {
			counter = &b.partials
		}
		counter.Add(1)
		if err := b.sock.SendMulti(reply, zring.DontWait); err != nil {
			counter.Add(^uint64(0))
		}
		if !final {
			return // the worker still holds the request
		}
		b.reg.setWaiting(w, now.Add(b.policy.Heartbeat.expiry()))
		b.dispatch(w.service)
	case CmdHeartbeat:
		if w == nil {
			b.disconnect(sender, v, nil)
			return
		}
		w.expiry = now.Add(b.policy.Heartbeat.expiry())
	case CmdDisconnect:
		b.disconnects.Add(1)
		if w != nil {
			b.reg.delete(w)
		}
	default: // REQUEST is the broker's to send, never a worker's.
		b.drop("REQUEST from a worker", msg)
	}
}

// disconnect sends DISCONNECT to a worker that broke the protocol and
// forgets it.
func (b *Broker) disconnect(sender string, v Version, w *brokerWorker) {
	b.disconnected.Add(1)
	b.sendToWorker(sender, v, CmdDisconnect)
	if w != nil {
		b.reg.delete(w)
	}
}

// dispatch hands queued requests of s to its waiting workers, oldest
// first on both sides.
func (b *Broker) dispatch(s *service) {
	if len(s.requests) > 0 && len(s.waiting) > 0 {
		b.purge(time.Now())
	}
	for len(s.requests) > 0 && len(s.waiting) > 0 {
		request := s.requests[0]
		s.requests[0] = queued{}
		s.requests = s.requests[1:]
		b.reg.queued--
		w := s.waiting[0]
		b.reg.unwait(w)
		w.client = request.client
		b.sendToWorker(w.identity, w.version, CmdRequest, request.msg...)
	}
	if len(s.requests) == 0 {
		s.requests = nil // let the backing array go
	}
}

// purge forgets the waiting workers that fell silent.
func (b *Broker) purge(now time.Time) {
	for _, w := range b.reg.expired(now) {
		b.expired.Add(1)
		b.log.Info("worker expired", "service", w.service.name, "worker", fmt.Sprintf("%x", w.identity))
	}
}

// sendToWorker sends [identity, "", MDPW01, cmd, parts...], or under
// MDP/0.2 [identity, MDPW02, cmd, parts...]. A ROUTER drops a message for
// a peer that left, which is what a dead worker deserves.
func (b *Broker) sendToWorker(identity string, v Version, cmd Command, parts ...[]byte) {
	msg := make([][]byte, 0, 4+len(parts))
	msg = append(msg, []byte(identity))
	msg = append(msg, v.workerMessage(cmd, parts...)...)
	if err := b.sock.SendMulti(msg, zring.DontWait); err != nil {
		b.log.Debug("send to worker failed", "command", cmd, "err", err)
	}
}
