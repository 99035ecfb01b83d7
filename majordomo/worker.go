package majordomo

import (
	"context"
	"fmt"
	"time"

	"github.com/zring/zring"
	"github.com/zring/zring/internal/reliable"
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
// Liveness heartbeats or sends DISCONNECT. Under MDP/0.2 (WorkerPolicy's
// Version V02) it may send PARTIAL replies before the FINAL one. It is
// meant for one goroutine; Stats may be read from any.
type Worker struct {
	link    *reliable.Link
	version Version
}

// NewWorker connects to the broker at endpoint and registers for service.
func NewWorker(zctx *zring.Context, endpoint, service string, policy WorkerPolicy) (*Worker, error) {
	if service == "" || len(service) > 255 {
		return nil, fmt.Errorf("%w: service name %q", ErrInvalid, service)
	}
	if !policy.Version.valid() {
		return nil, fmt.Errorf("%w: version %d", ErrInvalid, policy.Version)
	}
	hb, err := policy.Heartbeat.withDefaults()
	if err != nil {
		return nil, err
	}
	v := policy.Version
	if policy.Reconnect < 0 {
		return nil, fmt.Errorf("%w: reconnect %v", ErrInvalid, policy.Reconnect)
	}
	if policy.Reconnect == 0 {
		policy.Reconnect = DefaultReconnect
	}
	link, err := reliable.Dial(zctx, endpoint, reliable.LinkConfig{
		Heartbeat:    reliable.Heartbeat(hb),
		Ready:        v.workerMessage(CmdReady, []byte(service)),
		Ping:         v.workerMessage(CmdHeartbeat),
		ReconnectMin: policy.Reconnect,
		ReconnectMax: policy.Reconnect,
	})
	if err != nil {
		return nil, err
	}
	return &Worker{link: link, version: v}, nil
}

// Recv waits for the next request, heartbeating the broker meanwhile and
// reconnecting when it falls silent. It returns ctx's error when ctx ends,
// and ErrClosed after Close.
func (w *Worker) Recv(ctx context.Context) (*Request, error) {
	if w.link.Closed() {
		return nil, ErrClosed
	}
	var req *Request
	err := w.link.Recv(ctx, func(msg [][]byte) (bool, error) {
		var err error
		req, err = w.handle(msg)
		return req != nil, err
	})
	if err != nil {
		return nil, err
	}
	return req, nil
}

// handle reads one message from the broker: a request to return, or nil.
// Any message counts as hearing from the broker; DISCONNECT reconnects at
// once.
func (w *Worker) handle(msg [][]byte) (*Request, error) {
	w.link.Heard()
	if w.version == V01 {
		// MDP/0.1 opens with an empty frame; take it off.
		if len(msg) < 1 || len(msg[0]) != 0 {
			w.link.Counts.Malformed.Add(1)
			return nil, nil
		}
		msg = msg[1:]
	}
	if len(msg) < 2 || string(msg[0]) != w.version.workerHeader() {
		w.link.Counts.Malformed.Add(1)
		return nil, nil
	}
	cmd, _ := w.version.parseWorkerCommand(msg[1])
	switch cmd {
	case CmdRequest:
		if len(msg) < 4 || len(msg[3]) != 0 {
			w.link.Counts.Malformed.Add(1)
			return nil, nil
		}
		w.link.Counts.Requests.Add(1)
		return &Request{Client: msg[2], Body: msg[4:]}, nil
	case CmdHeartbeat:
		return nil, nil
	case CmdDisconnect:
		return nil, w.link.Reconnect()
	default:
		w.link.Counts.Malformed.Add(1)
		return nil, nil
	}
}

// Reply sends the reply to req (its frames are copied): MDP/0.1's REPLY,
// or MDP/0.2's FINAL, after which req is answered. A reply that the broker
// cannot take now (it is gone) is dropped, as the broker would drop it:
// the client retries.
func (w *Worker) Reply(req *Request, body ...[]byte) error {
	return w.reply(req, CmdReply, body)
}

// ReplyPartial sends one PARTIAL reply to req (its frames are copied); a
// Reply must follow to end the request. It is MDP/0.2's alone: a V01
// worker gets ErrInvalid. A 0.1 client behind the broker receives only the
// final Reply. Replies counts partial replies too.
func (w *Worker) ReplyPartial(req *Request, body ...[]byte) error {
	if w.version != V02 {
		return fmt.Errorf("%w: PARTIAL needs MDP/0.2", ErrInvalid)
	}
	return w.reply(req, opPartial, body)
}

func (w *Worker) reply(req *Request, cmd Command, body [][]byte) error {
	if w.link.Closed() {
		return ErrClosed
	}
	if req == nil || len(req.Client) == 0 {
		return ErrNoRequest
	}
	parts := make([][]byte, 0, 2+len(body))
	parts = append(parts, req.Client, nil)
	parts = append(parts, body...)
	return w.link.SendReply(w.version.workerMessage(cmd, parts...))
}

// Stats returns the worker's counters.
func (w *Worker) Stats() WorkerStats { return WorkerStats(w.link.Counts.Snapshot()) }

// Close tells the broker the worker is leaving (DISCONNECT, given up to
// 100 ms to leave) and closes the socket.
func (w *Worker) Close() error {
	w.link.Close(w.version.workerMessage(CmdDisconnect), 100*time.Millisecond)
	return nil
}
