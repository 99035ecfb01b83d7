//go:build linux

package zring_test

import (
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zring/zring"
)

// openFDs counts this process's open file descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	require.NoError(t, err)
	return len(ents)
}

// Connections churn while messages flow: one PUSH streams numbered
// messages for the whole test while other goroutines keep connecting
// short-lived PUSH sockets that send a few messages each and close. The
// PULL gets every message (the stream in order, each short-lived socket's
// messages through linger), and when everything is closed no descriptor
// is left open. make test runs this on each backend, under -race.
func TestChurnWhileStreaming(t *testing.T) {
	fdsBefore := openFDs(t)
	c, err := zring.NewContext()
	require.NoError(t, err)
	pull, err := c.NewSocket(zring.Pull, zring.WithRcvTimeout(10*time.Second))
	require.NoError(t, err)
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	ep := pull.Endpoint()

	const streamMsgs, churners, rounds, perRound = 3000, 3, 15, 5
	stream, err := c.NewSocket(zring.Push, zring.WithLinger(-1))
	require.NoError(t, err)
	require.NoError(t, stream.Connect(ep))

	var wg sync.WaitGroup
	errs := make(chan error, churners+1)
	wg.Go(func() {
		for i := range streamMsgs {
			if err := stream.SendString(fmt.Sprintf("s %d", i), 0); err != nil {
				errs <- err
				return
			}
		}
	})
	for g := range churners {
		wg.Go(func() {
			for r := range rounds {
				s, err := c.NewSocket(zring.Push, zring.WithLinger(-1))
				if err == nil {
					err = s.Connect(ep)
				}
				for m := 0; err == nil && m < perRound; m++ {
					err = s.SendString(fmt.Sprintf("c %d %d %d", g, r, m), 0)
				}
				if err == nil {
					err = s.Close() // linger -1: what was sent is delivered
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}

	next, churned := 0, 0
	for next < streamMsgs || churned < churners*rounds*perRound {
		m, err := pull.RecvString(0)
		require.NoError(t, err, "stream at %d, %d churned", next, churned)
		var a, b, d int
		if _, err := fmt.Sscanf(m, "s %d", &a); err == nil {
			require.Equal(t, next, a, "the stream arrives in order")
			next++
		} else if _, err := fmt.Sscanf(m, "c %d %d %d", &a, &b, &d); err == nil {
			churned++
		} else {
			t.Fatalf("unexpected message %q", m)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.NoError(t, stream.Close())
	require.NoError(t, pull.Close())
	require.NoError(t, c.Close())
	assert.Eventually(t, func() bool { return openFDs(t) <= fdsBefore }, 5*time.Second, 10*time.Millisecond,
		"descriptors left open: %d before, %d after", fdsBefore, openFDs(t))
}
