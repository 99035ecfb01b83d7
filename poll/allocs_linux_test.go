//go:build !race

package poll

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// TestWaitAllocs checks that a Wait reporting a ready fd does not allocate.
// Each iteration makes a fresh edge (write a byte), reaps it and drains it.
func TestWaitAllocs(t *testing.T) {
	eachBackend(t, testWaitAllocs)
}

func testWaitAllocs(t *testing.T, p Poller) {
	a, b := socketpair(t)
	require.NoError(t, p.Add(a, MakeToken(1, 1), Readable))
	evs := make([]Event, 16)
	one := []byte{'x'}
	buf := make([]byte, 16)
	reports := 0

	allocs := testing.AllocsPerRun(1000, func() {
		_, _ = unix.Write(b, one)
		n, _ := p.Wait(evs, time.Millisecond) // a timed wait, as the loop does
		reports += n
		_, _ = unix.Read(a, buf)
	})
	assert.Zero(t, allocs)
	assert.Equal(t, 1001, reports, "every iteration must see its edge")
}

// An idle Wait that sleeps in the kernel until its timeout does not
// allocate either (io_uring: arming the request, the timed enter).
func TestIdleWaitAllocs(t *testing.T) {
	eachBackend(t, func(t *testing.T, p Poller) {
		evs := make([]Event, 16)
		allocs := testing.AllocsPerRun(50, func() {
			_, _ = p.Wait(evs, 100*time.Microsecond)
		})
		assert.Zero(t, allocs)
	})
}
