package pirate

import (
	"context"
	"fmt"
	"time"

	"github.com/zring/zring"
	"github.com/zring/zring/internal/reliable"
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
	link *reliable.Link
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
	link, err := reliable.Dial(zctx, endpoint, reliable.LinkConfig{
		Heartbeat:    reliable.Heartbeat(hb),
		Ready:        [][]byte{[]byte(Ready)},
		Ping:         [][]byte{[]byte(Heartbeat)},
		ReconnectMin: policy.ReconnectMin,
		ReconnectMax: policy.ReconnectMax,
	})
	if err != nil {
		return nil, err
	}
	return &Worker{link: link}, nil
}

// Recv waits for the next request, heartbeating meanwhile and reconnecting
// when the queue falls silent. It returns ctx's error when ctx ends, and
// ErrClosed after Close.
func (w *Worker) Recv(ctx context.Context) (*Request, error) {
	if w.link.Closed() {
		return nil, ErrClosed
	}
	var req *Request
	err := w.link.Recv(ctx, func(msg [][]byte) (bool, error) {
		req = w.handle(msg)
		return req != nil, nil
	})
	if err != nil {
		return nil, err
	}
	return req, nil
}

// handle reads one message from the queue: a request, or nil for a
// heartbeat or something dropped. Only a well-formed message counts as
// hearing from the queue.
func (w *Worker) handle(msg [][]byte) *Request {
	if len(msg) == 1 {
		if string(msg[0]) == Heartbeat {
			w.link.Heard()
		} else {
			w.link.Counts.Malformed.Add(1)
		}
		return nil
	}
	for i, f := range msg {
		if len(f) == 0 && i > 0 {
			w.link.Heard()
			w.link.Counts.Requests.Add(1)
			return &Request{Envelope: msg[:i+1], Body: msg[i+1:]}
		}
	}
	w.link.Counts.Malformed.Add(1)
	return nil
}

// Reply sends body back along req's envelope (the frames are copied).
func (w *Worker) Reply(req *Request, body ...[]byte) error {
	if w.link.Closed() {
		return ErrClosed
	}
	if req == nil || len(req.Envelope) == 0 {
		return ErrNoRequest
	}
	msg := make([][]byte, 0, len(req.Envelope)+len(body))
	msg = append(msg, req.Envelope...)
	msg = append(msg, body...)
	return w.link.SendReply(msg)
}

// Stats returns the worker's counters.
func (w *Worker) Stats() WorkerStats { return WorkerStats(w.link.Counts.Snapshot()) }

// Close closes the socket (PPP has no goodbye: the queue forgets the
// worker when its heartbeats stop).
func (w *Worker) Close() error {
	w.link.Close(nil, 0)
	return nil
}
