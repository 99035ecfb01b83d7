//go:build linux

package zring_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

// range over Messages yields whole messages in order, and ends cleanly on
// a cancelled context and on Close.
func TestMessagesRange(t *testing.T) {
	pull, push := bindConnect(t, newContext(t), zring.Pull, zring.Push, nil, nil)
	for i := range 5 {
		require.NoError(t, push.SendMulti([][]byte{[]byte("k"), fmt.Appendf(nil, "%d", i)}, 0))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got []string
	for msg, err := range pull.Messages(ctx) {
		require.NoError(t, err)
		require.Len(t, msg, 2)
		got = append(got, string(msg[1]))
		if len(got) == 5 {
			cancel() // the next receive ends the loop
		}
	}
	assert.Equal(t, []string{"0", "1", "2", "3", "4"}, got)

	done := make(chan int)
	go func() {
		n := 0
		for _, err := range pull.Messages(context.Background()) {
			if err == nil {
				n++
			}
		}
		done <- n
	}()
	require.NoError(t, push.SendMulti([][]byte{[]byte("last")}, 0))
	require.Eventually(t, func() bool { return pull.Stats().MsgsIn == 6 }, 5*time.Second, time.Millisecond)
	require.NoError(t, pull.Close())
	select {
	case n := <-done:
		assert.Equal(t, 1, n, "the loop saw the last message, then ended on Close")
	case <-time.After(5 * time.Second):
		t.Fatal("the loop did not end on Close")
	}
}

// Other errors are yielded and the loop goes on until the body breaks.
func TestMessagesYieldsTimeouts(t *testing.T) {
	pull := newSocket(t, newContext(t), zring.Pull, zring.WithRcvTimeout(5*time.Millisecond))
	timeouts := 0
	for msg, err := range pull.Messages(context.Background()) {
		assert.Nil(t, msg)
		require.ErrorIs(t, err, zring.ErrTimeout)
		if timeouts++; timeouts == 3 {
			break
		}
	}
	assert.Equal(t, 3, timeouts)
}
