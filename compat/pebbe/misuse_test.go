//go:build linux

package zmq4_test

import (
	"reflect"
	"testing"
	"time"

	zmq "github.com/zring/zring/compat/pebbe"
)

// callAll calls every method of *Socket on soc with zero arguments and
// returns, per method, the error it returned (methods without an error
// result are called for their panics alone).
func callAll(t *testing.T, soc *zmq.Socket) map[string]error {
	t.Helper()
	errs := map[string]error{}
	v := reflect.ValueOf(soc)
	errType := reflect.TypeFor[error]()
	for i := range v.NumMethod() {
		m := v.Type().Method(i)
		fn := v.Method(i)
		ft := fn.Type()
		args := make([]reflect.Value, ft.NumIn())
		for j := range args {
			args[j] = reflect.Zero(ft.In(j))
		}
		var out []reflect.Value
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s panicked: %v", m.Name, r)
				}
			}()
			if ft.IsVariadic() {
				out = fn.CallSlice(args)
			} else {
				out = fn.Call(args)
			}
		}()
		for k := range out {
			if ft.Out(k) == errType {
				err, _ := out[k].Interface().(error)
				errs[m.Name] = err
			}
		}
	}
	return errs
}

// Every method of a closed socket returns ErrorSocketClosed, as
// pebbe/zmq4's do, and none panics; Close again returns nil.
func TestMisuseClosedSocket(t *testing.T) {
	ctx := newContext(t)
	s, err := ctx.NewSocket(zmq.DEALER)
	check(t, "NewSocket", err)
	check(t, "Close", s.Close())
	for name, err := range callAll(t, s) {
		if name == "Close" {
			if err != nil {
				t.Errorf("Close again: %v", err)
			}
			continue
		}
		if err != zmq.ErrorSocketClosed {
			t.Errorf("%s on a closed socket: %v, want ErrorSocketClosed", name, err)
		}
	}
	if got := s.String(); got != "Socket(CLOSED)" {
		t.Errorf("String: %q", got)
	}
}

// A nil *Socket is ENOTSOCK (libzmq's answer for a NULL socket), where
// pebbe/zmq4 would panic.
func TestMisuseNilSocket(t *testing.T) {
	var s *zmq.Socket
	for name, err := range callAll(t, s) {
		if err != zmq.ENOTSOCK {
			t.Errorf("%s on a nil socket: %v, want ENOTSOCK", name, err)
		}
	}
	if _, err := zmq.NewPoller().Poll(0); err != nil {
		t.Errorf("Poll of an empty poller: %v", err)
	}
	p := zmq.NewPoller()
	p.Add(s, zmq.POLLIN)
	if _, err := p.Poll(0); err != zmq.ENOTSOCK {
		t.Errorf("Poll over a nil socket: %v, want ENOTSOCK", err)
	}
	if err := zmq.Proxy(nil, nil, nil); err != zmq.ENOTSOCK {
		t.Errorf("Proxy(nil, nil, nil): %v", err)
	}
	if err := zmq.ProxySteerable(nil, nil, nil, nil); err != zmq.ENOTSOCK {
		t.Errorf("ProxySteerable(nil ...): %v", err)
	}
}

// The socket NewSocket returns with an error is not nil, as upstream's:
// its methods return ErrorSocketClosed.
func TestMisuseFailedNewSocket(t *testing.T) {
	ctx := newContext(t)
	s, err := ctx.NewSocket(zmq.Type(99))
	if err != zmq.EINVAL {
		t.Fatalf("NewSocket(99): %v, want EINVAL", err)
	}
	if s == nil {
		t.Fatal("NewSocket returned a nil socket with its error")
	}
	for name, err := range callAll(t, s) {
		if name != "Close" && err != zmq.ErrorSocketClosed {
			t.Errorf("%s: %v, want ErrorSocketClosed", name, err)
		}
	}
}

// A nil *Context and a nil *Poller or *Reactor receiver answer with
// errors, not panics.
func TestMisuseNilContextAndPoller(t *testing.T) {
	var ctx *zmq.Context
	if _, err := ctx.NewSocket(zmq.REQ); err != zmq.EFAULT {
		t.Errorf("NewSocket on a nil context: %v", err)
	}
	if err := ctx.Term(); err != zmq.EFAULT {
		t.Errorf("Term of a nil context: %v", err)
	}
	if _, err := ctx.GetIoThreads(); err != zmq.EFAULT {
		t.Errorf("GetIoThreads of a nil context: %v", err)
	}
	if err := ctx.SetIpv6(true); err != zmq.EFAULT {
		t.Errorf("SetIpv6 of a nil context: %v", err)
	}
	ctx.SetRetryAfterEINTR(false)
	_ = ctx.GetRetryAfterEINTR()

	var p *zmq.Poller
	if id := p.Add(nil, zmq.POLLIN); id != -1 {
		t.Errorf("Add to a nil poller: %d", id)
	}
	if _, err := p.Poll(0); err == nil {
		t.Error("Poll of a nil poller succeeded")
	}
	if _, err := p.Update(0, 0); err != zmq.ErrorNoSocket {
		t.Errorf("Update of a nil poller: %v", err)
	}
	if err := p.Remove(0); err != zmq.ErrorNoSocket {
		t.Errorf("Remove of a nil poller: %v", err)
	}
	_ = p.String()

	real := zmq.NewPoller()
	if err := real.Remove(3); err != zmq.ErrorNoSocket {
		t.Errorf("Remove(3) of an empty poller: %v", err)
	}
	if _, err := real.Update(-1, zmq.POLLIN); err != zmq.ErrorNoSocket {
		t.Errorf("Update(-1): %v", err)
	}
}

// A socket closed while in a Poller makes Poll fail with
// ErrorSocketClosed; a Reactor ends with it.
func TestMisusePollClosedSocket(t *testing.T) {
	ctx := newContext(t)
	s, _ := ctx.NewSocket(zmq.PULL)
	p := zmq.NewPoller()
	p.Add(s, zmq.POLLIN)
	if _, err := p.Poll(0); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := p.Poll(time.Millisecond); err != zmq.ErrorSocketClosed {
		t.Fatalf("Poll over a closed socket: %v", err)
	}
	r := zmq.NewReactor()
	r.AddSocket(s, zmq.POLLIN, func(zmq.State) error { return nil })
	if err := r.Run(time.Millisecond); err != zmq.ErrorSocketClosed {
		t.Fatalf("Reactor over a closed socket: %v", err)
	}
	if err := zmq.NewReactor().Run(time.Millisecond); err == nil {
		t.Fatal("Reactor with nothing to do ran")
	}
}
