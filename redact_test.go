//go:build linux

package zring_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/zmtp"
)

// Issue 13: no secrets in logs. Whatever prints a socket, its keys, a
// frame or an event by accident (fmt's verbs, log/slog's handlers) shows
// what helps debugging and no secret.

// renderings prints v with every fmt verb and both slog handlers.
func renderings(v any) map[string]string {
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
		out[verb] = fmt.Sprintf(verb, v)
	}
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("msg", "v", v)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("msg", "v", v)
	out["slog text"] = text.String()
	out["slog json"] = js.String()
	return out
}

// secretForms are the ways a secret's bytes could show: raw, Z85, hex,
// base64 (encoding/json's []byte) and fmt's decimal array.
func secretForms(t *testing.T, raw []byte) []string {
	z85, err := zmtp.Z85Encode(raw)
	require.NoError(t, err)
	dec := strings.Trim(fmt.Sprint(raw), "[]")
	return []string{string(raw), z85, hex.EncodeToString(raw), strings.ToUpper(hex.EncodeToString(raw)),
		base64.StdEncoding.EncodeToString(raw), dec, strings.ReplaceAll(dec, " ", ","), // encoding/json's [32]byte
		// Any 8 consecutive bytes in hex, in case of a partial dump.
		hex.EncodeToString(raw[8:16])}
}

func requireNoLeak(t *testing.T, what string, v any, secrets []string, want ...string) {
	t.Helper()
	for how, s := range renderings(v) {
		for _, sec := range secrets {
			require.NotContains(t, s, sec, "%s printed with %s leaks a secret: %s", what, how, s)
		}
		if how == "%q" || how == "%x" || how == "%X" || how == "%d" {
			continue // a Stringer's text, quoted or in hex
		}
		for _, w := range want {
			require.Contains(t, s, w, "%s printed with %s lacks %q", what, how, w)
		}
	}
}

func TestNoSecretsInLogs(t *testing.T) {
	c := newContext(t)
	serverPub, serverSec, err := zring.NewCurveKeypair()
	require.NoError(t, err)
	clientPub, clientSec, err := zring.NewCurveKeypair()
	require.NoError(t, err)
	const password = "hunter2-correct-horse"
	secrets := append(secretForms(t, serverSec[:]), secretForms(t, clientSec[:])...)
	secrets = append(secrets, password, hex.EncodeToString([]byte(password)))

	serverOpts := []zring.Option{zring.WithCurveServer(true), zring.WithCurveSecretKey(serverSec)}
	clientOpts := []zring.Option{zring.WithCurveServerKey(serverPub),
		zring.WithCurvePublicKey(clientPub), zring.WithCurveSecretKey(clientSec)}
	server, client := bindConnect(t, c, zring.Router, zring.Dealer, serverOpts, clientOpts)
	require.NoError(t, client.Send([]byte("hi"), 0))
	msg, err := server.RecvMulti(0)
	require.NoError(t, err)
	require.Equal(t, "hi", string(msg[1]))

	t.Run("CURVE sockets", func(t *testing.T) {
		requireNoLeak(t, "server", server, secrets, "ROUTER", "open", "CURVE", "server", server.Endpoint())
		requireNoLeak(t, "client", client, secrets, "DEALER", "open", "CURVE", "client", server.Endpoint())
		// Inside a struct, as a logger's caller might hold it.
		requireNoLeak(t, "struct", struct{ S *zring.Socket }{server}, secrets)
		require.Contains(t, fmt.Sprintf("%+v", struct{ S *zring.Socket }{server}), "ROUTER")
	})
	t.Run("PLAIN socket", func(t *testing.T) {
		s := newSocket(t, c, zring.Push, zring.WithPlainUsername("admin"), zring.WithPlainPassword(password))
		require.NoError(t, s.Connect("inproc://redact-plain"))
		requireNoLeak(t, "plain", s, secrets, "PUSH", "PLAIN", "client", "inproc://redact-plain")
	})
	t.Run("options", func(t *testing.T) {
		for i, o := range append(serverOpts, clientOpts...) {
			requireNoLeak(t, fmt.Sprint("option ", i), o, secrets)
		}
	})
	t.Run("keys", func(t *testing.T) {
		requireNoLeak(t, "secret key", serverSec, secrets, "CurveKey(sha256:")
		requireNoLeak(t, "*secret key", &clientSec, secrets, "CurveKey(sha256:")
		keys := zmtp.CurveKeys{Public: clientPub, Secret: clientSec, Server: serverPub}
		requireNoLeak(t, "CurveKeys", keys, secrets, clientPub.String(), serverPub.String())
		requireNoLeak(t, "key in a struct", struct{ K zring.CurveKey }{serverSec}, secrets, "CurveKey(sha256:")
		requireNoLeak(t, "keys in a map", map[string]zring.CurveKey{"k": serverSec}, secrets, "CurveKey(sha256:")
		require.NotEqual(t, serverSec.String(), clientSec.String(), "fingerprints tell keys apart")
		require.Equal(t, "CurveKey(zero)", zring.CurveKey{}.String())
		// The explicit way still gives the text.
		back, err := zring.ParseCurveKey(serverSec.Z85())
		require.NoError(t, err)
		require.Equal(t, serverSec, back)
	})
	t.Run("authenticator", func(t *testing.T) {
		c := newContext(t)
		a, err := zring.NewAuthenticator(c)
		require.NoError(t, err)
		defer a.Close()
		a.SetPasswords("*", map[string]string{"admin": password})
		a.SetCurveKeys("*", clientSec)
		requireNoLeak(t, "authenticator", a, secrets, "plain_users", "curve_keys")
	})
	t.Run("closed socket", func(t *testing.T) {
		s := newSocket(t, c, zring.Sub, zring.WithCurveServer(true), zring.WithCurveSecretKey(serverSec))
		require.NoError(t, s.Close())
		requireNoLeak(t, "closed", s, secrets, "SUB", "closed")
		var nilSock *zring.Socket
		require.Equal(t, "Socket(nil)", fmt.Sprint(nilSock))
	})
}

