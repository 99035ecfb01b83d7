// Command wuproxy shows the weather update proxy (zguide chapter 2,
// "Sockets and Patterns", the intermediaries section). A PUB publishes
// "zipcode temperature humidity" updates; the proxy's XSUB frontend
// connects to it, its XPUB backend serves the subscribers, and
// zring.Proxy moves updates down and subscriptions up between them. A SUB
// behind the proxy that subscribes to one zip code gets only that zip
// code's updates and averages their temperature.
//
//	go run ./examples/wuproxy -zip 10001 -updates 100
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/zring/zring"
)

type config struct {
	Publisher string // the publisher's bind endpoint
	Proxy     string // the proxy's XPUB bind endpoint
	Zip       int    // the zip code the subscriber wants
	Zips      int    // the publisher spreads updates over Zips codes from 10000
	Updates   int    // updates the subscriber reads
}

func main() {
	var cfg config
	flag.StringVar(&cfg.Publisher, "publisher", "tcp://127.0.0.1:5556", "publisher endpoint")
	flag.StringVar(&cfg.Proxy, "proxy", "tcp://127.0.0.1:8100", "proxy endpoint for subscribers")
	flag.IntVar(&cfg.Zip, "zip", 10001, "zip code to subscribe to")
	flag.IntVar(&cfg.Zips, "zips", 10, "zip codes published, from 10000")
	flag.IntVar(&cfg.Updates, "updates", 100, "updates to read")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "wuproxy:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	zctx, err := zring.NewContext()
	if err != nil {
		return err
	}
	defer zctx.Close()

	pub, err := socket(zctx, zring.Pub, cfg.Publisher, true)
	if err != nil {
		return err
	}
	frontend, err := socket(zctx, zring.XSub, pub.Endpoint(), false)
	if err != nil {
		return err
	}
	backend, err := socket(zctx, zring.XPub, cfg.Proxy, true)
	if err != nil {
		return err
	}
	proxied := make(chan error, 1)
	go func() { proxied <- zring.Proxy(frontend, backend, nil) }()

	stop := make(chan struct{})
	published := make(chan error, 1)
	go func() { published <- publish(pub, cfg.Zips, stop) }()

	err = subscribe(ctx, out, zctx, backend.Endpoint(), cfg)
	close(stop)
	err = errors.Join(err, <-published)
	zctx.Close() // stops the proxy
	if perr := <-proxied; !errors.Is(perr, zring.ErrTerminated) {
		err = errors.Join(err, perr)
	}
	return err
}

func socket(zctx *zring.Context, t zring.Type, endpoint string, bind bool) (*zring.Socket, error) {
	s, err := zctx.NewSocket(t)
	if err != nil {
		return nil, err
	}
	if bind {
		return s, s.Bind(endpoint)
	}
	return s, s.Connect(endpoint)
}

// publish sends random weather for zips zip codes until stop closes. A
// PUB drops what no one subscribed to, so it can start at once.
func publish(pub *zring.Socket, zips int, stop <-chan struct{}) error {
	for {
		select {
		case <-stop:
			return nil
		default:
		}
		update := fmt.Sprintf("%05d %d %d", 10000+rand.IntN(zips), rand.IntN(215)-80, rand.IntN(50)+10)
		if err := pub.SendString(update, 0); err != nil {
			return err
		}
		time.Sleep(10 * time.Microsecond) // a weather station, not a benchmark
	}
}

// subscribe reads cfg.Updates updates for cfg.Zip through the proxy.
func subscribe(ctx context.Context, out io.Writer, zctx *zring.Context, endpoint string, cfg config) error {
	sub, err := socket(zctx, zring.Sub, endpoint, false)
	if err != nil {
		return err
	}
	defer sub.Close()
	// The trailing space keeps 10001 from matching 100010.
	if err := sub.Subscribe(fmt.Sprintf("%05d ", cfg.Zip)); err != nil {
		return err
	}
	total := 0
	for range cfg.Updates {
		update, err := sub.RecvStringContext(ctx, 0)
		if err != nil {
			return err
		}
		fields := strings.Fields(update)
		if len(fields) != 3 {
			return fmt.Errorf("malformed update %q", update)
		}
		temp, err := strconv.Atoi(fields[1])
		if err != nil {
			return fmt.Errorf("update %q: %w", update, err)
		}
		fmt.Fprintln(out, "update:", update)
		total += temp
	}
	fmt.Fprintf(out, "average temperature for zip code %05d was %dF\n", cfg.Zip, total/max(cfg.Updates, 1))
	return nil
}
