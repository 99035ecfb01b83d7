package zmq4

import (
	"errors"
	"fmt"
	"time"
)

type reactorSocket struct {
	events  State
	handler func(State) error
}

type reactorChannel struct {
	ch      <-chan interface{}
	handler func(interface{}) error
	limit   int
}

/*
Reactor mixes the handling of sockets and channels (timers or other
channels), as pebbe/zmq4's does.

Example:

	reactor := zmq.NewReactor()
	reactor.AddSocket(socket1, zmq.POLLIN, socket1_handler)
	reactor.AddSocket(socket2, zmq.POLLIN, socket2_handler)
	reactor.AddChannelTime(time.Tick(time.Second), 1, ticker_handler)
	reactor.Run(time.Second)
*/
type Reactor struct {
	sockets  map[*Socket]*reactorSocket
	channels map[uint64]*reactorChannel
	poller   *Poller
	lastID   uint64
	removed  []uint64
	verbose  bool
}

// NewReactor creates a reactor.
func NewReactor() *Reactor {
	return &Reactor{
		sockets:  make(map[*Socket]*reactorSocket),
		channels: make(map[uint64]*reactorChannel),
		poller:   NewPoller(),
	}
}

// AddSocket adds a handler for the socket's events (POLLIN, POLLOUT or
// both), which it receives as its argument. A socket has one handler:
// adding a second replaces the first.
func (r *Reactor) AddSocket(soc *Socket, events State, handler func(State) error) {
	r.RemoveSocket(soc)
	r.sockets[soc] = &reactorSocket{events: events, handler: handler}
	r.poller.Add(soc, events)
}

// RemoveSocket removes the socket's handler.
func (r *Reactor) RemoveSocket(soc *Socket) {
	if _, ok := r.sockets[soc]; !ok {
		return
	}
	delete(r.sockets, soc)
	r.poller.RemoveBySocket(soc)
}

// AddChannel adds a handler for the values received from ch and returns
// its id, for RemoveChannel. With a positive limit, at most that many
// values are handled in each round of Run; otherwise as many as are ready.
func (r *Reactor) AddChannel(ch <-chan interface{}, limit int, handler func(interface{}) error) (id uint64) {
	r.lastID++
	r.channels[r.lastID] = &reactorChannel{ch: ch, handler: handler, limit: limit}
	return r.lastID
}

// AddChannelTime is AddChannel for a channel of time.Time, such as
// time.Tick's.
func (r *Reactor) AddChannelTime(ch <-chan time.Time, limit int, handler func(interface{}) error) (id uint64) {
	fwd := make(chan interface{})
	go func() {
		defer close(fwd)
		for t := range ch {
			fwd <- t
		}
	}()
	return r.AddChannel(fwd, limit, handler)
}

// RemoveChannel removes a channel's handler, from the next round of Run
// on. Closed channels are removed by themselves.
func (r *Reactor) RemoveChannel(id uint64) {
	r.removed = append(r.removed, id)
}

// SetVerbose makes Run print what it handles.
func (r *Reactor) SetVerbose(verbose bool) {
	r.verbose = verbose
}

/*
Run runs the reactor until a handler returns an error, and returns it.

Each round reads the channels without waiting (handling what is there, up
to each one's limit), then polls the sockets for interval and calls the
handlers of those ready. interval must not be negative while there are
channels; with no sockets, the round sleeps for interval instead.
*/
func (r *Reactor) Run(interval time.Duration) (err error) {
	for {
		for _, id := range r.removed {
			delete(r.channels, id)
		}
		r.removed = r.removed[:0]

		for id, c := range r.channels {
			if err := r.drain(id, c); err != nil {
				return err
			}
		}

		if len(r.channels) > 0 && interval < 0 {
			return errors.New("There are channels, but polling time-out is infinite")
		}
		if len(r.sockets) == 0 {
			if len(r.channels) == 0 {
				return errors.New("No sockets to poll, no channels to read")
			}
			time.Sleep(interval)
			continue
		}

		polled, err := r.poller.Poll(interval)
		if err != nil {
			return err
		}
		for _, item := range polled {
			if r.verbose {
				fmt.Printf("Reactor(%p) %v\n", r, item)
			}
			if s, ok := r.sockets[item.Socket]; ok {
				if err := s.handler(item.Events); err != nil {
					return err
				}
			}
		}
	}
}

// drain handles what channel id has ready, up to its limit.
func (r *Reactor) drain(id uint64, c *reactorChannel) error {
	for n := 0; c.limit <= 0 || n < c.limit; n++ {
		select {
		case v, ok := <-c.ch:
			if !ok {
				if r.verbose {
					fmt.Printf("Reactor(%p) removing closed channel %d\n", r, id)
				}
				r.RemoveChannel(id)
				return nil
			}
			if r.verbose {
				fmt.Printf("Reactor(%p) channel %d: %v\n", r, id, v)
			}
			if err := c.handler(v); err != nil {
				return err
			}
		default:
			return nil
		}
	}
	return nil
}
