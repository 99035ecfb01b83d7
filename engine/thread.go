package engine

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zring/zring/affinity"
	"github.com/zring/zring/poll"
	"github.com/zring/zring/ring"
)

// Handler receives readiness events for one registered file descriptor.
// It runs on the owning Thread.
type Handler interface {
	// OnEvent is called with the readiness reported by the poller. With
	// edge-triggered polling the handler must consume until EAGAIN, or
	// Defer the rest of its work to a later loop pass.
	OnEvent(ev poll.Events)
}

// Registration identifies a Handler registered on a Thread.
type Registration struct {
	fd  int
	tok poll.Token
}

// Work caps per loop pass, so no single source starves the others.
const (
	maxCommandsPerPass = 256
	maxDeferredPerPass = 256
	eventsPerWait      = 256
)

// wakeSlot is the reserved handler slot of the thread's own eventfd.
const wakeSlot = 0

type slot struct {
	h   Handler
	gen uint32
}

// Thread is one I/O thread: a goroutine locked to an OS thread that runs an
// event loop over a poller, a mailbox and timers.
type Thread struct {
	eng  *Context // set by New
	id   int
	cpu  int       // -1 when not pinned
	kind poll.Kind // the backend asked for
	// poller is opened by the thread itself (setUp); fallback is why auto
	// did not choose io_uring. Both are written before started is sent.
	poller   poll.Poller
	fallback error
	wake     *ring.EventFD
	mbox     Mailbox[func()]
	load     atomic.Int64 // registered handlers; read by Context.Choose

	// Loop-owned state: touched only by the thread's goroutine.
	slots    []slot
	free     []uint32
	timers   timerHeap
	deferred []func()
	running  []func()
	backlog  []func()
	events   []poll.Event
	stopping bool

	started chan error
	done    chan struct{}
	once    sync.Once
}

func newThread(id, cpu int, kind poll.Kind) (*Thread, error) {
	w, err := ring.NewEventFD()
	if err != nil {
		return nil, err
	}
	t := &Thread{
		id: id, cpu: cpu, kind: kind, wake: w,
		slots:   make([]slot, 1, 64),
		events:  make([]poll.Event, eventsPerWait),
		started: make(chan error, 1),
		done:    make(chan struct{}),
	}
	go t.run(nil)
	if err := <-t.started; err != nil {
		<-t.done
		return nil, err
	}
	return t, nil
}

// ID returns the thread's index in its Context.
func (t *Thread) ID() int { return t.id }

// Load returns the number of handlers registered on the thread.
func (t *Thread) Load() int64 { return t.load.Load() }

// Post queues fn to run on the thread. Safe from any goroutine; it never
// blocks on the thread and does not allocate beyond the func value itself,
// so hot paths post pre-bound method values.
func (t *Thread) Post(fn func()) {
	t.mbox.Post(fn)
	t.wake.Wake()
}

// Defer queues fn to run on the thread in a later loop pass, after the
// current events are handled. Thread-only.
func (t *Thread) Defer(fn func()) {
	t.deferred = append(t.deferred, fn)
}

// AddTimer runs fn on the thread after d. Thread-only.
func (t *Thread) AddTimer(d time.Duration, fn func()) *Timer {
	tm := &Timer{whenNs: MonoNow() + int64(d), fn: fn, index: -1}
	t.timers.push(tm)
	return tm
}

// CancelTimer unschedules tm if it is still pending. Thread-only; nil is
// allowed.
func (t *Thread) CancelTimer(tm *Timer) {
	if tm != nil {
		t.timers.remove(tm)
	}
}

// Register adds fd to the poller, edge-triggered, and routes its events to
// h. Thread-only.
func (t *Thread) Register(fd int, h Handler, ev poll.Events) (Registration, error) {
	idx := t.allocSlot(h)
	tok := poll.MakeToken(idx, t.slots[idx].gen)
	if err := t.poller.Add(fd, tok, ev); err != nil {
		t.freeSlot(idx)
		return Registration{}, err
	}
	t.load.Add(1)
	return Registration{fd: fd, tok: tok}, nil
}

// Unregister removes a registration; events already fetched for it are
// dropped because its slot generation changes. Thread-only.
func (t *Thread) Unregister(r Registration) error {
	if r.tok == 0 {
		return nil
	}
	t.freeSlot(r.tok.Slot())
	t.load.Add(-1)
	return t.poller.Remove(r.fd)
}

func (t *Thread) allocSlot(h Handler) uint32 {
	if n := len(t.free); n > 0 {
		idx := t.free[n-1]
		t.free = t.free[:n-1]
		t.slots[idx].h = h
		return idx
	}
	t.slots = append(t.slots, slot{h: h, gen: 1})
	return uint32(len(t.slots) - 1)
}

func (t *Thread) freeSlot(idx uint32) {
	t.slots[idx].h = nil
	t.slots[idx].gen++
	t.free = append(t.free, idx)
}

// stop asks the loop to exit and waits for it.
func (t *Thread) stop() {
	t.once.Do(func() { t.Post(func() { t.stopping = true }) })
	<-t.done
}

