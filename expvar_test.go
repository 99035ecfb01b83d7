//go:build linux

package zring_test

import (
	"encoding/json"
	"expvar"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

// The expvar page of a running PUSH/PULL pair, fetched over HTTP as an
// operator's scraper would, shows the messages sent and received.
func TestExpvarPage(t *testing.T) {
	pull, push := bindConnect(t, newContext(t), zring.Pull, zring.Push, nil, nil)
	name := fmt.Sprintf("zring-test-%d", time.Now().UnixNano())
	expvar.Publish(name+".push", push.Expvar())
	expvar.Publish(name+".pull", pull.Expvar())
	const n = 250
	for range n {
		require.NoError(t, push.Send(make([]byte, 10), 0))
	}
	for range n {
		_, err := pull.Recv(0)
		require.NoError(t, err)
	}
	srv := httptest.NewServer(expvar.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	var page map[string]json.RawMessage
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&page))
	var ps, ls zring.Stats
	require.NoError(t, json.Unmarshal(page[name+".push"], &ps))
	require.NoError(t, json.Unmarshal(page[name+".pull"], &ls))
	assert.EqualValues(t, n, ps.MsgsOut)
	assert.EqualValues(t, 10*n, ps.BytesOut)
	assert.EqualValues(t, n, ls.MsgsIn)
	assert.EqualValues(t, 10*n, ls.BytesIn)
	assert.EqualValues(t, 1, ps.Connected)
}
