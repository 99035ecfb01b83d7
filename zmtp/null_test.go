package zmtp

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func nullOf(t SocketType, id []byte) *Null { return NewNull(HandshakeConfig{Type: t, Identity: id}) }

func TestNullHandshake(t *testing.T) {
	a, b := nullOf(Req, []byte("ab")), nullOf(Router, nil)
	handshake(t, a, b, nil)
	assert.Equal(t, Router, a.Peer().Type)
	assert.Equal(t, []byte{}, a.Peer().Identity)
	assert.Equal(t, Req, b.Peer().Type)
	assert.Equal(t, []byte("ab"), b.Peer().Identity)

	// Anything after READY is unexpected.
	_, _, err := a.Command(nil, goldenReadySub[2:])
	assert.ErrorIs(t, err, ErrUnexpectedCommand)
}

func TestNullHandshakeStartGolden(t *testing.T) {
	out, step, err := nullOf(Dealer, nil).Start(nil)
	require.NoError(t, err)
	assert.Equal(t, StepContinue, step)
	assert.Equal(t, goldenReadyDealer, out)
	out, _, _ = nullOf(Sub, nil).Start(nil)
	assert.Equal(t, goldenReadySub, out)
}

func TestNullHandshakeIncompatible(t *testing.T) {
	sa, sb := pump(t, nullOf(Push, nil), nullOf(Push, nil), nil)
	assert.ErrorIs(t, sa.err, ErrIncompatible)
	assert.ErrorIs(t, sb.err, ErrIncompatible)
}

func TestNullServerWithZAP(t *testing.T) {
	server := NewNull(HandshakeConfig{Type: Rep, ZAP: true})
	client := nullOf(Req, nil)
	_, ss := handshake(t, client, server, approve)
	require.Len(t, ss.zaps, 1)
	assert.Equal(t, ZAPRequest{Mechanism: MechanismNull}, ss.zaps[0])
	uid, ok := server.Peer().Property("user-id")
	assert.True(t, ok)
	assert.Equal(t, "alice", string(uid))

	// Refused: a 400 sends ERROR "400" and no READY; the client reports it.
	server = NewNull(HandshakeConfig{Type: Rep, ZAP: true})
	sc, ss := pump(t, nullOf(Req, nil), server, refuse(400))
	requireRefused400(t, sc, ss)

	// A 300 closes without ERROR: the client hears nothing.
	server = NewNull(HandshakeConfig{Type: Rep, ZAP: true})
	sc, ss = pump(t, nullOf(Req, nil), server, refuse(300))
	require.ErrorIs(t, ss.err, ErrAuth)
	require.NoError(t, sc.err)
	assert.Equal(t, StepContinue, sc.step)
}

func TestNullHandshakeCommands(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		want error
	}{
		{"ERROR", goldenError400[2:], ErrPeerError},
		{"bad ERROR", unhex(`05 "ERROR" 05 "40"`), ErrBadCommand},
		{"PING", goldenPing[2:], ErrUnexpectedCommand},
		{"SUBSCRIBE", goldenSubscribe[2:], ErrUnexpectedCommand},
		{"lowercase ready", unhex(`05 "ready"`), ErrUnexpectedCommand},
		{"malformed", []byte{7, 'R'}, ErrBadCommand},
		{"READY without type", unhex(`05 "READY"`), ErrBadSocketType},
		{"READY bad metadata", unhex(`05 "READY" 01`), ErrBadMetadata},
		{"READY dealer lowercase", append(unhex(`05 "READY"`), props("Socket-Type", "dealer")...), ErrBadSocketType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := nullOf(Sub, nil)
			_, step, err := h.Command(nil, tt.body)
			assert.Equal(t, StepContinue, step)
			assert.ErrorIs(t, err, tt.want)
		})
	}
	_, _, err := nullOf(Sub, nil).Command(nil, goldenError400[2:])
	assert.ErrorContains(t, err, `"400"`)
}
