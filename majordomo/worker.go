//go:build linux

package majordomo

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/zring/zring"
)

// Request is one request a Worker received. Body holds the client's frames
// and belongs to the caller; Client is the address Reply sends back to.
type Request struct {
	Client []byte
	Body   [][]byte
}

// Worker offers one service to a broker over a DEALER socket, as the
// Guide's mdwrkapi: READY on connect, heartbeats both ways while it waits,
// and a fresh connection after Reconnect when the broker falls silent for
// Liveness heartbeats or sends DISCONNECT. It is meant for one goroutine;
// Stats may be read from any.
type Worker struct {
	zctx     *zring.Context
	endpoint string
	service  string
	policy   WorkerPolicy

	sock        *zring.Socket
	poller      *zring.Poller
	liveness    int
	heartbeatAt time.Time
	closed      bool

	requests, replies, reconnects, malformed atomic.Uint64
}

// NewWorker connects to the broker at endpoint and registers for service.
func NewWorker(zctx *zring.Context, endpoint, service string, policy WorkerPolicy) (*Worker, error) {
	if service == "" || len(service) > 255 {
		return nil, fmt.Errorf("%w: service name %q", ErrInvalid, service)
	}
	hb, err := policy.Heartbeat.withDefaults()
	if err != nil {
		return nil, err
	}
	policy.Heartbeat = hb
	if policy.Reconnect < 0 {
		return nil, fmt.Errorf("%w: reconnect %v", ErrInvalid, policy.Reconnect)
	}
	if policy.Reconnect == 0 {
		policy.Reconnect = DefaultReconnect
	}
	w := &Worker{zctx: zctx, endpoint: endpoint, service: service, policy: policy}
	if err := w.connect(); err != nil {
		return nil, err
	}
	return w, nil
}

// connect opens a fresh DEALER to the broker and sends READY.
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
	w.liveness = w.policy.Heartbeat.Liveness
	w.heartbeatAt = time.Now().Add(w.policy.Heartbeat.Interval)
	return w.send(CmdReady, []byte(w.service))
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

// send sends ["", MDPW01, cmd, parts...] to the broker.
func (w *Worker) send(cmd Command, parts ...[]byte) error {
	msg := make([][]byte, 0, 3+len(parts))
	msg = append(msg, nil, []byte(WorkerHeader), cmd.frame())
	msg = append(msg, parts...)
	// A DEALER queues while the broker is away; at the HWM the message
	// is dropped rather than blocking the worker's heartbeats.
	err := w.sock.SendMulti(msg, zring.DontWait)
	if errors.Is(err, zring.ErrAgain) {
		return nil
	}
	return err
}

// Recv waits for the next request, heartbeating the broker meanwhile and
// reconnecting when it falls silent. It returns ctx's error when ctx ends,
// and ErrClosed after Close.
func (w *Worker) Recv(ctx context.Context) (*Request, error) {
	if w.closed {
		return nil, ErrClosed
	}
	interval := w.policy.Heartbeat.Interval
	for {
		ready, err := w.poller.WaitContext(ctx, max(min(interval, time.Until(w.heartbeatAt)), 0))
		if err != nil {
			return nil, err
		}
		if len(ready) > 0 {
			msg, err := w.sock.RecvMulti(zring.DontWait)
			if err != nil && !errors.Is(err, zring.ErrAgain) {
				return nil, err
			}
			if err == nil {
				w.liveness = w.policy.Heartbeat.Liveness
				if req, err := w.handle(msg); req != nil || err != nil {
					return req, err
				}
			}
		} else if !time.Now().Before(w.heartbeatAt) {
			// A heartbeat's worth of silence.
			w.liveness--
			if w.liveness <= 0 {
				if err := w.reconnect(ctx); err != nil {
					return nil, err
				}
				continue
			}
		}
		if !time.Now().Before(w.heartbeatAt) {
			if err := w.send(CmdHeartbeat); err != nil {
				return nil, err
			}
			w.heartbeatAt = time.Now().Add(interval)
		}
	}
}

// handle reads one message from the broker: a request to return, or nil.
func (w *Worker) handle(msg [][]byte) (*Request, error) {
	if len(msg) < 3 || len(msg[0]) != 0 || string(msg[1]) != WorkerHeader {
		w.malformed.Add(1)
		return nil, nil
	}
	cmd, _ := parseCommand(msg[2])
	switch cmd {
	case CmdRequest:
		if len(msg) < 5 || len(msg[4]) != 0 {
			w.malformed.Add(1)
			return nil, nil
		}
		w.requests.Add(1)
		return &Request{Client: msg[3], Body: msg[5:]}, nil
	case CmdHeartbeat:
		return nil, nil
	case CmdDisconnect:
		return nil, w.reconnectNow()
	default:
		w.malformed.Add(1)
		return nil, nil
	}
}

// reconnect waits the reconnect pause, then connects afresh.
func (w *Worker) reconnect(ctx context.Context) error {
	t := time.NewTimer(w.policy.Reconnect)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
	}
	return w.reconnectNow()
}

func (w *Worker) reconnectNow() error {
	w.reconnects.Add(1)
	return w.connect()
}

// Reply sends the reply to req (its frames are copied). A reply that the
// broker cannot take now (it is gone) is dropped, as the broker would drop
// it: the client retries.
func (w *Worker) Reply(req *Request, body ...[]byte) error {
	if w.closed {
		return ErrClosed
	}
	if req == nil || len(req.Client) == 0 {
		return ErrNoRequest
	}
	parts := make([][]byte, 0, 2+len(body))
	parts = append(parts, req.Client, nil)
	parts = append(parts, body...)
	w.replies.Add(1) // before it leaves: whoever has the reply sees it counted
	if err := w.send(CmdReply, parts...); err != nil {
		w.replies.Add(^uint64(0))
		return err
	}
	return nil
}

// Stats returns the worker's counters.
func (w *Worker) Stats() WorkerStats {
	return WorkerStats{Requests: w.requests.Load(), Replies: w.replies.Load(), Reconnects: w.reconnects.Load(), Malformed: w.malformed.Load()}
}

// Close tells the broker the worker is leaving (DISCONNECT, given up to
// 100 ms to leave) and closes the socket.
func (w *Worker) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if w.sock != nil {
		_ = w.sock.SetOption(zring.WithLinger(100 * time.Millisecond))
		_ = w.send(CmdDisconnect)
	}
	w.release()
	return nil
}
