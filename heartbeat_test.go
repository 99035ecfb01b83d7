//go:build linux

package zring_test

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/zmtp"
)

// A peer that completed the handshake and then went silent (its process
// hung, its packets dropped) is dropped at HEARTBEAT_TIMEOUT.
func TestHeartbeatDetectsDeadPeer(t *testing.T) {
	c := newContext(t)
	pull := newSocket(t, c, zring.Pull,
		zring.WithHeartbeatIvl(50*time.Millisecond), zring.WithHeartbeatTimeout(100*time.Millisecond),
		zring.WithHeartbeatTTL(time.Second))
	m := monitor(t, pull)
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	p := dialRaw(t, pull.Endpoint())
	p.handshake(zmtp.Push)
	start := time.Now()
	ping := p.nextCommand(zmtp.CmdPing)
	require.Len(t, ping, 2)
	assert.EqualValues(t, 10, binary.BigEndian.Uint16(ping), "our TTL, in deciseconds")
	p.requireClosed() // never answered
	assert.Less(t, time.Since(start), 3*time.Second)
	ev := nextEvent(t, m, zring.EventDisconnected)
	assert.ErrorContains(t, ev.Err, "heartbeat")
}

// A peer's PING with a TTL is a promise: silence longer than the TTL drops
// the connection even without heartbeats of our own.
func TestHeartbeatHonoursPeerTTL(t *testing.T) {
	c := newContext(t)
	pull := newSocket(t, c, zring.Pull)
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	p := dialRaw(t, pull.Endpoint())
	p.handshake(zmtp.Push)
	p.write(zmtp.AppendPing(nil, 2, nil)) // 200 ms
	start := time.Now()
	p.requireClosed()
	assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond, "not before the TTL")
}

// Live peers answering PINGs stay connected, zring with zring and with
// libzmq.
func TestHeartbeatKeepsLivePeers(t *testing.T) {
	hb := []zring.Option{zring.WithHeartbeatIvl(20 * time.Millisecond), zring.WithHeartbeatTimeout(60 * time.Millisecond)}
	c := newContext(t)
	pull := newSocket(t, c, zring.Pull, hb...)
	m := monitor(t, pull)
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	push := newSocket(t, c, zring.Push, hb...)
	require.NoError(t, push.Connect(pull.Endpoint()))

	peer := startPeer(t, "PUSH")
	peer.Connect(pull.Endpoint())
	time.Sleep(400 * time.Millisecond) // many heartbeat rounds
	require.NoError(t, push.Send([]byte("zring"), 0))
	peer.Send([]byte("libzmq"))
	got := map[string]bool{}
	for range 2 {
		got[string(recvMulti(t, pull)[0])] = true
	}
	assert.Equal(t, map[string]bool{"zring": true, "libzmq": true}, got)
	for len(m.Events()) > 0 {
		ev := <-m.Events()
		assert.NotEqual(t, zring.EventDisconnected, ev.Type, "%v", ev)
	}
}

// TestHeartbeatsBetweenLargeBodies: PINGs and PONGs due while a large body
// is half written wait for the frame boundary. A slow receiver makes the
// sender's writes stop mid-body, and heartbeats every millisecond fall
// due meanwhile; every message must still arrive whole, on one connection.
func TestHeartbeatsBetweenLargeBodies(t *testing.T) {
	for _, mech := range []string{"NULL", "CURVE"} {
		t.Run(mech, func(t *testing.T) {
			c := newContext(t)
			hb := []zring.Option{zring.WithHeartbeatIvl(time.Millisecond), zring.WithHeartbeatTimeout(5 * time.Second),
				zring.WithSndBuf(64 << 10), zring.WithRcvBuf(64 << 10)}
			serverOpts, clientOpts := hb, hb
			if mech == "CURVE" {
				so, co, _ := curveOptions(t)
				serverOpts, clientOpts = append(so, hb...), append(co, hb...)
			}
			pull, push := bindConnect(t, c, zring.Pull, zring.Push, serverOpts, clientOpts)
			pm := monitor(t, push)
			body := make([]byte, 1<<20)
			for i := range body {
				body[i] = byte(i * 7)
			}
			go func() {
				for range 20 {
					if push.Send(body, 0) != nil {
						return
					}
				}
			}()
			for i := range 20 {
				time.Sleep(5 * time.Millisecond) // let the sender's writes block
				got, err := pull.Recv(0)
				require.NoError(t, err, "message %d", i)
				require.True(t, bytes.Equal(body, got), "message %d arrived corrupted", i)
			}
			for {
				select {
				case ev := <-pm.Events():
					require.NotEqual(t, zring.EventDisconnected, ev.Type, "%v", ev)
					continue
				default:
				}
				break
			}
		})
	}
}
