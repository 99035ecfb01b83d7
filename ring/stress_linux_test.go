package ring

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"golang.org/x/sys/unix"
)

type eventfdSleeper struct {
	e      *EventFD
	epfd   int
	events []unix.EpollEvent
}

func (s *eventfdSleeper) prepare() { s.e.PrepareSleep() }
func (s *eventfdSleeper) cancel()  { s.e.CancelSleep() }
func (s *eventfdSleeper) wake()    { s.e.Wake() }

// wait blocks in epoll_wait. A timeout means the producer published without
// waking us: a lost wakeup.
func (s *eventfdSleeper) wait(ctx context.Context) error {
	n, err := unix.EpollWait(s.epfd, s.events, 5000)
	switch {
	case err == unix.EINTR:
		return nil
	case err != nil:
		return err
	case n == 0:
		return errors.New("epoll_wait timed out: lost wakeup")
	}
	s.e.Drain()
	return ctx.Err()
}

func TestStressEventFD(t *testing.T) {
	for _, capacity := range []int{8, 1024} {
		t.Run(fmt.Sprint(capacity), func(t *testing.T) {
			e := newTestEventFD(t)
			s := &eventfdSleeper{e: e, epfd: newEpollFor(t, e), events: make([]unix.EpollEvent, 1)}
			runStress(t, capacity, s, true)
		})
	}
}
