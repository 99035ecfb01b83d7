// Command gozmq runs libzmq's four perf tools on github.com/go-zeromq/zmq4,
// the pure-Go ZeroMQ most Go users without cgo pick.
//
//	gozmq local_thr <bind-to> <message-size> <message-count>
//	gozmq remote_thr <connect-to> <message-size> <message-count>
//	gozmq local_lat <bind-to> <message-size> <roundtrip-count>
//	gozmq remote_lat <connect-to> <message-size> <roundtrip-count>
//
// Socket types, timers and output are those of bench/c: PULL listens and
// PUSH dials for throughput, REP listens and REQ dials for latency (see
// package perfout). Endpoints are tcp:// and ipc://. One difference is the
// library's: Dial returns once connected, so remote_lat's stopwatch, which
// starts after it, leaves the handshake out, where libzmq's asynchronous
// connect puts it in.
//
// The library's Close can block (its reader goroutines wait on a peer that
// is already gone), so the tools close with a timeout and exit anyway once
// their result is printed.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	zmq "github.com/go-zeromq/zmq4"

	"github.com/zring/zring/bench/peers/internal/perfout"
)

// closeTimeout bounds the wait for the library's Close.
const closeTimeout = 2 * time.Second

// repLinger is how long local_lat waits after its last reply before it
// closes: the library's REP Send only hands the reply to a writer goroutine,
// and an immediate Close loses it (remote_lat then fails with EOF). The
// wait is outside every measurement.
const repLinger = 250 * time.Millisecond

func main() {
	perfout.Main("gozmq", perfout.Tools{
		LocalThr: localThr, RemoteThr: remoteThr, LocalLat: localLat, RemoteLat: remoteLat,
	})
}

// open makes a socket with newSocket and listens on (bind) or dials the
// endpoint. Its context is cancelled by closeSocket.
func open(newSocket func(context.Context, ...zmq.Option) zmq.Socket, bind bool, endpoint string) (zmq.Socket, context.CancelFunc, error) {
	ctx, cancel := context.WithCancel(context.Background())
	s := newSocket(ctx)
	var err error
	if bind {
		err = s.Listen(endpoint)
	} else {
		err = s.Dial(endpoint)
	}
	if err != nil {
		cancel()
		return nil, nil, fmt.Errorf("listen/dial %s: %w", endpoint, err)
	}
	return s, cancel, nil
}

// closeSocket closes s, waiting at most closeTimeout, then cancels its
// context. A Close that does not return in time is reported on stderr and
// abandoned: the process exits anyway.
func closeSocket(s zmq.Socket, cancel context.CancelFunc) {
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Close() }()
	select {
	case <-done: // an error here (the peer already gone) does not matter
	case <-time.After(closeTimeout):
		fmt.Fprintf(os.Stderr, "gozmq: Close did not return within %v; exiting anyway\n", closeTimeout)
	}
}

// recv receives one single-frame message of size bytes.
func recv(s zmq.Socket, size int) (zmq.Msg, error) {
	m, err := s.Recv()
	if err != nil {
		return m, fmt.Errorf("recv: %w", err)
	}
	if len(m.Frames) != 1 {
		return m, fmt.Errorf("received a message of %d frames, want 1", len(m.Frames))
	}
	return m, perfout.CheckSize(len(m.Frames[0]), size)
}

// localThr: PULL receives Count messages; the stopwatch starts at the first.
func localThr(a perfout.Args) error {
	s, cancel, err := open(zmq.NewPull, true, a.Endpoint)
	if err != nil {
		return err
	}
	defer closeSocket(s, cancel)
	return perfout.TimeReceives(a, func() error {
		_, err := recv(s, a.Size)
		return err
	})
}

// remoteThr: PUSH sends Count messages of one buffer. Send writes to the
// connection before it returns, so nothing is left queued at Close.
func remoteThr(a perfout.Args) error {
	s, cancel, err := open(zmq.NewPush, false, a.Endpoint)
	if err != nil {
		return err
	}
	defer closeSocket(s, cancel)
	b := make([]byte, a.Size)
	for range a.Count {
		if err := s.Send(zmq.NewMsg(b)); err != nil {
			return fmt.Errorf("send: %w", err)
		}
	}
	return nil
}

// localLat: REP echoes Count messages, then lingers (see repLinger).
func localLat(a perfout.Args) error {
	s, cancel, err := open(zmq.NewRep, true, a.Endpoint)
	if err != nil {
		return err
	}
	defer closeSocket(s, cancel)
	for range a.Count {
		m, err := recv(s, a.Size)
		if err != nil {
			return err
		}
		if err := s.Send(m); err != nil {
			return fmt.Errorf("send: %w", err)
		}
	}
	time.Sleep(repLinger)
	return nil
}

// remoteLat: REQ does Count round trips; the stopwatch starts after Dial.
func remoteLat(a perfout.Args) error {
	s, cancel, err := open(zmq.NewReq, false, a.Endpoint)
	if err != nil {
		return err
	}
	defer closeSocket(s, cancel)
	b := make([]byte, a.Size)
	return perfout.TimeRoundtrips(a, func() error {
		if err := s.Send(zmq.NewMsg(b)); err != nil {
			return fmt.Errorf("send: %w", err)
		}
		_, err := recv(s, a.Size)
		return err
	})
}
