package zmtp

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// side is one end of a handshake under test.
type side struct {
	m    Mechanism
	out  []byte // bytes sent, not yet delivered to the peer
	step Step
	err  error
	zap  func(ZAPRequest) ZAPReply // its ZAP handler; nil: never answers
	zaps []ZAPRequest              // what it asked its ZAP handler
}

// act records the result of a mechanism call, and answers a StepZAP at
// once with the side's ZAP handler.
func (s *side) act(out []byte, step Step, err error) {
	s.out, s.step, s.err = out, step, err
	if err == nil && step == StepZAP && s.zap != nil {
		req := s.m.ZAPRequest()
		s.zaps = append(s.zaps, req)
		s.act(s.m.ZAPResult(s.out, s.zap(req)))
	}
}

// pump runs two mechanisms against each other until neither has anything
// to send, delivering even what a failing side sent last (its ERROR).
func pump(t testing.TB, a, b Mechanism, zap func(ZAPRequest) ZAPReply) (sa, sb *side) {
	t.Helper()
	sa, sb = &side{m: a, zap: zap}, &side{m: b, zap: zap}
	sides := [2]*side{sa, sb}
	for _, s := range sides {
		s.act(s.m.Start(nil))
	}
	for moved := true; moved; {
		moved = false
		for k, s := range sides {
			peer := sides[1-k]
			if len(s.out) == 0 {
				continue
			}
			moved = true
			c := newCollector(-1)
			require.NoError(t, c.feed(s.out))
			s.out = nil
			for _, f := range c.frames {
				require.True(t, f.h.Command(), "handshake sent a data frame")
				if peer.err != nil {
					break
				}
				peer.act(peer.m.Command(peer.out, f.body))
			}
		}
	}
	return sa, sb
}

func approve(ZAPRequest) ZAPReply { return ZAPReply{Status: ZAPSuccess, UserID: []byte("alice")} }

func refuse(status int) func(ZAPRequest) ZAPReply {
	return func(ZAPRequest) ZAPReply { return ZAPReply{Status: status, Text: "no"} }
}

// handshake pumps two mechanisms that must both complete.
func handshake(t testing.TB, a, b Mechanism, zap func(ZAPRequest) ZAPReply) (sa, sb *side) {
	t.Helper()
	sa, sb = pump(t, a, b, zap)
	require.NoError(t, sa.err)
	require.NoError(t, sb.err)
	require.Equal(t, StepDone, sa.step)
	require.Equal(t, StepDone, sb.step)
	return sa, sb
}

// requireRefused400 checks a ZAP refusal with status 400: the server's
// error is an AuthError, and the client got the plaintext ERROR "400".
func requireRefused400(t *testing.T, client, server *side) {
	t.Helper()
	var auth *AuthError
	require.ErrorAs(t, server.err, &auth)
	assert.Equal(t, 400, auth.Status)
	var pe *PeerError
	require.ErrorAs(t, client.err, &pe, "the ERROR reached the client")
	assert.Equal(t, "400", pe.Reason)
}

// A peer announcing a User-Id (or any name the ZAP handler also sets) in
// its metadata cannot shadow the handler's, whichever came first: the
// verdict (NULL, PLAIN) or the peer's metadata (CURVE).
func TestZAPPropertiesShadowThePeers(t *testing.T) {
	spoof := props("Socket-Type", "REQ", "User-Id", "mallory", "X-Role", "admin")
	reply := ZAPReply{Status: ZAPSuccess, UserID: []byte("alice"), Metadata: props("X-Role", "guest")}
	check := func(t *testing.T, m *metadata) {
		t.Helper()
		uid, _ := m.Peer().Property(PropUserID)
		assert.Equal(t, "alice", string(uid))
		role, _ := m.Peer().Property("x-role")
		assert.Equal(t, "guest", string(role))
		assert.Len(t, m.Peer().Properties, 4, "the peer's User-Id dropped, nothing twice")
		assert.Equal(t, Req, m.Peer().Type)
	}
	t.Run("verdict first", func(t *testing.T) {
		m := newMetadata(HandshakeConfig{Type: Rep})
		_, err := m.takeZAP(nil, reply, AppendError)
		require.NoError(t, err)
		require.NoError(t, m.accept(spoof))
		check(t, &m)
	})
	t.Run("metadata first", func(t *testing.T) {
		m := newMetadata(HandshakeConfig{Type: Rep})
		require.NoError(t, m.accept(spoof))
		_, err := m.takeZAP(nil, reply, AppendError)
		require.NoError(t, err)
		check(t, &m)
	})
	t.Run("no ZAP", func(t *testing.T) {
		m := newMetadata(HandshakeConfig{Type: Rep})
		require.NoError(t, m.accept(spoof))
		_, ok := m.Peer().Property("user-id")
		assert.False(t, ok, "a peer's own User-Id is not believed")
	})
	t.Run("NULL", func(t *testing.T) {
		server := NewNull(HandshakeConfig{Type: Rep, ZAP: true})
		_, step, err := server.Start(nil)
		require.NoError(t, err)
		require.Equal(t, StepZAP, step)
		_, _, err = server.ZAPResult(nil, reply)
		require.NoError(t, err)
		_, step, err = server.Command(nil, AppendCommand(nil, CmdReady, spoof)[2:])
		require.NoError(t, err)
		require.Equal(t, StepDone, step)
		check(t, &server.metadata)
	})
}
