package zring

import (
	"github.com/zring/zring/engine"
	"github.com/zring/zring/internal/pipe"
)

// engineLink is a Socket as its I/O side sees it: the socket's half of
// the engine.Socket contract. It is the same struct under another name, so
// these methods stay out of the Socket's public API; link converts.
type engineLink Socket

var _ engine.Socket = (*engineLink)(nil)

// link returns s as the engine sees it.
func (s *Socket) link() *engineLink { return (*engineLink)(s) }

func (l *engineLink) sock() *Socket { return (*Socket)(l) }

// Command posts an I/O thread's command about p.
func (l *engineLink) Command(kind engine.Command, p *pipe.Pipe) {
	l.sock().post(command{kind: kind, p: p})
}

// Event raises a monitor event.
func (l *engineLink) Event(kind engine.Event, value uint32, endpoint string, err error) {
	l.sock().emit(EventType(kind), value, endpoint, err)
}

// Options snapshots the options for an accepted session.
func (l *engineLink) Options() engine.SessionOptions {
	s := l.sock()
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.opts.conn
	o.ConnectRoutingID = nil // names connects only
	return o
}

// Register adds a session the engine made for this socket, unless the
// socket is closed.
func (l *engineLink) Register(ss *engine.Session) bool {
	s := l.sock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closeErr != nil {
		return false
	}
	s.sessions[ss] = struct{}{}
	s.ends++
	s.ctx.lingering.Add(1)
	return true
}

// Unregister forgets a session that ended.
func (l *engineLink) Unregister(ss *engine.Session) {
	s := l.sock()
	s.mu.Lock()
	delete(s.sessions, ss)
	s.mu.Unlock()
	s.endDone()
	s.ctx.lingering.Done()
}

// ListenerClosed records that a listener closed.
func (l *engineLink) ListenerClosed(*engine.Listener) {
	s := l.sock()
	s.endDone()
	s.ctx.lingering.Done()
}

// Unbound drops the sessions a listener closed by Unbind had accepted.
func (l *engineLink) Unbound(ln *engine.Listener) {
	s := l.sock()
	s.mu.Lock()
	var mine []*engine.Session
	for ss := range s.sessions {
		if ss.Listener() == ln {
			mine = append(mine, ss)
		}
	}
	s.mu.Unlock()
	for _, ss := range mine {
		ss.Drop()
	}
}

// ZAP returns the context's ZAP client.
func (l *engineLink) ZAP() engine.ZAP { return l.sock().ctx.zap() }
