//go:build linux

package zring_test

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

func ipcPath(t *testing.T) string {
	return filepath.Join(t.TempDir(), "s.ipc")
}

func TestIPCPushPull(t *testing.T) {
	c := newContext(t)
	path := ipcPath(t)
	pull := newSocket(t, c, zring.Pull)
	require.NoError(t, pull.Bind("ipc://"+path))
	assert.Equal(t, "ipc://"+path, pull.Endpoint())
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.NotZero(t, fi.Mode()&os.ModeSocket)

	push := newSocket(t, c, zring.Push)
	require.NoError(t, push.Connect("ipc://"+path))
	for _, m := range testMessages() {
		require.NoError(t, push.SendMulti(m, 0))
		assert.Equal(t, m, recvMulti(t, pull))
	}
	require.NoError(t, pull.Close())
	require.Eventually(t, func() bool { _, err := os.Stat(path); return os.IsNotExist(err) },
		5*time.Second, time.Millisecond, "the socket file goes with the socket")
}

func TestIPCAbstractNamespace(t *testing.T) {
	c := newContext(t)
	ep := fmt.Sprintf("ipc://@zring-test-%d-%d", os.Getpid(), time.Now().UnixNano())
	rep, req := bindConnectAt(t, c, ep, zring.Rep, zring.Req, nil, nil)
	require.NoError(t, req.Send([]byte("ping"), 0))
	assert.Equal(t, frames("ping"), recvMulti(t, rep))
	require.NoError(t, rep.Send([]byte("pong"), 0))
	assert.Equal(t, frames("pong"), recvMulti(t, req))
}

func TestIPCWildcardAndStaleFile(t *testing.T) {
	c := newContext(t)
	wild := newSocket(t, c, zring.Pull)
	require.NoError(t, wild.Bind("ipc://*"))
	assert.Regexp(t, `^ipc:///.+`, wild.Endpoint(), "LAST_ENDPOINT names the generated path")

	// A file left by a listener that is gone is taken over.
	path := ipcPath(t)
	l, err := net.Listen("unix", path)
	require.NoError(t, err)
	l.(*net.UnixListener).SetUnlinkOnClose(false)
	require.NoError(t, l.Close())
	_, err = os.Stat(path)
	require.NoError(t, err, "stale file left behind")
	stale := newSocket(t, c, zring.Pull)
	require.NoError(t, stale.Bind("ipc://"+path))

	// A path someone listens on is in use.
	busy := newSocket(t, c, zring.Pull)
	require.ErrorIs(t, busy.Bind("ipc://"+path), zring.ErrAddrInUse)
	require.ErrorIs(t, busy.Bind("ipc://"+filepath.Join(t.TempDir(), string(make([]byte, 120)))), zring.ErrEndpoint)
}

// Interop with libzmq over ipc, both directions and both roles.
func TestInteropIPC(t *testing.T) {
	for _, zringBinds := range []bool{true, false} {
		t.Run("zring-binds="+strconv.FormatBool(zringBinds), func(t *testing.T) {
			c := newContext(t)
			ep := "ipc://" + ipcPath(t)
			pull := newSocket(t, c, zring.Pull)
			push := startPeer(t, "PUSH")
			rep := newSocket(t, c, zring.Rep)
			req := startPeer(t, "REQ")
			ep2 := "ipc://" + ipcPath(t)
			if zringBinds {
				require.NoError(t, pull.Bind(ep))
				push.Connect(ep)
				require.NoError(t, rep.Bind(ep2))
				req.Connect(ep2)
			} else {
				push.Bind(ep)
				require.NoError(t, pull.Connect(ep))
				req.Bind(ep2)
				require.NoError(t, rep.Connect(ep2))
			}
			for _, m := range testMessages() {
				push.Send(m...)
				assert.Equal(t, m, recvMulti(t, pull))
				req.Send(m...)
				assert.Equal(t, m, recvMulti(t, rep))
				require.NoError(t, rep.SendMulti(m, 0))
				assert.Equal(t, m, req.Recv())
			}
		})
	}
}
