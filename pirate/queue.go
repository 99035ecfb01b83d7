package pirate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zring/zring"
)

// Queue is the Paranoid Pirate queue, as the Guide's ppqueue: a ROUTER
// frontend for clients (REQ, or DEALER with an empty delimiter), a ROUTER
// backend for workers, and a least-recently-used list of ready workers,
// each forgotten when it misses Liveness heartbeats. It reads the
// frontend only while a worker is ready, so requests wait in the clients'
// queues, not in the Queue. Bind both sides, then call Run once.
type Queue struct {
	frontend, backend *zring.Socket
	hb                HeartbeatPolicy

	ready []readyWorker // least recently used first

	requests, replies, malformed, expired atomic.Uint64
	readyN                                atomic.Int64

	running   atomic.Bool
	closeOnce sync.Once
}

type readyWorker struct {
	id     string
	expiry time.Time
}

// NewQueue makes a queue on zctx; bind it with BindFrontend and
// BindBackend.
func NewQueue(zctx *zring.Context, hb HeartbeatPolicy) (*Queue, error) {
	hb, err := hb.withDefaults()
	if err != nil {
		return nil, err
	}
	fe, err := zctx.NewSocket(zring.Router, zring.WithLinger(0))
	if err != nil {
		return nil, err
	}
	be, err := zctx.NewSocket(zring.Router, zring.WithLinger(0))
	if err != nil {
		fe.Close()
		return nil, err
	}
	return &Queue{frontend: fe, backend: be, hb: hb}, nil
}

// BindFrontend binds the clients' side.
func (q *Queue) BindFrontend(endpoint string) error { return q.frontend.Bind(endpoint) }

// BindBackend binds the workers' side.
func (q *Queue) BindBackend(endpoint string) error { return q.backend.Bind(endpoint) }

// FrontendEndpoint and BackendEndpoint return the last endpoints bound,
// with a wildcard port resolved.
func (q *Queue) FrontendEndpoint() string { return q.frontend.Endpoint() }

// BackendEndpoint returns the backend's last endpoint bound.
func (q *Queue) BackendEndpoint() string { return q.backend.Endpoint() }

// Run moves requests and replies until ctx ends (then it returns nil), or
// a socket fails or is closed (ErrClosed). It is the only goroutine that
// touches the queue's sockets.
func (q *Queue) Run(ctx context.Context) error {
	if !q.running.CompareAndSwap(false, true) {
		return fmt.Errorf("%w: Run called twice", ErrInvalid)
	}
	poller, err := zring.NewPoller(
		zring.PollItem{Socket: q.backend, Events: zring.PollIn},
		zring.PollItem{Socket: q.frontend, Events: 0},
	)
	if err != nil {
		return err
	}
	defer poller.Close()
	heartbeatAt := time.Now().Add(q.hb.Interval)
	frontendOn := false
	for {
		if on := len(q.ready) > 0; on != frontendOn {
			ev := zring.PollEvents(0)
			if on {
				ev = zring.PollIn
			}
			if err := poller.SetEvents(1, ev); err != nil {
				return err
			}
			frontendOn = on
		}
		polled, err := poller.WaitContext(ctx, max(time.Until(heartbeatAt), 0))
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return q.sockErr(err)
		}
		for _, p := range polled {
			var err error
			if p.Index == 0 {
				err = q.fromBackend()
			} else {
				err = q.fromFrontend()
			}
			if err != nil {
				return q.sockErr(err)
			}
		}
		now := time.Now()
		if !now.Before(heartbeatAt) {
			for _, w := range q.ready {
				_ = q.backend.SendMulti([][]byte{[]byte(w.id), []byte(Heartbeat)}, zring.DontWait)
			}
			heartbeatAt = now.Add(q.hb.Interval)
		}
		q.purge(now)
		q.readyN.Store(int64(len(q.ready)))
	}
}

func (q *Queue) sockErr(err error) error {
	if errors.Is(err, zring.ErrClosed) || errors.Is(err, zring.ErrTerminated) {
		return fmt.Errorf("%w: %w", ErrClosed, err)
	}
	return err
}

// fromBackend takes what the workers sent: READY, HEARTBEAT or a reply
// [client envelope..., body]. Any of them makes the worker ready, as in
// ppqueue (a single-threaded worker says nothing while it works).
func (q *Queue) fromBackend() error {
	for range 1024 {
		msg, err := q.backend.RecvMulti(zring.DontWait)
		if errors.Is(err, zring.ErrAgain) {
			return nil
		}
		if err != nil {
			return err
		}
		if len(msg) < 2 {
			q.malformed.Add(1)
			continue
		}
		id := string(msg[0])
		if len(msg) == 2 {
			if c := string(msg[1]); c != Ready && c != Heartbeat {
				q.malformed.Add(1)
				continue
			}
		} else {
			// Counted before it leaves, so a client that has the reply
			// sees it counted.
			q.replies.Add(1)
			if err := q.frontend.SendMulti(msg[1:], zring.DontWait); err != nil {
				q.replies.Add(^uint64(0))
			}
		}
		q.setReady(id)
	}
	return nil
}

// fromFrontend hands client requests to ready workers, LRU first.
func (q *Queue) fromFrontend() error {
	for len(q.ready) > 0 {
		msg, err := q.frontend.RecvMulti(zring.DontWait)
		if errors.Is(err, zring.ErrAgain) {
			return nil
		}
		if err != nil {
			return err
		}
		if len(msg) < 2 {
			q.malformed.Add(1)
			continue
		}
		w := q.ready[0]
		q.ready = slices.Delete(q.ready, 0, 1)
		out := make([][]byte, 0, len(msg)+1)
		out = append(out, []byte(w.id))
		out = append(out, msg...)
		q.requests.Add(1)
		if err := q.backend.SendMulti(out, zring.DontWait); err != nil {
			q.requests.Add(^uint64(0))
		}
	}
	return nil
}

// setReady puts the worker at the back of the ready list, alive for
// another Liveness × Interval.
func (q *Queue) setReady(id string) {
	q.ready = slices.DeleteFunc(q.ready, func(w readyWorker) bool { return w.id == id })
	q.ready = append(q.ready, readyWorker{id: id, expiry: time.Now().Add(q.hb.expiry())})
}

func (q *Queue) purge(now time.Time) {
	q.ready = slices.DeleteFunc(q.ready, func(w readyWorker) bool {
		if now.After(w.expiry) {
			q.expired.Add(1)
			return true
		}
		return false
	})
}

// Stats returns the queue's counters; safe from any goroutine.
func (q *Queue) Stats() QueueStats {
	return QueueStats{Requests: q.requests.Load(), Replies: q.replies.Load(), Malformed: q.malformed.Load(), Expired: q.expired.Load(), Ready: int(q.readyN.Load())}
}

// Close closes both sockets; a running Run returns ErrClosed.
func (q *Queue) Close() error {
	var err error
	q.closeOnce.Do(func() { err = errors.Join(q.frontend.Close(), q.backend.Close()) })
	return err
}
