// Command zerocopy shows a zero-copy relay (zguide chapter 2, "Sockets
// and Patterns", the zero-copy section). The relay takes each frame with
// RecvFrame, which hands it the frame's pooled memory, and passes the same
// frame to SendFrame, which takes ownership on success: no payload is
// copied and the relay never releases what it forwarded. Only a frame
// SendFrame refused is still the relay's to release. Each frame's More
// flag becomes SndMore, so multipart messages stay whole.
//
//	go run ./examples/zerocopy -messages 100 -size 65536
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/zring/zring"
)

type config struct {
	In       string // the relay's PULL endpoint, fed by the producer
	Out      string // the relay's PUSH endpoint, read by the consumer
	Messages int    // messages to relay
	Size     int    // body size of each message
}

func main() {
	var cfg config
	flag.StringVar(&cfg.In, "in", "inproc://relay-in", "relay input endpoint")
	flag.StringVar(&cfg.Out, "out", "tcp://127.0.0.1:*", "relay output endpoint")
	flag.IntVar(&cfg.Messages, "messages", 100, "messages to relay")
	flag.IntVar(&cfg.Size, "size", 64<<10, "body bytes per message")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "zerocopy:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	zctx, err := zring.NewContext()
	if err != nil {
		return err
	}
	defer zctx.Close()

	in, err := bound(zctx, zring.Pull, cfg.In)
	if err != nil {
		return err
	}
	relayOut, err := bound(zctx, zring.Push, cfg.Out)
	if err != nil {
		return err
	}
	type result struct {
		frames int
		err    error
	}
	relayed := make(chan result, 1)
	go func() {
		n, err := relay(ctx, in, relayOut)
		relayed <- result{n, err}
	}()
	produced := make(chan error, 1)
	go func() { produced <- produce(zctx, in.Endpoint(), cfg) }()

	err = consume(ctx, out, zctx, relayOut.Endpoint(), cfg)
	err = errors.Join(err, <-produced)
	zctx.Close() // stops the relay
	r := <-relayed
	if err = errors.Join(err, r.err); err != nil {
		return err
	}
	fmt.Fprintf(out, "relayed %d frames\n", r.frames)
	return nil
}

func bound(zctx *zring.Context, t zring.Type, endpoint string) (*zring.Socket, error) {
	s, err := zctx.NewSocket(t)
	if err != nil {
		return nil, err
	}
	return s, s.Bind(endpoint)
}

// relay forwards frames from in to out until the context closes, and
// returns how many it forwarded.
func relay(ctx context.Context, in, out *zring.Socket) (int, error) {
	for n := 0; ; n++ {
		f, err := in.RecvFrameContext(ctx, 0)
		if err != nil {
			if errors.Is(err, zring.ErrTerminated) || errors.Is(err, context.Canceled) {
				return n, nil
			}
			return n, err
		}
		var flags zring.Flag
		if f.More() {
			flags = zring.SndMore
		}
		if err := out.SendFrameContext(ctx, f, flags); err != nil {
			f.Release() // refused: still ours
			if errors.Is(err, zring.ErrTerminated) || errors.Is(err, context.Canceled) {
				return n, nil
			}
			return n, err
		}
		// f belongs to out now; touching it here would be a bug.
	}
}

// message builds message i: a header, a body of size bytes and a trailer.
func message(i, size int) [][]byte {
	return [][]byte{
		fmt.Appendf(nil, "msg-%d", i),
		bytes.Repeat([]byte{byte('a' + i%26)}, size),
		fmt.Appendf(nil, "end-%d", i),
	}
}

func produce(zctx *zring.Context, endpoint string, cfg config) error {
	push, err := zctx.NewSocket(zring.Push)
	if err != nil {
		return err
	}
	defer push.Close()
	if err := push.Connect(endpoint); err != nil {
		return err
	}
	for i := range cfg.Messages {
		if err := push.SendMulti(message(i, cfg.Size), 0); err != nil {
			return err
		}
	}
	return nil
}

// consume checks every relayed message against what was sent, in order.
func consume(ctx context.Context, out io.Writer, zctx *zring.Context, endpoint string, cfg config) error {
	pull, err := zctx.NewSocket(zring.Pull)
	if err != nil {
		return err
	}
	defer pull.Close()
	if err := pull.Connect(endpoint); err != nil {
		return err
	}
	for i := range cfg.Messages {
		got, err := pull.RecvMultiContext(ctx, 0)
		if err != nil {
			return err
		}
		want := message(i, cfg.Size)
		if len(got) != len(want) {
			return fmt.Errorf("message %d: %d parts, want %d", i, len(got), len(want))
		}
		for p := range want {
			if !bytes.Equal(got[p], want[p]) {
				return fmt.Errorf("message %d part %d differs (%d bytes, want %d)", i, p, len(got[p]), len(want[p]))
			}
		}
		fmt.Fprintf(out, "%s: %d parts, %d body bytes intact\n", got[0], len(got), len(got[1]))
	}
	return nil
}
