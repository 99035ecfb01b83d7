package zring

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/socket"

	"github.com/zring/zring/engine"
	"github.com/zring/zring/mempool"
	"github.com/zring/zring/ring"
)

// Socket is a ZeroMQ socket. It is safe for concurrent use; concurrent
// senders (or receivers) are served one message at a time.
type Socket struct {
	ctx *Context
	typ Type
	pat socket.Pattern

	mbox       engine.Mailbox[command]
	sendWaiter *ring.Waiter
	recvWaiter *ring.Waiter
	// sendSem and recvSem admit one blocked waiter per direction; the rest
	// queue on the channel, which honours their context.
	sendSem chan struct{}
	recvSem chan struct{}

	mu        sync.Mutex
	opts      options                      // guarded by mu
	closeErr  error                        // non-nil once closed; guarded by mu
	sessions  map[*engine.Session]struct{} // guarded by mu
	listeners []*engine.Listener           // guarded by mu
	endpoint  string                       // last bound or connected endpoint; guarded by mu
	outHead   *mempool.Frame               // message being assembled by Send; guarded by mu
	outTail   *mempool.Frame
	inMsg     *mempool.Frame // rest of the message being received; guarded by mu
	rcvMore   bool           // the last frame received has more parts (RCVMORE); guarded by mu
	inPipe    *pipe.Pipe     // where the last message received came from; guarded by mu
	// connected holds the endpoints connected over tcp, ipc, ws, wss and
	// udp and not disconnected since, as libzmq's endpoint list: Disconnect
	// succeeds once for each, even after its connection ended for good (a
	// refused pairing ends the session). Guarded by mu.
	connected map[string]struct{}
	// pipes are the attached pipes; direct read needs exactly one. Guarded
	// by mu.
	pipes []*pipe.Pipe
	// batch holds back the pipes' flushes during a SendBatch; guarded by mu.
	batch pipe.Batch
	// reading is the connection a goroutine blocked in Recv reads directly
	// (conn_direct.go), for the wakers to interrupt.
	reading atomic.Pointer[engine.Conn]
	// ends counts the socket's live sessions and listeners; guarded by mu.
	ends int
	// watchers are the pollers to signal on every post (poller.go).
	watchers watchers
	// mon is the running monitor, if any (monitor.go). Stored by the
	// goroutine calling Monitor (Swap, after the Monitor is fully built)
	// and by Stop on any goroutine (CompareAndSwap to nil, so stopping a
	// monitor that was replaced leaves its successor alone). Loaded by
	// emit on whichever goroutine raises an event (engine.Socket.Event:
	// I/O threads, and Bind's caller for its listener) and by
	// stopMonitor. A load must see a fully built Monitor, which the Swap
	// publishes: a load that observes it is synchronized after it, so
	// sock, mask and ch are visible. Nothing more is needed: an event
	// raised while Monitor runs may or may not reach the new monitor, as
	// in libzmq, and a load that returns a monitor being stopped only
	// calls its send, which checks closed under the monitor's mu and
	// drops the event instead of sending on a closed channel. Without a
	// monitor, emit costs this one load.
	mon atomic.Pointer[Monitor]
	// counters are the statistics behind Stats, which connections count
	// too (engine.Counters); msgCounts are guarded by mu, eventCounts and
	// blockedNs atomic (stats.go).
	counters    engine.Counters
	msgCounts   msgCounts
	eventCounts eventCounts
	blockedNs   atomic.Int64
	// turn is the send/receive rhythm that decides speculative writes
	// (engine.Turn); guarded by mu.
	turn engine.Turn
	// resend holds whole messages taken back from a peer that
	// WithEveryAddress dropped, for the pattern's other peers (every.go);
	// guarded by mu.
	resend []*mempool.Frame
	// names are the host names followed under WithEveryAddress
	// (every.go): written under mu, copy on write; loaded by emit, on any
	// goroutine, to look a name up again when one of its connections ends.
	names atomic.Pointer[[]*nameWatch]
}

func newSocket(c *Context, t Type) *Socket {
	s := &Socket{
		ctx: c, typ: t,
		sendWaiter: ring.NewWaiter(),
		recvWaiter: ring.NewWaiter(),
		sendSem:    make(chan struct{}, 1),
		recvSem:    make(chan struct{}, 1),
		opts:       defaultOptions(),
		sessions:   make(map[*engine.Session]struct{}),
		connected:  make(map[string]struct{}),
	}
	s.opts.conn.Type = t
	s.opts.conn.Turn, s.opts.conn.Counters = &s.turn, &s.counters
	s.pat = socket.New(t, &s.opts.pat)
	return s
}

