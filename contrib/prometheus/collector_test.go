//go:build linux

package zringprom_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	zringprom "github.com/zring/zring/contrib/prometheus"
)

// A real registry, scraped over HTTP from a running PUSH/PULL pair, shows
// the counts of the messages sent and received.
func TestScrapePushPull(t *testing.T) {
	ctx, err := zring.NewContext()
	require.NoError(t, err)
	defer ctx.Close()
	pull, err := ctx.NewSocket(zring.Pull)
	require.NoError(t, err)
	defer pull.Close()
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	push, err := ctx.NewSocket(zring.Push)
	require.NoError(t, err)
	defer push.Close()
	require.NoError(t, push.Connect(pull.Endpoint()))

	c := zringprom.New()
	c.Add("push", push)
	c.Add("pull", pull)
	reg := prometheus.NewRegistry()
	require.NoError(t, reg.Register(c))
	problems, err := testutil.CollectAndLint(c) // Prometheus naming conventions
	require.NoError(t, err)
	assert.Empty(t, problems)

	const n = 321
	for range n {
		require.NoError(t, push.SendMulti([][]byte{[]byte("ab"), []byte("cde")}, 0))
	}
	for range n {
		_, err := pull.RecvMulti(0)
		require.NoError(t, err)
	}

	srv := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	page := string(body)
	for _, want := range []string{
		`zring_socket_messages_sent_total{socket="push"} 321`,
		`zring_socket_sent_bytes_total{socket="push"} 1605`,
		`zring_socket_messages_received_total{socket="pull"} 321`,
		`zring_socket_received_bytes_total{socket="pull"} 1605`,
		`zring_socket_messages_received_total{socket="push"} 0`,
		`zring_socket_connections_total{event="connected",socket="push"} 1`,
		`zring_socket_connections_total{event="accepted",socket="pull"} 1`,
		`zring_socket_peers{socket="pull"} 1`,
	} {
		assert.True(t, strings.Contains(page, want), "missing %q in:\n%s", want, page)
	}
}