func TestFramePrintsNoBody(t *testing.T) {
	// A pooled frame whose storage holds an earlier message beyond its
	// length, and a body of its own: neither may show.
	f := zring.NewFrame(48)
	defer f.Release()
	copy(f.Bytes(), "stale-earlier-message-SECRET-0123456789abcdefgh")
	require.NoError(t, f.SetLen(6))
	copy(f.Bytes(), "BODYQQ")
	f.SetMore(true)
	leaks := []string{"stale", "SECRET", "BODYQQ", hex.EncodeToString([]byte("BODYQQ")), hex.EncodeToString([]byte("stale")),
		strings.Trim(fmt.Sprint([]byte("BODYQQ")), "[]")}
	requireNoLeak(t, "frame", f, leaks, "6", "more", "true", "refs", "1")
	requireNoLeak(t, "frame in a struct", struct{ F *zring.Frame }{f}, leaks)
	require.Equal(t, "Frame(len=6 more=true refs=1)", f.String())
	var js bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, nil)).Info("msg", "frame", f)
	require.Contains(t, js.String(), `"frame":{"len":6,"more":true,"refs":1}`)
	var nilFrame *zring.Frame
	require.Equal(t, "Frame(nil)", fmt.Sprint(nilFrame))
}

func TestEventPrints(t *testing.T) {
	ev := zring.Event{Type: zring.EventHandshakeFailedAuth, Value: 400, Endpoint: "tcp://127.0.0.1:5555",
		Err: fmt.Errorf("zap: %w", errors.New("denied"))}
	requireNoLeak(t, "event", ev, nil, "HANDSHAKE_FAILED_AUTH", "400", "tcp://127.0.0.1:5555", "denied")
	var js bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, nil)).Info("msg", "event", ev)
	require.Contains(t, js.String(), `"event":{"type":"HANDSHAKE_FAILED_AUTH","value":400,"endpoint":"tcp://127.0.0.1:5555","error":"zap: denied"}`)
}
