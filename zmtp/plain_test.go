package zmtp

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// zmtp.md §G 51: libzmq's HELLO for admin/secret.
var goldenPlainHello = unhex(`04 13 05 "HELLO" 05 "admin" 06 "secret"`)

func plainPair(user, pass string) (client, server *Plain) {
	client = NewPlainClient(HandshakeConfig{Type: Dealer, Identity: []byte("id")}, []byte(user), []byte(pass))
	server = NewPlainServer(HandshakeConfig{Type: Router})
	return client, server
}

// passwords is a ZAP handler with a password table.
func passwords(req ZAPRequest) ZAPReply {
	if req.Mechanism == MechanismPlain && len(req.Credentials) == 2 &&
		string(req.Credentials[0]) == "admin" && string(req.Credentials[1]) == "secret" {
		return ZAPReply{Status: ZAPSuccess, UserID: []byte("admin"), Metadata: AppendProperty(nil, "X-Role", []byte("ops"))}
	}
	return ZAPReply{Status: ZAPAuthFailure, Text: "bad password"}
}

func TestPlainHelloGolden(t *testing.T) {
	client, _ := plainPair("admin", "secret")
	out, step, err := client.Start(nil)
	require.NoError(t, err)
	assert.Equal(t, StepContinue, step)
	assert.Equal(t, goldenPlainHello, out)
	user, pass, err := ParsePlainHello(goldenPlainHello[8:])
	require.NoError(t, err)
	assert.Equal(t, "admin", string(user))
	assert.Equal(t, "secret", string(pass))
}

func TestPlainHandshake(t *testing.T) {
	client, server := plainPair("admin", "secret")
	_, ss := handshake(t, client, server, passwords)
	require.Len(t, ss.zaps, 1)
	assert.Equal(t, [][]byte{[]byte("admin"), nil}, [][]byte{ss.zaps[0].Credentials[0], server.pass},
		"the server forgets the password after ZAP")
	assert.Equal(t, Router, client.Peer().Type)
	assert.Equal(t, Dealer, server.Peer().Type)
	assert.Equal(t, []byte("id"), server.Peer().Identity)
	uid, _ := server.Peer().Property(PropUserID)
	role, _ := server.Peer().Property("x-role")
	assert.Equal(t, "admin", string(uid))
	assert.Equal(t, "ops", string(role))
}

func TestPlainWrongPasswordGetsError400(t *testing.T) {
	client, server := plainPair("admin", "guess")
	sc, ss := pump(t, client, server, passwords)
	requireRefused400(t, sc, ss)
	assert.NotEqual(t, StepDone, sc.step)
}

func TestPlainTemporaryFailureIsSilent(t *testing.T) {
	client, server := plainPair("admin", "secret")
	sc, ss := pump(t, client, server, refuse(300))
	require.ErrorIs(t, ss.err, ErrAuth)
	require.NoError(t, sc.err) // nothing reached the client: it times out
	assert.Equal(t, StepContinue, sc.step)
}

func TestPlainRolesMustDiffer(t *testing.T) {
	// Two clients: each takes the other's HELLO as unexpected.
	a, _ := plainPair("a", "b")
	b, _ := plainPair("c", "d")
	sa, sb := pump(t, a, b, passwords)
	assert.ErrorIs(t, sa.err, ErrUnexpectedCommand)
	assert.ErrorIs(t, sb.err, ErrUnexpectedCommand)
	// Two servers wait for each other forever (the handshake timer ends it).
	_, s1 := plainPair("", "")
	_, s2 := plainPair("", "")
	ss1, ss2 := pump(t, s1, s2, passwords)
	require.NoError(t, ss1.err)
	require.NoError(t, ss2.err)
	assert.Equal(t, StepContinue, ss1.step)
}

func TestPlainServerRejectsMalformedCommands(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		want error
	}{
		{"HELLO with trailing bytes", append(bytes.Clone(goldenPlainHello[2:]), 0), ErrBadCommand},
		{"HELLO truncated", goldenPlainHello[2 : len(goldenPlainHello)-1], ErrBadCommand},
		{"HELLO empty", unhex(`05 "HELLO"`), ErrBadCommand},
		{"INITIATE first", unhex(`08 "INITIATE"`), ErrUnexpectedCommand},
		{"ERROR from a client", goldenError400[2:], ErrUnexpectedCommand},
		{"READY", goldenReadySub[2:], ErrUnexpectedCommand},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, server := plainPair("", "")
			_, step, err := server.Command(nil, tt.body)
			assert.ErrorIs(t, err, tt.want)
			assert.Equal(t, StepContinue, step)
		})
	}
}

func TestPlainClientRejectsBadWelcome(t *testing.T) {
	client, _ := plainPair("admin", "secret")
	_, _, err := client.Command(nil, unhex(`07 "WELCOME" 00`))
	assert.ErrorIs(t, err, ErrUnexpectedCommand)
	client, _ = plainPair("admin", "secret")
	_, _, err = client.Command(nil, goldenReadySub[2:]) // READY before WELCOME
	assert.ErrorIs(t, err, ErrUnexpectedCommand)
	// Credentials over 255 bytes cannot be sent.
	long := NewPlainClient(HandshakeConfig{Type: Req}, make([]byte, 256), nil)
	_, _, err = long.Start(nil)
	assert.ErrorIs(t, err, ErrBadCommand)
}

func TestPlainServerChecksZAPMetadataAndSocketType(t *testing.T) {
	client, server := plainPair("admin", "secret")
	badMeta := func(ZAPRequest) ZAPReply { return ZAPReply{Status: ZAPSuccess, Metadata: []byte{1}} }
	_, ss := pump(t, client, server, badMeta)
	assert.ErrorIs(t, ss.err, ErrBadMetadata)

	client = NewPlainClient(HandshakeConfig{Type: Push}, []byte("admin"), []byte("secret"))
	server = NewPlainServer(HandshakeConfig{Type: Push})
	sc, ss := pump(t, client, server, passwords)
	assert.ErrorIs(t, ss.err, ErrIncompatible)
	assert.NotEqual(t, StepDone, sc.step)
}

// libzmq 4.3.4's PLAIN server, captured refusing a password: its ERROR
// name is 0x5E "RROR" (see plainErrorName).
var goldenPlainErrorLibzmq = unhex(`04 09 5e "RROR" 03 "400"`)

func TestPlainErrorInLibzmqSpelling(t *testing.T) {
	assert.Equal(t, goldenPlainErrorLibzmq, AppendPlainError(nil, "400"))
	for _, body := range [][]byte{goldenPlainErrorLibzmq[2:], goldenError400[2:]} {
		client, _ := plainPair("admin", "secret")
		_, _, err := client.Command(nil, body)
		var pe *PeerError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, "400", pe.Reason)
	}
	// A server does not take it.
	_, server := plainPair("", "")
	_, _, err := server.Command(nil, goldenPlainErrorLibzmq[2:])
	assert.ErrorIs(t, err, ErrBadCommand)
}
