// Command demo runs zring's seed patterns over TCP: the hello-world
// request/reply and the ventilator/workers/sink pipeline from the ZeroMQ
// guide. `make demo` runs it, then a quick side-by-side line against libzmq.
package main

import (
	"fmt"
	"log"
	"strconv"
	"sync"
	"time"

	"github.com/zring/zring"
)

func main() {
	ctx, err := zring.NewContext()
	if err != nil {
		log.Fatal(err)
	}
	defer ctx.Close()
	helloWorld(ctx)
	ventilator(ctx)
}

// helloWorld: a REP server answers "World" to each "Hello" from a REQ client.
func helloWorld(ctx *zring.Context) {
	fmt.Println("== hello world: REQ/REP over tcp")
	server := must(ctx.NewSocket(zring.Rep))
	check(server.Bind("tcp://127.0.0.1:*"))
	go func() {
		for {
			req, err := server.RecvString(0)
			if err != nil {
				return // closed
			}
			check(server.SendString("World to "+req, 0))
		}
	}()

	client := must(ctx.NewSocket(zring.Req))
	check(client.Connect(server.Endpoint()))
	for i := 0; i < 3; i++ {
		start := time.Now()
		check(client.SendString("Hello "+strconv.Itoa(i), 0))
		reply := must(client.RecvString(0))
		fmt.Printf("   %-20s (%v)\n", reply, time.Since(start).Round(time.Microsecond))
	}
	client.Close()
	server.Close()
}

// ventilator: a PUSH ventilator spreads tasks over PULL/PUSH workers
// round-robin; a PULL sink fair-queues their results.
func ventilator(ctx *zring.Context) {
	const workers, tasks = 3, 30
	fmt.Printf("== ventilator: PUSH -> %d workers -> PULL sink, %d tasks\n", workers, tasks)
	vent := must(ctx.NewSocket(zring.Push))
	check(vent.Bind("tcp://127.0.0.1:*"))
	sink := must(ctx.NewSocket(zring.Pull))
	check(sink.Bind("tcp://127.0.0.1:*"))

	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go worker(ctx, w, vent.Endpoint(), sink.Endpoint(), &wg)
	}
	wg.Wait() // every worker connected, so the tasks spread evenly
	time.Sleep(50 * time.Millisecond)

	for i := 0; i < tasks; i++ {
		check(vent.SendString(strconv.Itoa(i), 0))
	}
	perWorker := map[string]int{}
	for i := 0; i < tasks; i++ {
		perWorker[must(sink.RecvString(0))]++
	}
	fmt.Printf("   results per worker: %v\n", perWorker)
	vent.Close()
	sink.Close()
}

func worker(ctx *zring.Context, id int, from, to string, ready *sync.WaitGroup) {
	in := must(ctx.NewSocket(zring.Pull))
	check(in.Connect(from))
	out := must(ctx.NewSocket(zring.Push))
	check(out.Connect(to))
	ready.Done()
	for {
		task, err := in.RecvString(0)
		if err != nil {
			break // the context is closing
		}
		_ = task
		check(out.SendString("worker-"+strconv.Itoa(id), 0))
	}
	in.Close()
	out.Close()
}

func must[T any](v T, err error) T {
	check(err)
	return v
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
