// Command grpc is the RPC round trip in the request/reply comparison: a
// gRPC unary echo (google.golang.org/grpc) with libzmq's latency tools'
// command line and output.
//
//	grpc local_lat <bind-to> <message-size> <roundtrip-count>
//	grpc remote_lat <connect-to> <message-size> <roundtrip-count>
//
// No protobuf code is generated: the service zring.Echo, with its one
// unary method Echo, is registered by hand (a grpc.ServiceDesc), and both
// sides force a codec that passes the message bytes through unchanged
// (rawCodec), so each round trip is one HTTP/2 request and response of
// message-size bytes with gRPC's framing and nothing else. The client
// calls it with ClientConn.Invoke. Plain HTTP/2 (insecure credentials) on
// the tcp:// endpoint, meant for loopback.
//
// local_lat serves Count calls, then stops gracefully (the last reply is
// sent before the server goes). remote_lat connects, waits until the
// connection is ready (the stopwatch starts after the connect, as in
// libzmq), then makes Count calls, checking each reply's size. Output is
// libzmq's (see package perfout). Throughput is not measured: local_thr
// and remote_thr fail.
package main

import (
	"context"
	"fmt"
	"net"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/connectivity"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/zring/zring/bench/peers/internal/perfout"
)

const (
	method = "/zring.Echo/Echo"
	// timeout bounds the connect and every call.
	timeout = 10 * time.Second
)

func main() {
	perfout.Main("grpc", perfout.Tools{
		LocalThr: latOnly, RemoteThr: latOnly, LocalLat: localLat, RemoteLat: remoteLat,
	})
}

func latOnly(a perfout.Args) error {
	return fmt.Errorf("%s is not implemented: this peer measures request/reply latency only", a.Tool)
}

// rawCodec is an encoding.Codec for *[]byte: the message is its bytes.
type rawCodec struct{}

func (rawCodec) Name() string { return "zring-raw" }

func (rawCodec) Marshal(v any) ([]byte, error) {
	b, ok := v.(*[]byte)
	if !ok {
		return nil, fmt.Errorf("rawCodec: cannot marshal %T, want *[]byte", v)
	}
	return *b, nil
}

// Unmarshal copies: gRPC reuses data's buffer once Unmarshal returns.
func (rawCodec) Unmarshal(data []byte, v any) error {
	b, ok := v.(*[]byte)
	if !ok {
		return fmt.Errorf("rawCodec: cannot unmarshal into %T, want *[]byte", v)
	}
	*b = append((*b)[:0], data...)
	return nil
}

// echoServer counts the calls it has served and closes done at the Count-th.
type echoServer struct {
	size   int
	count  int64
	served atomic.Int64
	done   chan struct{}
}

// serviceDesc is zring.Echo by hand: one unary method, no streams. The
// handler runs on gRPC's goroutines (the client makes one call at a time,
// but the count is atomic all the same).
var serviceDesc = grpc.ServiceDesc{
	ServiceName: "zring.Echo",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{
		MethodName: "Echo",
		Handler: func(srv any, _ context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
			s := srv.(*echoServer)
			var b []byte
			if err := dec(&b); err != nil {
				return nil, err
			}
			if err := perfout.CheckSize(len(b), s.size); err != nil {
				return nil, err
			}
			if s.served.Add(1) == s.count {
				close(s.done)
			}
			return &b, nil
		},
	}},
	Metadata: "zring/echo (registered by hand, no .proto)",
}

// localLat serves Count echo calls.
func localLat(a perfout.Args) error {
	network, addr, err := perfout.SplitEndpoint(a.Endpoint)
	if err != nil {
		return err
	}
	if network != "tcp" {
		return fmt.Errorf("endpoint %q: grpc takes tcp:// only", a.Endpoint)
	}
	l, err := net.Listen(network, addr)
	if err != nil {
		return fmt.Errorf("bind: %w", err)
	}
	srv := grpc.NewServer(grpc.ForceServerCodec(rawCodec{}))
	echo := &echoServer{size: a.Size, count: int64(a.Count), done: make(chan struct{})}
	srv.RegisterService(&serviceDesc, echo)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	select {
	case <-echo.done:
		// GracefulStop waits for the Count-th call to return its reply.
		srv.GracefulStop()
		return nil
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	}
}

// remoteLat connects, waits for the connection to be ready, then makes
// Count calls.
func remoteLat(a perfout.Args) error {
	network, addr, err := perfout.SplitEndpoint(a.Endpoint)
	if err != nil {
		return err
	}
	if network != "tcp" {
		return fmt.Errorf("endpoint %q: grpc takes tcp:// only", a.Endpoint)
	}
	conn, err := grpc.NewClient("passthrough:///"+addr,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(rawCodec{}), grpc.WaitForReady(true)))
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	conn.Connect()
	for s := conn.GetState(); s != connectivity.Ready; s = conn.GetState() {
		if !conn.WaitForStateChange(ctx, s) {
			return fmt.Errorf("connect: not ready within %v (state %v)", timeout, s)
		}
	}
	req := make([]byte, a.Size)
	var reply []byte
	return perfout.TimeRoundtrips(a, func() error {
		callCtx, cancel := context.WithTimeout(context.Background(), timeout)
		err := conn.Invoke(callCtx, method, &req, &reply)
		cancel()
		if err != nil {
			return fmt.Errorf("call: %w", err)
		}
		return perfout.CheckSize(len(reply), a.Size)
	})
}
