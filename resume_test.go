//go:build linux

package zring_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/zmtp"
)

// Resume on the receiver (engine/conn_resume.go): a receiver slower than its
// peer frees room in its full queue and reads and decodes the connection's
// next messages itself.

// resumeMsg is message i of a stream: a sequence number, then a body whose
// size cycles through short frames, long-header frames and frames larger
// than a read buffer, so that frames split across reads.
func resumeMsg(i int) [][]byte {
	body := bytes.Repeat([]byte{byte(i)}, (i*97)%(70<<10)/(1+i%7))
	return [][]byte{[]byte(fmt.Sprint(i)), body}
}

// numberedStream encodes n single-frame messages "0", "1", ...; before each,
// extra (if not nil) may append more (a command).
func numberedStream(n int, extra func(stream []byte, i int) []byte) []byte {
	var stream []byte
	for i := 0; i < n; i++ {
		if extra != nil {
			stream = extra(stream, i)
		}
		body := fmt.Sprint(i)
		stream = append(zmtp.AppendFrameHeader(stream, 0, len(body)), body...)
	}
	return stream
}

// requireNumbered receives numberedStream's n messages, in order, and
// checks that the receiver resumed input itself.
func requireNumbered(t *testing.T, pull *zring.Socket, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		got, err := pull.RecvString(0)
		require.NoError(t, err)
		require.Equal(t, fmt.Sprint(i), got)
	}
	require.NotZero(t, pull.Stats().ResumedReads, "the receiver never resumed input itself")
}

// A stream through a small RCVHWM, read only after the queue filled, arrives
// whole and in order, and the receiver resumed input itself.
func TestResumedReadStream(t *testing.T) {
	push, pull := pushPull(t, nil, []zring.Option{zring.WithRcvHWM(16)})
	const n = 5000
	errc := make(chan error, 1)
	go func() {
		for i := 0; i < n; i++ {
			if err := push.SendMulti(resumeMsg(i), 0); err != nil {
				errc <- err
				return
			}
		}
		errc <- nil
	}()
	time.Sleep(50 * time.Millisecond) // the queue fills and the connection stalls
	for i := 0; i < n; i++ {
		got, err := pull.RecvMulti(0)
		require.NoError(t, err)
		require.Equal(t, resumeMsg(i), got, "message %d", i)
	}
	require.NoError(t, <-errc)
	require.NotZero(t, pull.Stats().ResumedReads, "the receiver never resumed input itself")
}

// A PING among the messages a resuming receiver decodes is handed to the
// I/O thread and answered, and the stream goes on around it.
func TestResumedReadPingAnswered(t *testing.T) {
	pull := boundPull(t, zring.WithRcvHWM(16), zring.WithRcvTimeout(5*time.Second))
	p := rawPushTo(t, pull)
	const n = 2000
	p.write(numberedStream(n, func(stream []byte, i int) []byte {
		if i%250 != 125 {
			return stream
		}
		return zmtp.AppendPing(stream, 0, []byte(fmt.Sprint("ctx", i)))
	}))
	time.Sleep(50 * time.Millisecond) // the queue fills and the connection stalls
	requireNumbered(t, pull, n)
	p.requireReceives(zmtp.AppendPong(nil, []byte(fmt.Sprint("ctx", n-125))), "no PONG for the last PING")
}

// A peer that sends a stream and closes has every message delivered by the
// resuming receiver, its close is noticed, and a new peer is served.
func TestResumedReadPeerClose(t *testing.T) {
	pull := boundPull(t, zring.WithRcvHWM(16), zring.WithRcvTimeout(5*time.Second))
	p := rawPushTo(t, pull)
	const n = 3000
	p.write(numberedStream(n, nil))
	require.NoError(t, p.conn.Close())
	time.Sleep(50 * time.Millisecond) // the queue fills and the connection stalls
	requireNumbered(t, pull, n)
	// A PAIR takes a second peer only once the first is gone.
	q := rawPushTo(t, pull)
	q.send("second")
	got, err := pull.RecvString(0)
	require.NoError(t, err)
	require.Equal(t, "second", got)
}
