package zmtp

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// handshake runs two NULL handshakes against each other.
func handshake(t *testing.T, a, b *NullHandshake) (errA, errB error) {
	t.Helper()
	fromA := commandBody(t, a.Start(nil))
	fromB := commandBody(t, b.Start(nil))
	doneA, errA := a.Command(fromB)
	doneB, errB := b.Command(fromA)
	assert.Equal(t, errA == nil, doneA)
	assert.Equal(t, errB == nil, doneB)
	return errA, errB
}

func TestNullHandshake(t *testing.T) {
	a := NewNullHandshake(Req, []byte("ab"))
	b := NewNullHandshake(Router, nil)
	errA, errB := handshake(t, a, b)
	require.NoError(t, errA)
	require.NoError(t, errB)
	assert.True(t, a.Done())
	assert.Equal(t, Router, a.Peer().Type)
	assert.Equal(t, []byte{}, a.Peer().Identity)
	assert.Equal(t, Req, b.Peer().Type)
	assert.Equal(t, []byte("ab"), b.Peer().Identity)

	// Anything after READY is unexpected.
	_, err := a.Command(goldenReadySub[2:])
	assert.ErrorIs(t, err, ErrUnexpectedCommand)
}

func TestNullHandshakeStartGolden(t *testing.T) {
	assert.Equal(t, goldenReadyDealer, NewNullHandshake(Dealer, nil).Start(nil))
	assert.Equal(t, goldenReadySub, NewNullHandshake(Sub, nil).Start(nil))
}

func TestNullHandshakeIncompatible(t *testing.T) {
	errA, errB := handshake(t, NewNullHandshake(Push, nil), NewNullHandshake(Push, nil))
	assert.ErrorIs(t, errA, ErrIncompatible)
	assert.ErrorIs(t, errB, ErrIncompatible)
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
			h := NewNullHandshake(Sub, nil)
			done, err := h.Command(tt.body)
			assert.False(t, done)
			assert.ErrorIs(t, err, tt.want)
			assert.False(t, h.Done())
		})
	}
	_, err := NewNullHandshake(Sub, nil).Command(goldenError400[2:])
	assert.ErrorContains(t, err, `"400"`)
}
