//go:build linux

package zring_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

// syncBuffer is a bytes.Buffer the I/O threads and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// records parses the JSON log lines written so far.
func (s *syncBuffer) records(t *testing.T) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(s.b.Bytes()))
	for sc.Scan() {
		var r map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &r))
		out = append(out, r)
	}
	return out
}

func find(recs []map[string]any, msg string) map[string]any {
	for _, r := range recs {
		if r["msg"] == msg {
			return r
		}
	}
	return nil
}

// A context WithLogger logs each connection's lifecycle once, at Info,
// and a peer's protocol violation at Warn with the reason; never a line
// per message.
func TestLoggerLifecycle(t *testing.T) {
	var buf syncBuffer
	c, err := zring.NewContext(zring.WithLogger(slog.New(slog.NewJSONHandler(&buf, nil))))
	require.NoError(t, err)
	defer c.Close()
	pull := newSocket(t, c, zring.Pull)
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	push := newSocket(t, c, zring.Push)
	require.NoError(t, push.Connect(pull.Endpoint()))
	for range 1000 {
		require.NoError(t, push.Send([]byte("m"), 0))
		_, err := pull.Recv(0)
		require.NoError(t, err)
	}
	bad := dialRaw(t, pull.Endpoint())
	bad.write([]byte("GET / HTTP/1.0\r\n\r\n")) // not ZMTP
	require.Eventually(t, func() bool { return find(buf.records(t), "zring: HANDSHAKE_FAILED_PROTOCOL") != nil },
		5*time.Second, time.Millisecond)

	recs := buf.records(t)
	assert.Less(t, len(recs), 20, "a handful of lifecycle lines, none per message")
	for msg, level := range map[string]string{
		"zring: CONNECTED": "INFO", "zring: ACCEPTED": "INFO", "zring: HANDSHAKE_SUCCEEDED": "INFO",
		"zring: HANDSHAKE_FAILED_PROTOCOL": "WARN",
	} {
		r := find(recs, msg)
		require.NotNil(t, r, "no %q in %v", msg, recs)
		assert.Equal(t, level, r["level"], msg)
	}
	assert.Equal(t, "PULL", find(recs, "zring: ACCEPTED")["socket"])
	assert.NotEmpty(t, find(recs, "zring: HANDSHAKE_FAILED_PROTOCOL")["reason"])
}

// Without WithLogger nothing is logged: slog's default logger stays
// untouched.
func TestLoggerSilentByDefault(t *testing.T) {
	var buf syncBuffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(old)
	pull, push := bindConnect(t, newContext(t), zring.Pull, zring.Push, nil, nil)
	requireDelivers(t, push, pull, "quiet")
	assert.Empty(t, buf.records(t))
}
