package reliable

import (
	"context"
	"errors"
	"time"

	"github.com/zring/zring"
)

// LinkConfig is what a worker's protocol supplies to a Link.
type LinkConfig struct {
	// Heartbeat paces the heartbeats and the liveness countdown, with its
	// defaults already applied (Heartbeat.WithDefaults).
	Heartbeat Heartbeat
	// Ready is sent on every connect (the worker's hello).
	Ready [][]byte
	// Ping is sent every Heartbeat.Interval while Recv waits.
	Ping [][]byte
	// ReconnectMin is the first pause before reconnecting to a silent
	// peer, doubled each time up to ReconnectMax (which is at least
	// ReconnectMin); Heard resets it. Equal values give a fixed pause.
	ReconnectMin, ReconnectMax time.Duration
}

// Link is a worker's heartbeating DEALER connection (linger 0) to a broker
// or queue, as the Guide's ppworker and mdwrkapi: it sends Ready on
// connect and Ping while it waits, counts down liveness for each
// heartbeat interval without a word from the peer, and when liveness runs
// out closes the socket, pauses, and connects afresh. What a message means
// is the handler's business (see Recv). It is meant for one goroutine;
// Counts may be read from any.
type Link struct {
	zctx     *zring.Context
	endpoint string
	cfg      LinkConfig

	sock        *zring.Socket
	poller      *zring.Poller
	liveness    int
	pause       time.Duration // the next reconnect pause
	heartbeatAt time.Time
	closed      bool

	// Counts are the worker's counters: the Link counts Replies and
	// Reconnects, the worker's handler Requests and Malformed.
	Counts WorkerCounters
}

// Dial connects a Link to endpoint and sends cfg.Ready.
func Dial(zctx *zring.Context, endpoint string, cfg LinkConfig) (*Link, error) {
	cfg.ReconnectMax = max(cfg.ReconnectMax, cfg.ReconnectMin)
	l := &Link{zctx: zctx, endpoint: endpoint, cfg: cfg, pause: cfg.ReconnectMin}
	if err := l.connect(); err != nil {
		return nil, err
	}
	return l, nil
}

// connect replaces the socket with a fresh DEALER to the peer, restarts
// the heartbeat schedule and liveness, and sends Ready. On failure the old
// socket stays.
func (l *Link) connect() error {
	sock, err := Connect(l.zctx, zring.Dealer, l.endpoint)
	if err != nil {
		return err
	}
	poller, err := zring.NewPoller(zring.PollItem{Socket: sock, Events: zring.PollIn})
	if err != nil {
		sock.Close()
		return err
	}
	l.release()
	l.sock, l.poller = sock, poller
	l.liveness = l.cfg.Heartbeat.Liveness
	l.heartbeatAt = time.Now().Add(l.cfg.Heartbeat.Interval)
	return l.Send(l.cfg.Ready)
}

func (l *Link) release() {
	if l.poller != nil {
		l.poller.Close()
		l.poller = nil
	}
	if l.sock != nil {
		l.sock.Close()
		l.sock = nil
	}
}

// Send queues msg (copied) for the peer. A DEALER queues while the peer is
// away; at the HWM the message is dropped rather than blocking the
// worker's heartbeats.
func (l *Link) Send(msg [][]byte) error {
	err := l.sock.SendMulti(msg, zring.DontWait)
	if errors.Is(err, zring.ErrAgain) {
		return nil
	}
	return err
}

// SendReply sends a reply as Send does, counting it in Counts.Replies
// before it leaves (whoever has the reply sees it counted) and taking the
// count back when the send fails.
func (l *Link) SendReply(msg [][]byte) error {
	l.Counts.Replies.Add(1)
	if err := l.Send(msg); err != nil {
		l.Counts.Replies.Add(^uint64(0))
		return err
	}
	return nil
}

// Recv waits for messages, heartbeating the peer meanwhile and
// reconnecting when it falls silent, and passes each message (the
// caller's) to handle until handle returns true or an error, which Recv
// then returns. handle calls Heard for a message that shows the peer
// alive, and may call Reconnect. Recv returns ctx's error when ctx ends.
func (l *Link) Recv(ctx context.Context, handle func(msg [][]byte) (bool, error)) error {
	interval := l.cfg.Heartbeat.Interval
	for {
		ready, err := l.poller.WaitContext(ctx, max(min(interval, time.Until(l.heartbeatAt)), 0))
		if err != nil {
			return err
		}
		if len(ready) > 0 {
			msg, err := l.sock.RecvMulti(zring.DontWait)
			if err != nil && !errors.Is(err, zring.ErrAgain) {
				return err
			}
			if err == nil {
				if done, err := handle(msg); done || err != nil {
					return err
				}
			}
		} else if !time.Now().Before(l.heartbeatAt) {
			// A heartbeat's worth of silence.
			l.liveness--
			if l.liveness <= 0 {
				if err := sleep(ctx, l.pause); err != nil {
					return err
				}
				l.pause = min(l.pause*2, l.cfg.ReconnectMax)
				if err := l.Reconnect(); err != nil {
					return err
				}
				continue
			}
		}
		if !time.Now().Before(l.heartbeatAt) {
			if err := l.Send(l.cfg.Ping); err != nil {
				return err
			}
			l.heartbeatAt = time.Now().Add(interval)
		}
	}
}

// Heard notes the peer is alive: liveness is full again and the next
// reconnect pause is ReconnectMin.
func (l *Link) Heard() {
	l.liveness = l.cfg.Heartbeat.Liveness
	l.pause = l.cfg.ReconnectMin
}

// Reconnect connects afresh at once, counting it in Counts.Reconnects.
func (l *Link) Reconnect() error {
	l.Counts.Reconnects.Add(1)
	return l.connect()
}

// Closed reports whether Close was called.
func (l *Link) Closed() bool { return l.closed }

// Close closes the socket. A non-nil bye is sent first, given up to
// linger to leave.
func (l *Link) Close(bye [][]byte, linger time.Duration) {
	if l.closed {
		return
	}
	l.closed = true
	if bye != nil && l.sock != nil {
		_ = l.sock.SetOption(zring.WithLinger(linger))
		_ = l.Send(bye)
	}
	l.release()
}
