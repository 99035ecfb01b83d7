//go:build linux

package zring_test

import (
	"bytes"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

// A certificate saved is the same certificate loaded: the public file
// without the secret, the secret file (mode 0600) with it.
func TestCertificateRoundTrip(t *testing.T) {
	dir := t.TempDir()
	c, err := zring.NewCertificate()
	require.NoError(t, err)
	c.Metadata["name"] = "alice"
	path := filepath.Join(dir, "alice.key")
	require.NoError(t, c.Save(path))

	pub, err := zring.LoadCertificate(path)
	require.NoError(t, err)
	assert.Equal(t, c.Public, pub.Public)
	assert.False(t, pub.HasSecret(), "the public file holds no secret")
	assert.Equal(t, "alice", pub.Metadata["name"])
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), c.Secret.Z85())

	sec, err := zring.LoadCertificate(path + "_secret")
	require.NoError(t, err)
	assert.Equal(t, c.Secret, sec.Secret)
	fi, err := os.Stat(path + "_secret")
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	assert.NotContains(t, sec.String(), c.Secret.Z85(), "String shows no secret")

	keys, err := zring.LoadCertificates(dir)
	require.NoError(t, err)
	assert.Equal(t, []zring.CurveKey{c.Public}, keys, "secret files left out")
}

func TestCertificateRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	a, _ := zring.NewCertificate()
	b, _ := zring.NewCertificate()
	for name, text := range map[string]string{
		"empty":    "",
		"no key":   "metadata\ncurve\n",
		"bad z85":  "curve\n    public-key = \"not a key\"\n",
		"no equal": "curve\n    public-key\n",
		"mismatch": "curve\n    public-key = \"" + a.Public.Z85() + "\"\n    secret-key = \"" + b.Secret.Z85() + "\"\n",
		"huge":     strings.Repeat("#", 70<<10),
	} {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_"))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o600))
		_, err := zring.LoadCertificate(p)
		assert.ErrorIs(t, err, zring.ErrInvalid, name)
		assert.Contains(t, err.Error(), p, "the error names the file")
	}
}

// pyzmq's zmq.auth reads the certificates zring writes, and zring reads
// the ones pyzmq writes (Debian's python3-zmq; the test fails without it).
func TestCertificatePyzmqInterop(t *testing.T) {
	dir := t.TempDir()
	c, err := zring.NewCertificate()
	require.NoError(t, err)
	require.NoError(t, c.Save(filepath.Join(dir, "zring.key")))
	script := `
import sys, zmq.auth
d = sys.argv[1]
pub, sec = zmq.auth.load_certificate(d + "/zring.key_secret")
print(pub.decode(), sec.decode())
p, s = zmq.auth.create_certificates(d, "py")
pub, sec = zmq.auth.load_certificate(s)
print(pub.decode(), sec.decode())
`
	out, err := exec.Command("/usr/bin/python3", "-c", script, dir).CombinedOutput()
	require.NoError(t, err, "python3-zmq (apt-get install python3-zmq): %s", out)
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	require.Len(t, lines, 2)
	assert.Equal(t, c.Public.Z85()+" "+c.Secret.Z85(), lines[0], "pyzmq reads zring's certificate")

	py, err := zring.LoadCertificate(filepath.Join(dir, "py.key_secret"))
	require.NoError(t, err)
	assert.Equal(t, lines[1], py.Public.Z85()+" "+py.Secret.Z85(), "zring reads pyzmq's")
	keys, err := zring.LoadCertificates(dir)
	require.NoError(t, err)
	assert.ElementsMatch(t, []zring.CurveKey{c.Public, py.Public}, keys)
}

// The Authenticator admits the CURVE clients whose certificates are in a
// directory and refuses others, logging each decision when asked.
func TestAuthenticatorCertificateDirectory(t *testing.T) {
	dir := t.TempDir()
	server, _ := zring.NewCertificate()
	known, _ := zring.NewCertificate()
	stranger, _ := zring.NewCertificate()
	require.NoError(t, known.Save(filepath.Join(dir, "known.key")))

	c := newContext(t)
	auth := newAuthenticator(t, c)
	require.NoError(t, auth.SetCurveCertificates("*", dir))
	var log syncBuffer
	auth.SetLogger(slog.New(slog.NewTextHandler(&log, nil)))
	require.Error(t, auth.SetCurveCertificates("*", filepath.Join(dir, "missing")))

	pull := newSocket(t, c, zring.Pull, zring.WithCurveServer(true), zring.WithCurveSecretKey(server.Secret))
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	client := func(cert *zring.Certificate) *zring.Socket {
		return newSocket(t, c, zring.Push, zring.WithCurveServerKey(server.Public),
			zring.WithCurvePublicKey(cert.Public), zring.WithCurveSecretKey(cert.Secret))
	}
	good := client(known)
	require.NoError(t, good.Connect(pull.Endpoint()))
	requireDelivers(t, good, pull, "known")

	bad := client(stranger)
	mon, err := bad.Monitor(zring.EventHandshakeFailedAuth)
	require.NoError(t, err)
	defer mon.Stop()
	require.NoError(t, bad.Connect(pull.Endpoint()))
	ev := nextEvent(t, mon, zring.EventHandshakeFailedAuth)
	assert.EqualValues(t, 400, ev.Value)

	log.mu.Lock()
	text := log.b.String()
	log.mu.Unlock()
	assert.Contains(t, text, "status=200")
	assert.Contains(t, text, "status=400")
	assert.Contains(t, text, known.Public.Z85(), "the accepted User-Id")
	assert.False(t, bytes.Contains([]byte(text), []byte(known.Secret.Z85())), "no secret in the log")
}