// discard releases a socket NewSocket made but does not return.
func (s *Socket) discard() {
	s.sendWaiter.Close()
	s.recvWaiter.Close()
}

// Type returns the socket type.
func (s *Socket) Type() Type { return s.typ }

// SetOption applies options; they affect connections made afterwards. A
// nil Option is ErrInvalid; on a closed socket SetOption is ErrClosed (or
// ErrTerminated after Context.Close). Options are applied all or none.
func (s *Socket) SetOption(opts ...Option) error {
	if s == nil {
		return errNilSocket
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closeErr != nil {
		return s.closeErr
	}
	return s.applyLocked(opts)
}

// applyLocked applies opts to a copy of the options and keeps it if all
// succeed; s.mu must be held.
func (s *Socket) applyLocked(opts []Option) error {
	o := s.opts
	for i, opt := range opts {
		if opt == nil {
			return fmt.Errorf("%w: option %d is nil", ErrInvalid, i)
		}
		if err := opt(&o); err != nil {
			return err
		}
	}
	s.opts = o
	return nil
}

// openErr returns why the socket can no longer be used (ErrClosed or
// ErrTerminated), or nil while it is open.
func (s *Socket) openErr() error {
	if s == nil {
		return errNilSocket
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closeErr
}

// Endpoint returns the last endpoint bound or connected, with a wildcard
// port resolved (ZMQ_LAST_ENDPOINT).
func (s *Socket) Endpoint() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.endpoint
}

// Close closes the socket (zmq_close). It returns at once; messages already
// queued keep flowing in the background per the linger option, and
// Context.Close waits for them. Blocked calls return ErrClosed.
func (s *Socket) Close() error {
	s.close(ErrClosed)
	return nil
}

func (s *Socket) close(reason error) {
	s.unfollow("") // before the sessions: a name's goroutine adds none after
	s.mu.Lock()
	if s.closeErr != nil {
		s.mu.Unlock()
		return
	}
	s.closeErr = reason
	mempool.ReleaseChain(s.outHead)
	mempool.ReleaseChain(s.inMsg)
	for _, m := range s.resend {
		mempool.ReleaseChain(m)
	}
	s.resend = nil
	s.outHead, s.outTail, s.inMsg = nil, nil, nil
	linger := s.opts.linger
	sessions := make([]*engine.Session, 0, len(s.sessions))
	for ss := range s.sessions {
		sessions = append(sessions, ss)
	}
	listeners := s.listeners
	s.listeners = nil
	s.releaseInproc()
	idle := s.ends == 0
	s.mu.Unlock()
	s.forgetInproc()
	if idle {
		s.stopMonitor()
	}
	for _, l := range listeners {
		l.Close()
	}
	for _, ss := range sessions {
		ss.Close(linger)
	}
	s.sendWaiter.Wake()
	s.recvWaiter.Wake()
	// Their descriptors go now, not when the GC finds them: a program
	// that opens and closes many sockets would otherwise hold two per
	// socket until a collection, which a zero-allocation program rarely
	// triggers. A goroutine still parked on one returns and sees closeErr.
	s.sendWaiter.Close()
	s.recvWaiter.Close()
	s.interruptRead()
	s.wakeWatchers()
	s.ctx.forget(s)
}

// endDone records that a session or listener of the socket ended. After
// Close, the last one stops the monitor, so EventMonitorStopped follows the
// listeners' EventClosed and the sessions' last events, as in libzmq, where
// the monitor stops when the closed socket is finally destroyed.
func (s *Socket) endDone() {
	s.mu.Lock()
	s.ends--
	last := s.ends == 0 && s.closeErr != nil
	s.mu.Unlock()
	if last {
		s.stopMonitor()
	}
}

func (s *Socket) stopMonitor() {
	if m := s.mon.Load(); m != nil {
		m.Stop()
	}
}

// post delivers a command from an I/O thread and wakes whichever side waits
// for it.
func (s *Socket) post(c command) {
	s.mbox.Post(c)
	s.wakeWatchers()
	switch c.kind {
	case engine.CmdActivateRead:
		s.recvWaiter.Wake()
	case engine.CmdActivateWrite:
		s.sendWaiter.Wake()
	default:
		s.recvWaiter.Wake()
		s.sendWaiter.Wake()
		// A direct reader must see a pipe attached or detached. Read
		// activations need no interrupt: with one pipe they come only
		// from the direct reader itself.
		s.interruptRead()
	}
}

// interruptRead ends a direct read's netpoller wait. Callers publish their
// change (mailbox, closeErr) first; the reader stores reading before it
// re-checks the mailbox, so either it sees the change or this sees it
// (sequentially consistent atomics; closeErr is ordered by mu).
func (s *Socket) interruptRead() {
	if c := s.reading.Load(); c != nil {
		c.InterruptRead()
	}
}

// processCommands runs queued commands; s.mu must be held.
func (s *Socket) processCommands() {
	batch := s.mbox.Take()
	if batch == nil {
		return
	}
	for _, c := range batch {
		s.runCommand(c)
	}
	s.mbox.Recycle(batch)
}

// refusal is why the pattern declined a pipe, or nil when the socket is
// closing.
func (s *Socket) refusal() error {
	switch {
	case s.closeErr != nil:
		return nil
	case s.typ == Router || s.typ == Stream:
		return ErrRoutingIDInUse
	}
	return ErrPeerRefused
}

func (s *Socket) runCommand(c command) {
	switch c.kind {
	case engine.CmdAttach:
		c.p.SetBatch(&s.batch)
		if s.closeErr != nil || !s.pat.Attach(c.p) {
			c.p.Detached = true
			c.p.Far().Refuse(s.refusal())
			return
		}
		s.pipes = append(s.pipes, c.p)
		s.flushResend()
	case engine.CmdDetach:
		if c.p.Detached {
			if c.p.Cut { // the session has now stopped consuming
				if c.p.Requeue {
					s.takeBack(c.p)
				}
				c.p.DrainOut()
			}
			return // or both ends of an inproc link dropped it
		}
		s.removePipe(c.p)
		c.p.Detached = true
		s.pat.Detach(c.p)
		// The session stopped consuming before it posted this, so the
		// socket may now drain what it can no longer send; so may an
		// inproc end whose peer closed.
		if ip := inprocOf(c.p); ip == nil || ip.gone.Load() {
			c.p.DrainOut()
		}
	case engine.CmdActivateRead:
		if !c.p.Detached {
			s.pat.ActivateRead(c.p)
		}
	case engine.CmdActivateWrite:
		if !c.p.Detached {
			s.pat.ActivateWrite(c.p)
			s.flushResend()
		}
	case engine.CmdHiccup:
		if h, ok := s.pat.(socket.Hiccuper); ok && !c.p.Detached {
			h.Hiccup(c.p)
		}
	}
}

// cut detaches the pipes of sessions that Disconnect or Unbind ends, at
// once, as zmq_disconnect terminates its pipes: a message sent after the
// call never goes to that peer, though the sessions end later on their
// I/O threads. s.mu must be held.
func (s *Socket) cut(ended []*engine.Session, requeue bool) {
	for i := 0; i < len(s.pipes); {
		p := s.pipes[i]
		if ss, ok := p.Far().(*engine.Session); !ok || !slices.Contains(ended, ss) {
			i++
			continue
		}
		s.removePipe(p) // moves the last pipe to i
		p.Detached, p.Cut, p.Requeue = true, true, requeue
		s.pat.Detach(p)
	}
}

// removePipe forgets a detached pipe; s.mu must be held.
func (s *Socket) removePipe(p *pipe.Pipe) {
	for i, q := range s.pipes {
		if q == p {
			last := len(s.pipes) - 1
			s.pipes[i] = s.pipes[last]
			s.pipes[last] = nil
			s.pipes = s.pipes[:last]
			s.msgCounts.drops += p.Drops
			return
		}
	}
}

// deadline turns a timeout option into an absolute deadline; zero means
// none. ok is false when the timeout is 0 (do not block).
func deadline(timeout time.Duration) (d time.Time, ok bool) {
	switch {
	case timeout < 0:
		return time.Time{}, true
	case timeout == 0:
		return time.Time{}, false
	default:
		return time.Now().Add(timeout), true
	}
}

// wait blocks until attempt succeeds or fails. attempt runs with s.mu held
// after pending commands; it returns done=false when it must wait for a
// command from an I/O thread (or, for a reply, read it directly).
func (s *Socket) wait(ctx context.Context, w *ring.Waiter, sem chan struct{}, block bool, which timeoutKind, attempt func() (bool, error)) error {
	if ctx == nil {
		return errNilContext
	}
	// A context already done fails at once, before anything is sent or
	// consumed, even when the operation could complete without waiting.
	if err := ctx.Err(); err != nil {
		return err
	}
	held := false
	var blockedFrom int64 // when a sender began to wait for room
	defer func() {
		if held {
			<-sem
		}
		if blockedFrom != 0 {
			s.blockedSince(blockedFrom)
		}
	}()
	var dl time.Time
	direct := which == rcvTimeout && ctx.Done() == nil
	for {
		s.mu.Lock()
		if s.closeErr != nil {
			err := s.closeErr
			s.mu.Unlock()
			return err
		}
		s.processCommands()
		done, err := attempt()
		if done || err != nil {
			s.mu.Unlock()
			return err
		}
		if !block {
			s.mu.Unlock()
			return ErrAgain
		}
		if which == sndTimeout && blockedFrom == 0 {
			blockedFrom = engine.MonoNow()
		}
		if !held {
			// Only the semaphore holder may arm the Waiter: two goroutines
			// arming and cancelling one flag would lose each other's wakeups.
			s.mu.Unlock()
			if err := acquire(ctx, sem); err != nil {
				return err
			}
			held = true
			var ok bool
			if dl, ok = deadline(s.timeout(which)); !ok {
				return ErrAgain
			}
			continue
		}
		if direct {
			if c := s.acquireDirectRead(dl); c != nil {
				again, err := s.directRead(c, dl) // unlocks s.mu
				if err != nil {
					return err
				}
				direct = again
				continue
			}
		}
		if err := s.park(ctx, w, dl); err != nil {
			return err
		}
	}
}

// park sleeps on w until an I/O thread posts a command, the deadline passes
// or ctx ends. It is entered with s.mu held and returns without it. The
// Waiter is armed before the mailbox is re-checked, so a command posted in
// between is never missed.
func (s *Socket) park(ctx context.Context, w *ring.Waiter, dl time.Time) error {
	w.PrepareFor(ctx)
	pending := s.mbox.Pending()
	s.mu.Unlock()
	if pending {
		w.Cancel()
		return nil
	}
	err := w.Wait(ctx, dl)
	if err == ring.ErrTimeout {
		return ErrTimeout
	}
	return err
}

// acquireDirectRead takes the input token of the only pipe's connection for a
// direct read, or returns nil. s.mu must be held.
//
// Only a reply is awaited directly (the socket sent since it last received):
// a streaming receiver is better served by the I/O thread, which reads and
// decodes the next batch while the receiver consumes this one.
func (s *Socket) acquireDirectRead(dl time.Time) *engine.Conn {
	if s.turn.ReceivedSinceSend || len(s.pipes) != 1 { // detached pipes are not in s.pipes
		return nil
	}
	ss, ok := s.pipes[0].Far().(*engine.Session)
	if !ok {
		return nil
	}
	c := ss.Live()
	if c == nil || !c.AcquireRead(dl) {
		return nil
	}
	return c
}

// directRead waits for c in the netpoller and reads it on this goroutine;
// the caller holds c's input token and s.mu, which is released. again is
// false when the I/O thread must take over for the rest of this wait.
func (s *Socket) directRead(c *engine.Conn, dl time.Time) (again bool, err error) {
	s.reading.Store(c)
	// Store reading, then load the mailbox: the mirror of post's publish
	// then interruptRead.
	if s.mbox.Pending() {
		s.reading.Store(nil)
		c.ReleaseRead(false)
		s.mu.Unlock()
		return true, nil
	}
	s.mu.Unlock()
	rerr := c.WaitRead()
	s.reading.Store(nil)
	handback := c.Handback()
	c.ReleaseRead(handback)
	switch {
	case rerr == nil:
		if !handback {
			s.counters.DirectReads.Add(1)
		}
		return !handback, nil
	case !errors.Is(rerr, os.ErrDeadlineExceeded):
		return false, nil
	case !dl.IsZero() && !time.Now().Before(dl):
		return false, ErrTimeout
	}
	return true, nil // interrupted
}

// timeoutKind selects SNDTIMEO or RCVTIMEO for wait.
type timeoutKind uint8

const (
	sndTimeout timeoutKind = iota
	rcvTimeout
)

func (s *Socket) timeout(which timeoutKind) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if which == sndTimeout {
		return s.opts.sndTimeout
	}
	return s.opts.rcvTimeout
}

func acquire(ctx context.Context, sem chan struct{}) error {
	select {
	case sem <- struct{}{}:
		return nil
	default:
	}
	select {
	case sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
