package zmq4

import (
	"fmt"
	"runtime"
	"time"

	"github.com/zring/zring"
)

// Polled is a socket the Poller found ready, returned by (*Poller).Poll.
type Polled struct {
	Socket *Socket // socket with matched event(s)
	Events State   // actual matched event(s)
}

/*
Poller waits for events on several sockets (zmq_poll), on a zring.Poller.
Like pebbe/zmq4's it is used by one goroutine at a time; its zring.Poller
is released when it is garbage collected.
*/
type Poller struct {
	items []pollItem
	zp    *pollerState // made at the first poll
}

type pollItem struct {
	soc    *Socket
	events State
}

// pollerState holds the zring.Poller mirroring a Poller's items (nil
// until a poll, and after a Remove), apart from the Poller so that a
// cleanup can close it once the Poller is unreachable.
type pollerState struct{ p *zring.Poller }

// NewPoller creates a new Poller.
func NewPoller() *Poller {
	return &Poller{items: make([]pollItem, 0)}
}

// Add adds a socket to the poller, waiting for events (POLLIN, POLLOUT or
// both; 0 waits for nothing), and returns its id: a handle for Update and
// an index into the result of PollAll. The same socket may be added twice.
func (p *Poller) Add(soc *Socket, events State) int {
	if p == nil {
		return -1
	}
	p.items = append(p.items, pollItem{soc, events})
	if p.zp != nil && p.zp.p != nil {
		if zs, err := soc.z(); err != nil || p.zp.p.Add(zring.PollItem{Socket: zs, Events: zring.PollEvents(events)}) != nil {
			p.reset() // Poll reports the socket's error
		}
	}
	return len(p.items) - 1
}

// Update replaces the events of item id and returns the previous ones, or
// ErrorNoSocket if there is no such item.
func (p *Poller) Update(id int, events State) (previous State, err error) {
	if p == nil || id < 0 || id >= len(p.items) {
		return 0, ErrorNoSocket
	}
	previous = p.items[id].events
	p.items[id].events = events
	if p.zp != nil && p.zp.p != nil && p.zp.p.SetEvents(id, zring.PollEvents(events)) != nil {
		p.reset()
	}
	return previous, nil
}

// UpdateBySocket replaces the events of the first item of soc and returns
// the previous ones, or ErrorNoSocket if the poller does not hold soc.
func (p *Poller) UpdateBySocket(soc *Socket, events State) (previous State, err error) {
	return p.Update(p.index(soc), events)
}

// Remove removes item id; the items after it move up one id. It returns
// ErrorNoSocket if there is no such item.
func (p *Poller) Remove(id int) error {
	if p == nil || id < 0 || id >= len(p.items) {
		return ErrorNoSocket
	}
	p.items = append(p.items[:id], p.items[id+1:]...)
	p.reset()
	return nil
}

// RemoveBySocket removes the first item of soc, or returns ErrorNoSocket
// if the poller does not hold soc.
func (p *Poller) RemoveBySocket(soc *Socket) error {
	return p.Remove(p.index(soc))
}

func (p *Poller) index(soc *Socket) int {
	if p != nil {
		for i, it := range p.items {
			if it.soc == soc {
				return i
			}
		}
	}
	return -1
}

// reset drops the zring.Poller; the next poll builds another.
func (p *Poller) reset() {
	if p.zp != nil && p.zp.p != nil {
		_ = p.zp.p.Close()
		p.zp.p = nil
	}
}

// build makes the zring.Poller for the items, checking each is open.
func (p *Poller) build() error {
	if p.zp == nil {
		p.zp = &pollerState{}
		runtime.AddCleanup(p, func(st *pollerState) {
			if st.p != nil {
				_ = st.p.Close()
			}
		}, p.zp)
	}
	if p.zp.p != nil {
		return nil
	}
	zitems := make([]zring.PollItem, len(p.items))
	for i, it := range p.items {
		zs, err := it.soc.z()
		if err != nil {
			return err
		}
		zitems[i] = zring.PollItem{Socket: zs, Events: zring.PollEvents(it.events)}
	}
	zp, err := zring.NewPoller(zitems...)
	if err != nil {
		return errget(err)
	}
	p.zp.p = zp
	return nil
}

/*
Poll waits for events on the poller's sockets, and returns those with one
or more of the events they wait for. A negative timeout waits forever; a
timeout shorter than a millisecond does not wait, as in pebbe/zmq4. With no
sockets it returns at once.

Example:

	poller := zmq.NewPoller()
	poller.Add(socket0, zmq.POLLIN)
	poller.Add(socket1, zmq.POLLIN)
	for {
		sockets, _ := poller.Poll(-1)
		for _, socket := range sockets {
			switch s := socket.Socket; s {
			case socket0:
				msg, _ := s.Recv(0)
				//  Process msg
			case socket1:
				msg, _ := s.Recv(0)
				//  Process msg
			}
		}
	}
*/
func (p *Poller) Poll(timeout time.Duration) ([]Polled, error) {
	return p.poll(timeout, false)
}

/*
PollAll is Poll returning every socket in the order added, not only those
with an event; check each one's Events. When the error is not nil, the list
is empty.
*/
func (p *Poller) PollAll(timeout time.Duration) ([]Polled, error) {
	return p.poll(timeout, true)
}

func (p *Poller) poll(timeout time.Duration, all bool) ([]Polled, error) {
	if p == nil {
		return []Polled{}, ErrorNoSocket
	}
	lst := make([]Polled, 0, len(p.items))
	if len(p.items) == 0 {
		return lst, nil
	}
	for _, it := range p.items {
		if _, err := it.soc.z(); err != nil {
			return lst, err
		}
	}
	if err := p.build(); err != nil {
		return lst, err
	}
	// Whole milliseconds, as zmq_poll takes them.
	t := timeout
	if t > 0 {
		t = t.Truncate(time.Millisecond)
	} else if t < 0 {
		t = -1
	}
	ready, err := p.zp.p.Wait(t)
	if err != nil {
		return lst, errget(err)
	}
	revents := make([]State, len(p.items))
	for _, r := range ready {
		revents[r.Index] = State(r.Events)
	}
	for i, it := range p.items {
		if all || revents[i] != 0 {
			lst = append(lst, Polled{it.soc, revents[i]})
		}
	}
	return lst, nil
}

// String returns the poller's sockets and the events each waits for.
func (p *Poller) String() string {
	if p == nil {
		return "Poller[]"
	}
	str := make([]string, 0, len(p.items))
	for _, it := range p.items {
		str = append(str, fmt.Sprintf("%v%v", it.soc, it.events))
	}
	return fmt.Sprint("Poller", str)
}
