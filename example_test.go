//go:build linux

package zring_test

import (
	"fmt"
	"log"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/zring/zring"
)

// The ZeroMQ guide's seed patterns. `make demo` runs them
// (go test -run Example -v ./socket).

// Hello world: a REP server answers each REQ.
func Example_helloWorld() {
	ctx := check(zring.NewContext())
	defer ctx.Close()

	server := check(ctx.NewSocket(zring.Rep))
	defer server.Close()
	must(server.Bind("tcp://127.0.0.1:*"))
	go func() {
		for {
			req, err := server.RecvString(0)
			if err != nil {
				return // closed
			}
			if err := server.SendString("World ("+req+")", 0); err != nil {
				return
			}
		}
	}()

	client := check(ctx.NewSocket(zring.Req))
	defer client.Close()
	must(client.Connect(server.Endpoint()))
	for i := range 3 {
		must(client.SendString(fmt.Sprint("Hello ", i), 0))
		reply := check(client.RecvString(0))
		fmt.Println(reply)
	}
	// Output:
	// World (Hello 0)
	// World (Hello 1)
	// World (Hello 2)
}

// Weather: a PUB sends updates for every zip code; a SUB subscribed to one
// prefix receives only those.
func Example_weather() {
	ctx := check(zring.NewContext())
	defer ctx.Close()

	publisher := check(ctx.NewSocket(zring.Pub))
	defer publisher.Close()
	must(publisher.Bind("tcp://127.0.0.1:*"))

	subscriber := check(ctx.NewSocket(zring.Sub))
	defer subscriber.Close()
	must(subscriber.Connect(publisher.Endpoint()))
	must(subscriber.Subscribe("10001 "))

	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			zip := 10000 + i%3
			if err := publisher.SendString(fmt.Sprintf("%05d %d", zip, 20+i%15), 0); err != nil {
				return // closed
			}
			time.Sleep(100 * time.Microsecond)
		}
	}()

	wrong := 0
	for range 10 {
		update := check(subscriber.RecvString(0))
		if !strings.HasPrefix(update, "10001 ") {
			wrong++
		}
	}
	fmt.Println("10 updates for 10001, others:", wrong)
	// Output:
	// 10 updates for 10001, others: 0
}

// Ventilator: PUSH hands tasks to workers round-robin; a PULL sink
// fair-queues the results.
func Example_ventilator() {
	ctx := check(zring.NewContext())
	defer ctx.Close()

	vent := check(ctx.NewSocket(zring.Push))
	defer vent.Close()
	must(vent.Bind("tcp://127.0.0.1:*"))
	sink := check(ctx.NewSocket(zring.Pull))
	defer sink.Close()
	must(sink.Bind("tcp://127.0.0.1:*"))

	var workers sync.WaitGroup
	for w := range 3 {
		in := check(ctx.NewSocket(zring.Pull))
		out := check(ctx.NewSocket(zring.Push))
		must(in.Connect(vent.Endpoint()))
		must(out.Connect(sink.Endpoint()))
		workers.Add(1)
		go func() {
			defer workers.Done()
			for {
				task, err := in.RecvString(0)
				if err != nil {
					return // the context closed
				}
				if err := out.SendString(fmt.Sprintf("%s done by worker %d", task, w), 0); err != nil {
					return
				}
			}
		}()
	}

	const tasks = 30
	for i := range tasks {
		must(vent.SendString(fmt.Sprint("task ", i), 0))
	}
	got := 0
	for range tasks {
		if _, err := sink.RecvString(0); err == nil {
			got++
		}
	}
	// Closing the context ends the workers' blocked receives. (A "stop"
	// message per worker would not do: round-robin only reaches the
	// workers connected when it is sent.)
	ctx.Close()
	workers.Wait()
	fmt.Println("results:", got)
	// Output:
	// results: 30
}

// Asynchronous client/server: DEALER clients send requests without waiting;
// a ROUTER server replies to each by its routing id.
func Example_asyncDealerRouter() {
	ctx := check(zring.NewContext())
	defer ctx.Close()

	server := check(ctx.NewSocket(zring.Router))
	defer server.Close()
	must(server.Bind("tcp://127.0.0.1:*"))
	go func() {
		for {
			msg, err := server.RecvMulti(0) // [client id, request]
			if err != nil {
				return
			}
			if err := server.SendMulti([][]byte{msg[0], append([]byte("re: "), msg[1]...)}, 0); err != nil {
				return
			}
		}
	}()

	var lines []string
	for _, name := range []string{"alice", "bob"} {
		client := check(ctx.NewSocket(zring.Dealer, zring.WithRoutingID([]byte(name))))
		must(client.Connect(server.Endpoint()))
		for i := range 2 { // two requests in flight
			must(client.SendString(fmt.Sprintf("%s #%d", name, i), 0))
		}
		for range 2 {
			reply := check(client.RecvString(0))
			lines = append(lines, reply)
		}
		client.Close()
	}
	sort.Strings(lines)
	fmt.Println(strings.Join(lines, "\n"))
	// Output:
	// re: alice #0
	// re: alice #1
	// re: bob #0
	// re: bob #1
}

// XPUB/XSUB proxy (zmq_proxy): subscriptions travel up through the proxy,
// messages down.
func Example_xpubXsubProxy() {
	ctx := check(zring.NewContext())
	defer ctx.Close()

	publisher := check(ctx.NewSocket(zring.Pub))
	defer publisher.Close()
	must(publisher.Bind("tcp://127.0.0.1:*"))

	frontend := check(ctx.NewSocket(zring.XSub)) // towards the publisher
	defer frontend.Close()
	must(frontend.Connect(publisher.Endpoint()))
	backend := check(ctx.NewSocket(zring.XPub)) // towards the subscribers
	defer backend.Close()
	must(backend.Bind("tcp://127.0.0.1:*"))
	go zring.Proxy(frontend, backend, nil) // until the context closes

	subscriber := check(ctx.NewSocket(zring.Sub))
	defer subscriber.Close()
	must(subscriber.Connect(backend.Endpoint()))
	must(subscriber.Subscribe("news"))

	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			if publisher.SendString("sport: lost", 0) != nil || publisher.SendString("news: flash", 0) != nil {
				return // closed
			}
			time.Sleep(time.Millisecond)
		}
	}()
	msg := check(subscriber.RecvString(0))
	fmt.Println(msg)
	// Output:
	// news: flash
}

// must stops the example on an error.
func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// check stops the example on an error, and returns v otherwise.
func check[T any](v T, err error) T {
	must(err)
	return v
}
