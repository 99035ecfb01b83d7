//go:build linux

package zring_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zring/zring"
	"github.com/zring/zring/engine"
)

// Each backend carries a request and its reply over TCP and over ipc, and
// the context says which backend it runs.
func TestBackends(t *testing.T) {
	for _, kind := range []zring.ContextOption{zring.WithPoller(zring.PollerEpoll), zring.WithPoller(zring.PollerUring)} {
		c, err := zring.NewContext(kind)
		require.NoError(t, err)
		name, fallback := c.Poller()
		assert.NoError(t, fallback)
		for _, ep := range []string{"tcp://127.0.0.1:*", "ipc://@zring-backend-" + name} {
			rep := newSocket(t, c, zring.Rep)
			require.NoError(t, rep.Bind(ep))
			req := newSocket(t, c, zring.Req)
			require.NoError(t, req.Connect(rep.Endpoint()))
			require.NoError(t, req.SendString("ping", 0))
			got, err := rep.RecvString(0)
			require.NoError(t, err, "%s over %s", name, ep)
			assert.Equal(t, "ping", got)
			require.NoError(t, rep.SendString("pong", 0))
			got, err = req.RecvString(0)
			require.NoError(t, err)
			assert.Equal(t, "pong", got)
			require.NoError(t, req.Close())
			require.NoError(t, rep.Close())
		}
		require.NoError(t, c.Close())
	}
}

// The suite runs on the backend $ZRING_POLLER names (make test runs it
// once per backend); a context made without options reports that one.
func TestDefaultBackendFollowsEnvironment(t *testing.T) {
	c := newContext(t)
	name, _ := c.Poller()
	switch os.Getenv(engine.PollerEnv) {
	case "epoll":
		assert.Equal(t, "epoll", name)
	case "uring", "", "auto":
		assert.Equal(t, "uring", name, "io_uring works on this machine and CI's")
	}
}

func TestWithPollerRejectsUnknownNames(t *testing.T) {
	_, err := zring.NewContext(zring.WithPoller("kqueue"))
	assert.ErrorIs(t, err, zring.ErrInvalid)
}
