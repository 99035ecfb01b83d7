package ring

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"golang.org/x/sys/unix"
)

// Close releases the descriptor at once; a goroutine parked in the
// netpoller returns, Wake stays safe, and later waits use the channel.
func TestWaiterClose(t *testing.T) {
	w := NewWaiter()
	if w.poll == nil {
		t.Skip("no netpoller wakeup on this platform")
	}
	fd := w.poll.f.Fd()
	done := make(chan error, 1)
	go func() {
		w.PrepareFor(context.Background())
		done <- w.Wait(context.Background(), time.Time{})
	}()
	time.Sleep(20 * time.Millisecond)
	w.Close()
	select {
	case err := <-done:
		assert.NoError(t, err, "a spurious wakeup")
	case <-time.After(5 * time.Second):
		t.Fatal("the parked goroutine did not return")
	}
	_, err := unix.FcntlInt(fd, unix.F_GETFD, 0)
	assert.ErrorIs(t, err, unix.EBADF, "the eventfd is closed")
	w.Close()
	w.Wake()

	w.PrepareFor(context.Background())
	go w.Wake()
	assert.NoError(t, w.Wait(context.Background(), time.Now().Add(5*time.Second)), "woken through the channel")
}
