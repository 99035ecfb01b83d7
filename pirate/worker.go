//go:build linux

package pirate

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/zring/zring"
)

// Request is one request a Worker received: Envelope is the return path
// (the client's address frames up to and including the empty delimiter),
// Body the frames after it. Both belong to the caller.
type Request struct {
	Envelope [][]byte
	Body     [][]byte
}

// Worker is the Paranoid Pirate worker, as the Guide's ppworker: a DEALER
// that says READY, heartbeats the queue while it waits, and when the
// queue is silent for Liveness heartbeats closes its socket, waits, and
// connects afresh, the wait doubling from ReconnectMin to ReconnectMax
// while the queue stays away. It is meant for one goroutine; Stats may be
// read from any.
type Worker struct {
	zctx     *zring.Context
	endpoint string
	hb       HeartbeatPolicy
	min, max time.Duration

	sock        *zring.Socket
	poller      *zring.Poller
	liveness    int
	interval    time.Duration // the next reconnect pause
	heartbeatAt time.Time
	closed      bool

	requests, replies, reconnects, malformed atomic.Uint64
}

// NewWorker connects to the queue's backend at endpoint and says READY.
func NewWorker(zctx *zring.Context, endpoint string, policy WorkerPolicy) (*Worker, error) {
	hb, err := policy.Heartbeat.withDefaults()
	if err != nil {
		return nil, err
	}
	if policy.ReconnectMin < 0 || policy.ReconnectMax < 0 {
		return nil, fmt.Errorf("%w: reconnect %v..%v", ErrInvalid, policy.ReconnectMin, policy.ReconnectMax)
	}
	if policy.ReconnectMin == 0 {
		policy.ReconnectMin = time.Second
	}
	if policy.ReconnectMax == 0 {
		policy.ReconnectMax = 32 * time.Second
	}
	w := &Worker{zctx: zctx, endpoint: endpoint, hb: hb, min: policy.ReconnectMin, max: max(policy.ReconnectMax, policy.ReconnectMin)}
	w.interval = w.min
	if err := w.connect(); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *Worker) connect() error {
	w.release()
	sock, err := w.zctx.NewSocket(zring.Dealer, zring.WithLinger(0))
	if err != nil {
		return err
	}
	if err := sock.Connect(w.endpoint); err != nil {
		sock.Close()
		return err
	}
	poller, err := zring.NewPoller(zring.PollItem{Socket: sock, Events: zring.PollIn})
	if err != nil {
		sock.Close()
		return err
	}
	w.sock, w.poller = sock, poller
	w.liveness = w.hb.Liveness
	w.heartbeatAt = time.Now().Add(w.hb.Interval)
	return w.send([][]byte{[]byte(Ready)})
}

func (w *Worker) release() {
	if w.poller != nil {
		w.poller.Close()
		w.poller = nil
	}
	if w.sock != nil {
		w.sock.Close()
		w.sock = nil
	}
}

// send queues msg; at the HWM (the queue is away) it is dropped rather
// than blocking the worker.
func (w *Worker) send(msg [][]byte) error {
	err := w.sock.SendMulti(msg, zring.DontWait)
	if errors.Is(err, zring.ErrAgain) {
		return nil
	}
	return err
}

// Recv waits for the next request, heartbeating meanwhile and reconnecting
// when the queue falls silent. It returns ctx's error when ctx ends, and
// ErrClosed after Close.
func (w *Worker) Recv(ctx context.Context) (*Request, error) {
	if w.closed {
		return nil, ErrClosed
	}
	for {
		ready, err := w.poller.WaitContext(ctx, max(min(w.hb.Interval, time.Until(w.heartbeatAt)), 0))
		if err != nil {
			return nil, err
		}
		if len(ready) > 0 {
			msg, err := w.sock.RecvMulti(zring.DontWait)
			if err != nil && !errors.Is(err, zring.ErrAgain) {
				return nil, err
			}
			if err == nil {
				if req := w.handle(msg); req != nil {
					return req, nil
				}
			}
		} else if !time.Now().Before(w.heartbeatAt) {
			w.liveness--
			if w.liveness <= 0 {
				if err := sleep(ctx, w.interval); err != nil {
					return nil, err
				}
				w.interval = min(w.interval*2, w.max)
				w.reconnects.Add(1)
				if err := w.connect(); err != nil {
					return nil, err
				}
				continue
			}
		}
		if !time.Now().Before(w.heartbeatAt) {
			if err := w.send([][]byte{[]byte(Heartbeat)}); err != nil {
				return nil, err
			}
			w.heartbeatAt = time.Now().Add(w.hb.Interval)
		}
	}
}

// handle reads one message from the queue: a request, or nil for a
// heartbeat or something dropped.
func (w *Worker) handle(msg [][]byte) *Request {
	if len(msg) == 1 {
		if string(msg[0]) == Heartbeat {
			w.heard()
		} else {
			w.malformed.Add(1)
		}
		return nil
	}
	for i, f := range msg {
		if len(f) == 0 && i > 0 {
			w.heard()
			w.requests.Add(1)
			return &Request{Envelope: msg[:i+1], Body: msg[i+1:]}
		}
	}
	w.malformed.Add(1)
	return nil
}

// heard notes the queue is alive.
func (w *Worker) heard() {
	w.liveness = w.hb.Liveness
	w.interval = w.min
}

// Reply sends body back along req's envelope (the frames are copied).
func (w *Worker) Reply(req *Request, body ...[]byte) error {
	if w.closed {
		return ErrClosed
	}
	if req == nil || len(req.Envelope) == 0 {
		return ErrNoRequest
	}
	msg := make([][]byte, 0, len(req.Envelope)+len(body))
	msg = append(msg, req.Envelope...)
	msg = append(msg, body...)
	w.replies.Add(1) // before it leaves: whoever has the reply sees it counted
	if err := w.send(msg); err != nil {
		w.replies.Add(^uint64(0))
		return err
	}
	return nil
}

// Stats returns the worker's counters.
func (w *Worker) Stats() WorkerStats {
	return WorkerStats{Requests: w.requests.Load(), Replies: w.replies.Load(), Reconnects: w.reconnects.Load(), Malformed: w.malformed.Load()}
}

// Close closes the socket (PPP has no goodbye: the queue forgets the
// worker when its heartbeats stop).
func (w *Worker) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	w.release()
	return nil
}
