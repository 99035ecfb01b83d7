package zring

import (
	"context"
	"errors"
	"fmt"

	"github.com/zring/zring/mempool"
)

// proxyBurst is how many messages one direction forwards before the proxy
// looks at the other direction and the control socket (libzmq's
// proxy_burst_size).
const proxyBurst = 1000

// sideStats are the counters STATISTICS reports for one side: whole
// messages and their bytes (all parts), received from and sent to it.
type sideStats struct {
	msgsIn, bytesIn, msgsOut, bytesOut uint64
}

// Proxy forwards messages between frontend and backend in both directions
// (zmq_proxy), copying every frame to capture when it is not nil. It runs
// until a socket or the context closes, and returns that error (libzmq's
// ETERM is ErrTerminated here). A nil frontend or backend is ErrInvalid;
// capture may be nil.
//
// Frames move without copying. A direction forwards only while its
// destination can take a message, so a stalled peer never blocks the other
// direction, and the proxy sleeps in a Poller instead of spinning. To end
// a proxy with a context, call ProxySteerable with a nil control socket.
func Proxy(frontend, backend, capture *Socket) error {
	return ProxySteerable(context.Background(), frontend, backend, capture, nil)
}

// ProxySteerable is Proxy controlled through a socket (zmq_proxy_steerable)
// and ctx. The control socket receives single-frame commands: "PAUSE" stops
// forwarding, "RESUME" restarts it, "TERMINATE" ends the proxy (nil
// error), and "STATISTICS" is answered with 8 frames of uint64 in host
// order, as libzmq sends them: messages received from the frontend and
// their bytes, messages sent to it and their bytes, then the same four for
// the backend (a multipart message counts once). A REP
// control socket gets an empty reply to the other commands, so a REQ can
// drive it; unknown commands are ignored (libzmq aborts on them). Ending
// ctx ends the proxy with ctx's error; a ctx already done returns its
// error at once, before anything is forwarded. control may be nil.
func ProxySteerable(ctx context.Context, frontend, backend, capture, control *Socket) error {
	if ctx == nil {
		return errNilContext
	}
	if frontend == nil || backend == nil {
		return fmt.Errorf("%w: Proxy needs a frontend and a backend", ErrInvalid)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	items := []PollItem{{Socket: frontend}, {Socket: backend}}
	if control != nil {
		items = append(items, PollItem{Socket: control, Events: PollIn})
	}
	poller, err := NewPoller(items...)
	if err != nil {
		return err
	}
	defer poller.Close()
	pr := &proxy{front: frontend, back: backend, capture: capture, control: control}
	for {
		if err := pr.arm(poller); err != nil {
			return err
		}
		if _, err := poller.WaitContext(ctx, -1); err != nil {
			return err
		}
		done, err := pr.step()
		if done || err != nil {
			return err
		}
	}
}

type proxy struct {
	front, back, capture, control *Socket
	paused                        bool
	front0, back0                 sideStats
}

// arm sets what each socket is waited on for: incoming messages for a
// direction whose destination has room, room for one whose destination
// is full.
func (pr *proxy) arm(p *Poller) error {
	fe, err := pr.front.events()
	if err != nil {
		return err
	}
	be, err := pr.back.events()
	if err != nil {
		return err
	}
	var fw, bw PollEvents
	if !pr.paused {
		fw, bw = direction(fw, bw, be)
		bw, fw = direction(bw, fw, fe)
	}
	if err := p.SetEvents(0, fw); err != nil {
		return err
	}
	return p.SetEvents(1, bw)
}

// direction adds to the source's and destination's wait sets for one
// direction, given the destination's readiness.
func direction(src, dst, dstReady PollEvents) (PollEvents, PollEvents) {
	if dstReady&PollOut != 0 {
		return src | PollIn, dst
	}
	return src, dst | PollOut
}

// step runs the control command, if any, then a burst each way.
func (pr *proxy) step() (done bool, err error) {
	if pr.control != nil {
		if done, err = pr.command(); done || err != nil {
			return done, err
		}
	}
	if pr.paused {
		return false, nil
	}
	if err := pr.forward(pr.front, pr.back, &pr.front0, &pr.back0); err != nil {
		return false, err
	}
	return false, pr.forward(pr.back, pr.front, &pr.back0, &pr.front0)
}

// forward moves up to a burst of whole messages while from has one and to
// can take it, counting them in fromStats and toStats.
func (pr *proxy) forward(from, to *Socket, fromStats, toStats *sideStats) error {
	for range proxyBurst {
		if e, err := to.events(); err != nil || e&PollOut == 0 {
			return err
		}
		n, err := pr.forwardOne(from, to)
		if errors.Is(err, ErrAgain) {
			return nil
		}
		if err != nil {
			return err
		}
		fromStats.msgsIn++
		fromStats.bytesIn += n
		toStats.msgsOut++
		toStats.bytesOut += n
	}
	return nil
}

// forwardOne moves one message frame by frame, without copying, and returns
// its size. ErrAgain means from had no message.
func (pr *proxy) forwardOne(from, to *Socket) (uint64, error) {
	var size uint64
	for flags := DontWait; ; flags = 0 {
		f, err := from.RecvFrame(flags)
		if err != nil {
			return size, err
		}
		size += uint64(f.Len())
		more := f.More()
		if err := pr.capture1(f, more); err != nil {
			f.Release()
			return size, err
		}
		if err := to.SendFrame(f, sndFlag(more)); err != nil {
			f.Release()
			return size, err
		}
		if !more {
			return size, nil
		}
	}
}

// capture1 sends a copy of f to the capture socket, if any.
func (pr *proxy) capture1(f *mempool.Frame, more bool) error {
	if pr.capture == nil {
		return nil
	}
	// A copy: the original frame goes to another socket whose I/O thread
	// may read it while this one sets its flags.
	return pr.capture.sendOwned(context.Background(), mempool.FromBytes(f.Bytes()), sndFlag(more))
}

func sndFlag(more bool) Flag {
	if more {
		return SndMore
	}
	return 0
}

// command runs one control command if one is waiting.
func (pr *proxy) command() (done bool, err error) {
	msg, err := pr.control.RecvMulti(DontWait)
	if errors.Is(err, ErrAgain) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if pr.capture != nil {
		if err := pr.capture.SendMulti(msg, 0); err != nil {
			return false, err
		}
	}
	cmd := ""
	if len(msg) == 1 {
		cmd = string(msg[0])
	}
	var reply [][]byte
	switch cmd {
	case "PAUSE":
		pr.paused = true
	case "RESUME":
		pr.paused = false
	case "TERMINATE":
		done = true
	case "STATISTICS":
		reply = pr.statsFrames()
	}
	if reply == nil && pr.control.typ == Rep {
		reply = [][]byte{{}}
	}
	if reply != nil {
		if err := pr.control.SendMulti(reply, 0); err != nil {
			return done, err
		}
	}
	return done, nil
}

func (pr *proxy) statsFrames() [][]byte {
	f, b := &pr.front0, &pr.back0
	return ProxyStatistics{
		Frontend: ProxySide{f.msgsIn, f.bytesIn, f.msgsOut, f.bytesOut},
		Backend:  ProxySide{b.msgsIn, b.bytesIn, b.msgsOut, b.bytesOut},
	}.frames()
}
