//go:build linux

package zring_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

func TestWSSmoke(t *testing.T) {
	c := newContext(t)
	rep, req := bindConnectAt(t, c, "ws://127.0.0.1:*/zmq", zring.Rep, zring.Req, nil, nil)
	t.Log(rep.Endpoint())
	for i := 0; i < 3; i++ {
		require.NoError(t, req.Send([]byte("ping"), 0))
		assert.Equal(t, frames("ping"), recvMulti(t, rep))
		require.NoError(t, rep.Send([]byte("pong"), 0))
		assert.Equal(t, frames("pong"), recvMulti(t, req))
	}
}
