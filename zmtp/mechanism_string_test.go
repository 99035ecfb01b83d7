package zmtp

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// No verb and no slog handler prints a mechanism's password or keys.
func TestMechanismsPrintNoSecrets(t *testing.T) {
	pub, sec, err := NewCurveKeypair()
	require.NoError(t, err)
	spub, _, err := NewCurveKeypair()
	require.NoError(t, err)
	client := NewCurveClient(HandshakeConfig{Type: Dealer}, CurveKeys{Public: pub, Secret: sec, Server: spub})
	_, _, err = client.Start(nil) // makes transient keys
	require.NoError(t, err)
	seal, open := &CurveSealer{key: [32]byte(sec), nonce: 3}, &CurveOpener{key: [32]byte(sec)}
	plain := NewPlainClient(HandshakeConfig{Type: Dealer}, []byte("admin"), []byte("hunter2secret"))
	secrets := []string{"hunter2secret", sec.Z85(), hex.EncodeToString(sec[:]), string(sec[:]), client.tSec.Z85(), fmt.Sprint(sec[:8])}
	for _, v := range []any{plain, client, seal, open} {
		var out strings.Builder
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
			fmt.Fprintf(&out, verb+"\n", v)
		}
		var logged bytes.Buffer
		slog.New(slog.NewTextHandler(&logged, nil)).Info("m", "v", v)
		slog.New(slog.NewJSONHandler(&logged, nil)).Info("m", "v", v)
		text := out.String() + logged.String()
		for _, s := range secrets {
			assert.NotContains(t, text, s, "%T", v)
		}
		assert.Contains(t, text, "zmtp.", "%T names itself", v)
	}
	assert.Contains(t, fmt.Sprint(client), pub.String(), "the public key's fingerprint helps")
}
