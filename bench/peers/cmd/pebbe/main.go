// Command pebbe runs libzmq's four perf tools on github.com/pebbe/zmq4, the
// cgo binding of the system libzmq, used as a Go application would: the
// []byte API (SendBytes, RecvBytes), which copies each message across cgo.
//
//	pebbe local_thr <bind-to> <message-size> <message-count>
//	pebbe remote_thr <connect-to> <message-size> <message-count>
//	pebbe local_lat <bind-to> <message-size> <roundtrip-count>
//	pebbe remote_lat <connect-to> <message-size> <roundtrip-count>
//
// Socket types, timers and output are those of bench/c: PULL binds and
// PUSH connects for throughput, REP binds and REQ connects for latency
// (see package perfout). Endpoints are libzmq's (tcp://, ipc://). Building
// needs cgo, pkg-config and libzmq3-dev.
package main

import (
	"fmt"

	zmq "github.com/pebbe/zmq4"

	"github.com/zring/zring/bench/peers/internal/perfout"
)

func main() {
	perfout.Main("pebbe", perfout.Tools{
		LocalThr: localThr, RemoteThr: remoteThr, LocalLat: localLat, RemoteLat: remoteLat,
	})
}

// open makes a context and a socket of type t bound to (bind) or connected
// to the endpoint.
func open(t zmq.Type, bind bool, endpoint string) (*zmq.Context, *zmq.Socket, error) {
	ctx, err := zmq.NewContext()
	if err != nil {
		return nil, nil, fmt.Errorf("zmq_ctx_new: %w", err)
	}
	s, err := ctx.NewSocket(t)
	if err != nil {
		ctx.Term()
		return nil, nil, fmt.Errorf("zmq_socket: %w", err)
	}
	if bind {
		err = s.Bind(endpoint)
	} else {
		err = s.Connect(endpoint)
	}
	if err != nil {
		s.Close()
		ctx.Term()
		return nil, nil, fmt.Errorf("bind/connect %s: %w", endpoint, err)
	}
	return ctx, s, nil
}

// closeAll closes s and terminates ctx, which waits for linger (sent
// messages are delivered first, as in bench/c).
func closeAll(ctx *zmq.Context, s *zmq.Socket) error {
	if err := s.Close(); err != nil {
		return fmt.Errorf("zmq_close: %w", err)
	}
	if err := ctx.Term(); err != nil {
		return fmt.Errorf("zmq_ctx_term: %w", err)
	}
	return nil
}

// recv receives one message of size bytes.
func recv(s *zmq.Socket, size int) ([]byte, error) {
	b, err := s.RecvBytes(0)
	if err != nil {
		return nil, fmt.Errorf("recv: %w", err)
	}
	return b, perfout.CheckSize(len(b), size)
}

// send sends b.
func send(s *zmq.Socket, b []byte) error {
	if _, err := s.SendBytes(b, 0); err != nil {
		return fmt.Errorf("send: %w", err)
	}
	return nil
}

// localThr: PULL receives Count messages; the stopwatch starts at the first.
func localThr(a perfout.Args) error {
	ctx, s, err := open(zmq.PULL, true, a.Endpoint)
	if err != nil {
		return err
	}
	if err := perfout.TimeReceives(a, func() error {
		_, err := recv(s, a.Size)
		return err
	}); err != nil {
		return err
	}
	return closeAll(ctx, s)
}

// remoteThr: PUSH sends Count messages of one buffer (libzmq copies it).
func remoteThr(a perfout.Args) error {
	ctx, s, err := open(zmq.PUSH, false, a.Endpoint)
	if err != nil {
		return err
	}
	b := make([]byte, a.Size)
	for range a.Count {
		if err := send(s, b); err != nil {
			return err
		}
	}
	return closeAll(ctx, s)
}

// localLat: REP echoes Count messages.
func localLat(a perfout.Args) error {
	ctx, s, err := open(zmq.REP, true, a.Endpoint)
	if err != nil {
		return err
	}
	for range a.Count {
		b, err := recv(s, a.Size)
		if err != nil {
			return err
		}
		if err := send(s, b); err != nil {
			return err
		}
	}
	return closeAll(ctx, s)
}

// remoteLat: REQ does Count round trips; the stopwatch starts after the
// (asynchronous) connect, as in libzmq.
func remoteLat(a perfout.Args) error {
	ctx, s, err := open(zmq.REQ, false, a.Endpoint)
	if err != nil {
		return err
	}
	b := make([]byte, a.Size)
	if err := perfout.TimeRoundtrips(a, func() error {
		if err := send(s, b); err != nil {
			return err
		}
		_, err := recv(s, a.Size)
		return err
	}); err != nil {
		return err
	}
	return closeAll(ctx, s)
}
