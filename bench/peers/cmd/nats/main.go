// Command nats is the broker's round trip in the request/reply comparison:
// NATS request/reply (github.com/nats-io/nats.go) through an embedded
// nats-server (github.com/nats-io/nats-server/v2), with libzmq's latency
// tools' command line and output.
//
//	nats local_lat <bind-to> <message-size> <roundtrip-count>
//	nats remote_lat <connect-to> <message-size> <roundtrip-count>
//
// local_lat starts a nats-server in its own process, listening on the
// HOST:PORT of the tcp:// endpoint with logging off, connects to it with
// nats.go and subscribes a replier on the subject "zring.lat" that echoes
// each request. remote_lat connects with nats.go and makes roundtrip-count
// Request calls of message-size bytes, checking each reply's size.
//
// The broker lives in the replier's process, but every round trip still
// crosses it: client -> server -> replier -> server -> client, the request
// and the reply each relayed by the server, four TCP legs (the replier's
// connection to its own server is loopback TCP too) where a ZeroMQ
// REQ/REP round trip has two. One machine makes this the broker's best
// case: its hop is a loopback one.
//
// Before its stopwatch starts, remote_lat waits until the replier answers
// on "zring.lat.ready" (the replier subscribes to it after "zring.lat", so
// both subscriptions are in place): the server listens before the replier
// has subscribed, and a request without a subscriber fails with "no
// responders". As in libzmq the stopwatch then starts after the connect,
// and the output is libzmq's (see package perfout). Throughput is not
// measured: local_thr and remote_thr fail.
package main

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/zring/zring/bench/peers/internal/perfout"
)

const (
	subject      = "zring.lat"
	readySubject = "zring.lat.ready"
	// timeout bounds every wait: a request, the start-up and the drain.
	timeout = 10 * time.Second
)

func main() {
	perfout.Main("nats", perfout.Tools{
		LocalThr: latOnly, RemoteThr: latOnly, LocalLat: localLat, RemoteLat: remoteLat,
	})
}

func latOnly(a perfout.Args) error {
	return fmt.Errorf("%s is not implemented: this peer measures request/reply latency only", a.Tool)
}

// hostPort splits a tcp:// endpoint into its host and port.
func hostPort(endpoint string) (string, int, error) {
	network, addr, err := perfout.SplitEndpoint(endpoint)
	if err != nil {
		return "", 0, err
	}
	if network != "tcp" {
		return "", 0, fmt.Errorf("endpoint %q: nats takes tcp:// only", endpoint)
	}
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("endpoint %q: %w", endpoint, err)
	}
	port, err := strconv.Atoi(p)
	if err != nil || port <= 0 || port > 65535 {
		return "", 0, fmt.Errorf("endpoint %q: invalid port %q", endpoint, p)
	}
	return host, port, nil
}

// localLat runs the broker and the replier, echoes Count requests, then
// waits for the requester to leave before shutting down, so that the last
// reply is not cut off.
func localLat(a perfout.Args) error {
	host, port, err := hostPort(a.Endpoint)
	if err != nil {
		return err
	}
	srv, err := server.NewServer(&server.Options{Host: host, Port: port, NoLog: true, NoSigs: true})
	if err != nil {
		return fmt.Errorf("nats-server: %w", err)
	}
	srv.Start()
	defer srv.Shutdown()
	if !srv.ReadyForConnections(timeout) {
		return fmt.Errorf("nats-server did not listen on %s:%d within %v", host, port, timeout)
	}
	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer nc.Close()
	sub, err := nc.SubscribeSync(subject)
	if err != nil {
		return fmt.Errorf("subscribe: %w", err)
	}
	if _, err := nc.Subscribe(readySubject, func(m *nats.Msg) { m.Respond(nil) }); err != nil {
		return fmt.Errorf("subscribe: %w", err)
	}
	if err := nc.Flush(); err != nil {
		return fmt.Errorf("flush: %w", err)
	}
	for range a.Count {
		m, err := sub.NextMsg(timeout)
		if err != nil {
			return fmt.Errorf("recv: %w", err)
		}
		if err := perfout.CheckSize(len(m.Data), a.Size); err != nil {
			return err
		}
		if err := m.Respond(m.Data); err != nil {
			return fmt.Errorf("send: %w", err)
		}
	}
	if err := nc.Flush(); err != nil {
		return fmt.Errorf("flush: %w", err)
	}
	// The replier's own connection stays; wait for the requester's to go.
	for deadline := time.Now().Add(timeout); srv.NumClients() > 1; {
		if time.Now().After(deadline) {
			return errors.New("the requester did not disconnect")
		}
		time.Sleep(5 * time.Millisecond)
	}
	return nil
}

// remoteLat connects, waits for the replier, then does Count requests.
func remoteLat(a perfout.Args) error {
	if _, _, err := hostPort(a.Endpoint); err != nil {
		return err
	}
	_, addr, _ := perfout.SplitEndpoint(a.Endpoint)
	nc, err := nats.Connect("nats://"+addr, nats.RetryOnFailedConnect(true),
		nats.MaxReconnects(-1), nats.ReconnectWait(10*time.Millisecond), nats.Timeout(timeout))
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer nc.Close()
	for deadline := time.Now().Add(timeout); ; {
		_, err := nc.Request(readySubject, nil, timeout)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("waiting for the replier: %w", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	b := make([]byte, a.Size)
	return perfout.TimeRoundtrips(a, func() error {
		m, err := nc.Request(subject, b, timeout)
		if err != nil {
			return fmt.Errorf("request: %w", err)
		}
		return perfout.CheckSize(len(m.Data), a.Size)
	})
}