// run is the thread's goroutine. held, when not nil, is closed once the
// goroutine is locked to its OS thread (hopOffMain waits for it).
func (t *Thread) run(held chan<- struct{}) {
	// The loop owns this OS thread for its whole life. It never unlocks: a
	// pinned or named thread returned to the scheduler would keep its
	// narrow CPU mask and its name, so the thread is destroyed when the
	// goroutine exits (thread_name.go).
	runtime.LockOSThread()
	if held != nil {
		close(held)
	}
	if onMainThread() {
		t.hopOffMain()
		return
	}
	defer close(t.done)
	labelThread(t.id)
	// A thread that cannot be named (prctl refused by a sandbox) still
	// works: the name is for profilers only.
	oldName, nameErr := nameOSThread(threadName(t.id))
	if nameErr == nil {
		defer restoreOSThreadName(oldName)
	}
	if err := t.setUp(); err != nil {
		t.wake.Close()
		t.started <- err
		return
	}
	t.started <- nil
	for !t.stopping {
		t.pass()
	}
	// Run what was posted before the stop (e.g. a connection finishing its
	// close), so no fd is left open; bounded in case posts keep coming.
	for i := 0; i < 64 && (t.mbox.Pending() || len(t.backlog) > 0); i++ {
		t.runCommands()
	}
	t.wake.Close()
	t.poller.Close()
}

// hopOffMain starts the loop again on a new goroutine, for a run that
// found itself locked to the process's main thread: renamed, the main
// thread would rename the process, and the runtime never destroys it, so
// its name and CPU mask would outlive Close. While this goroutine holds
// the main thread no other can run there, so the new one locks another
// thread; only then is the main thread let go, neither named nor pinned.
func (t *Thread) hopOffMain() {
	held := make(chan struct{})
	go t.run(held)
	<-held
	runtime.UnlockOSThread()
}

// setUp pins the thread and opens its poller on it: an io_uring ring
// belongs to the thread that creates it (SINGLE_ISSUER).
func (t *Thread) setUp() error {
	if t.cpu >= 0 {
		if err := affinity.Pin(t.cpu); err != nil {
			return fmt.Errorf("pin: %w", err) // New names the thread
		}
	}
	p, fallback, err := poll.Open(t.kind)
	if err != nil {
		return fmt.Errorf("poller: %w", err)
	}
	if err := p.Add(t.wake.FD(), poll.MakeToken(wakeSlot, 0), poll.Readable); err != nil {
		p.Close()
		return err
	}
	t.poller, t.fallback = p, fallback
	return nil
}

// pass is one loop iteration.
func (t *Thread) pass() {
	busy := t.runCommands()
	busy = t.runDeferred() || busy
	// Timers last: commands and deferred work may have added one, and the
	// wait below must not outlast it.
	timeout := t.timers.runDue()
	if busy || t.stopping || len(t.deferred) > 0 { // a timer may have deferred work
		timeout = 0
	} else if timeout != 0 {
		timeout = t.prepareSleep(timeout)
	}
	n, err := t.poller.Wait(t.events, timeout)
	t.wake.CancelSleep()
	if err != nil {
		// A poller error here is a broken invariant (closed or invalid epoll
		// fd); back off instead of spinning.
		time.Sleep(time.Millisecond)
		return
	}
	t.dispatch(t.events[:n])
}

// prepareSleep declares the thread asleep and re-checks the mailbox. The
// flag store precedes the mailbox load, and a poster's mailbox store precedes
// its flag load, so at least one side sees the other (Dekker).
func (t *Thread) prepareSleep(timeout time.Duration) time.Duration {
	t.wake.PrepareSleep()
	if t.mbox.Pending() {
		t.wake.CancelSleep()
		return 0
	}
	return timeout
}

func (t *Thread) dispatch(evs []poll.Event) {
	for _, ev := range evs {
		idx := ev.Token.Slot()
		if idx == wakeSlot {
			t.wake.Drain()
			continue
		}
		if int(idx) >= len(t.slots) || t.slots[idx].gen != ev.Token.Gen() || t.slots[idx].h == nil {
			continue // stale: the slot was freed after the event was fetched
		}
		t.slots[idx].h.OnEvent(ev.Events)
	}
}

// runCommands runs at most maxCommandsPerPass posted funcs, keeping any
// excess for the next pass. It reports whether work remains.
func (t *Thread) runCommands() bool {
	if batch := t.mbox.Take(); batch != nil {
		t.backlog = append(t.backlog, batch...)
		t.mbox.Recycle(batch)
	}
	n := min(len(t.backlog), maxCommandsPerPass)
	for i := 0; i < n; i++ {
		fn := t.backlog[i]
		t.backlog[i] = nil
		fn()
	}
	rest := copy(t.backlog, t.backlog[n:])
	clear(t.backlog[rest:])
	t.backlog = t.backlog[:rest]
	return rest > 0
}

// runDeferred runs work deferred by handlers in earlier passes. Work deferred
// while running waits for the next pass.
func (t *Thread) runDeferred() bool {
	if len(t.deferred) == 0 {
		return false
	}
	t.running, t.deferred = t.deferred, t.running[:0]
	for i, fn := range t.running {
		t.running[i] = nil
		fn()
	}
	t.running = t.running[:0]
	return len(t.deferred) > 0
}
