//go:build unix

package zring

import "golang.org/x/sys/unix"

// pollSet is a Poller's poll(2) set: the wake eventfd first, then the
// items' descriptors.
type pollSet struct{ fds []unix.PollFd }

func (s *pollSet) reset(wakeFD int) {
	s.fds = append(s.fds[:0], unix.PollFd{Fd: int32(wakeFD), Events: unix.POLLIN})
}

func (s *pollSet) add(fd int, e PollEvents) {
	pf := unix.PollFd{Fd: int32(fd)} // Events is int16 on most platforms, uint16 on AIX
	if e&PollIn != 0 {
		pf.Events |= unix.POLLIN
	}
	if e&PollOut != 0 {
		pf.Events |= unix.POLLOUT
	}
	s.fds = append(s.fds, pf)
}

func (s *pollSet) len() int { return len(s.fds) }

// poll waits up to ms milliseconds (-1: forever). A signal (EINTR) ends it
// early with nothing ready.
func (s *pollSet) poll(ms int) error {
	_, err := unix.Poll(s.fds, ms)
	switch err {
	case nil:
		return nil
	case unix.EINTR:
		// A signal: report nothing ready, so that Wait re-checks and
		// polls again for what is left of its timeout, not all of it.
		for i := range s.fds {
			s.fds[i].Revents = 0
		}
		return nil
	}
	return stepErr("poll", err)
}

// revents is what poll reported for entry j, as PollEvents (an error or a
// hang-up counts as readable, an error as writable too, as zmq_poll does).
func (s *pollSet) revents(j int) PollEvents {
	b := s.fds[j].Revents
	var e PollEvents
	if b&(unix.POLLIN|unix.POLLHUP|unix.POLLERR) != 0 {
		e |= PollIn
	}
	if b&(unix.POLLOUT|unix.POLLERR) != 0 {
		e |= PollOut
	}
	return e
}
