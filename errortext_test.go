//go:build linux

package zring_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zring/zring"
	"github.com/zring/zring/zmtp"
)

// errorCase is one failure: what err returned, the sentinel it must match,
// and the start its text must have ("zring: " and, where there is one, the
// operation and the endpoint).
type errorCase struct {
	name   string
	err    error
	is     error
	prefix string
	// has is more text the message must hold, such as why.
	has string
}

// TestErrorTexts walks representative failures: each message starts with
// "zring: " and says it once, names the operation and endpoint where
// there is one, and still matches its sentinel with errors.Is.
func TestErrorTexts(t *testing.T) {
	for _, c := range errorCases(t) {
		t.Run(c.name, func(t *testing.T) {
			require.Error(t, c.err)
			msg := c.err.Error()
			assert.True(t, strings.HasPrefix(msg, c.prefix), "%q should start with %q", msg, c.prefix)
			assert.Equal(t, 1, strings.Count(msg, "zring:"), "%q should say zring: once", msg)
			assert.Contains(t, msg, c.has)
			assert.ErrorIs(t, c.err, c.is)
			assert.Less(t, len(msg), 200, "%q is too long to read", msg)
		})
	}
}

func errorCases(t *testing.T) []errorCase {
	t.Helper()
	c := newContext(t)
	s := newSocket(t, c, zring.Pull)
	long := bytes.Repeat([]byte{7}, 256)
	noDir := "ipc://" + filepath.Join(t.TempDir(), "no-dir", "x.sock")
	cases := []errorCase{
		{"bad transport", s.Bind("foo://x"), zring.ErrEndpoint, "zring: bind foo://x: invalid endpoint: ", `"foo"`},
		{"no transport", s.Connect("nothing"), zring.ErrEndpoint, "zring: connect nothing: invalid endpoint: ", ""},
		{"empty endpoint", s.Bind(""), zring.ErrEndpoint, `zring: bind "": invalid endpoint: `, ""},
		{"connect without port", s.Connect("tcp://127.0.0.1"), zring.ErrEndpoint, "zring: connect tcp://127.0.0.1: invalid endpoint: ", ""},
		{"missing ipc dir", s.Bind(noDir), os.ErrNotExist, "zring: bind " + noDir + ": no such file or directory", ""},
		{"long ipc path", s.Bind("ipc:///" + strings.Repeat("a", 120)), zring.ErrEndpoint, "zring: bind ipc:///a", "ipc path of 121 bytes"},
		{"long routing id", s.SetOption(zring.WithRoutingID(long)), zring.ErrInvalid, "zring: invalid argument: ROUTING_ID", "of 256 bytes"},
		{"long routing id, sockopt", s.SetSockOpt(zring.OptRoutingID, long), zring.ErrInvalid, "zring: invalid argument: ROUTING_ID", "of 256 bytes"},
		{"bad hwm", s.SetOption(zring.WithSndHWM(-1)), zring.ErrInvalid, "zring: invalid argument: SNDHWM", ""},
		{"bad sockopt value", s.SetSockOpt(zring.OptIPv6, 2), zring.ErrInvalid, "zring: invalid argument: IPV6: ", "want 0 or 1"},
		{"bad sockopt type", s.SetSockOpt(zring.OptLinger, "x"), zring.ErrInvalid, "zring: invalid argument: LINGER: ", "want an int"},
		{"bad curve key", s.SetSockOpt(zring.OptCurveServerKey, "abc"), zmtp.ErrCurveKey, "zring: invalid argument: CURVE_SERVERKEY: zmtp: ", ""},
		{"bad device", bindWith(t, c, "tcp://127.0.0.1:*", zring.WithBindToDevice("nosuchdev0")), zring.ErrInvalid, "zring: bind tcp://127.0.0.1:*: invalid argument: ", "BINDTODEVICE"},
		{"unbind not bound", s.Unbind("tcp://127.0.0.1:1"), zring.ErrEndpoint, "zring: unbind tcp://127.0.0.1:1: invalid endpoint: not bound", ""},
		{"disconnect not connected", s.Disconnect("inproc://x"), zring.ErrEndpoint, "zring: disconnect inproc://x: invalid endpoint: not connected", ""},
		{"udp on pull", s.Bind("udp://127.0.0.1:*"), zring.ErrNotSupported, "zring: bind udp://127.0.0.1:*: operation not supported", ""},
		{"connect peer on pull", connectPeer(s, "tcp://127.0.0.1:1"), zring.ErrNotSupported, "zring: connect peer tcp://127.0.0.1:1: ", ""},
		{"recv on push", recvOn(t, c, zring.Push), zring.ErrNotSupported, "zring: operation not supported", ""},
		{"parse curve key", parseKey("abc"), zmtp.ErrCurveKey, "zring: invalid argument: zmtp: ", ""},
		{"io threads", newContextErr(zring.WithIOThreads(0)), zring.ErrInvalid, "zring: invalid argument: IO_THREADS 0", ""},
		{"cpu", newContextErr(zring.WithCPUs(1 << 20)), zring.ErrInvalid, "zring: new context: invalid argument: ", "I/O thread 0"},
	}
	cases = append(cases, inUseCases(t, c)...)
	return append(cases, closedCases(t)...)
}

// inUseCases binds each transport twice.
func inUseCases(t *testing.T, c *zring.Context) []errorCase {
	t.Helper()
	var cases []errorCase
	for _, ep := range []string{"tcp://127.0.0.1:*", "ipc://" + filepath.Join(t.TempDir(), "s"), "inproc://in-use"} {
		a := newSocket(t, c, zring.Pull)
		require.NoError(t, a.Bind(ep))
		taken := a.Endpoint()
		err := newSocket(t, c, zring.Pull).Bind(taken)
		cases = append(cases, errorCase{"in use " + taken, err, zring.ErrAddrInUse, "zring: bind " + taken + ": address in use", ""})
	}
	return cases
}

// closedCases uses a closed socket, and one whose context closed.
func closedCases(t *testing.T) []errorCase {
	t.Helper()
	c, err := zring.NewContext()
	require.NoError(t, err)
	s, err := c.NewSocket(zring.Push, zring.WithLinger(0))
	require.NoError(t, err)
	u, err := c.NewSocket(zring.Push, zring.WithLinger(0))
	require.NoError(t, err)
	require.NoError(t, s.Close())
	cases := []errorCase{
		{"closed bind", s.Bind("tcp://127.0.0.1:*"), zring.ErrClosed, "zring: bind tcp://127.0.0.1:*: socket closed", ""},
		{"closed connect", s.Connect("inproc://x"), zring.ErrClosed, "zring: connect inproc://x: socket closed", ""},
		{"closed send", s.SendString("x", 0), zring.ErrClosed, "zring: socket closed", ""},
		{"closed option", s.SetOption(zring.WithSndHWM(1)), zring.ErrClosed, "zring: socket closed", ""},
	}
	require.NoError(t, c.Close())
	return append(cases,
		errorCase{"terminated bind", u.Bind("inproc://x"), zring.ErrTerminated, "zring: bind inproc://x: context terminated", ""},
		errorCase{"terminated new socket", newSocketErr(c), zring.ErrTerminated, "zring: context terminated", ""},
	)
}

func bindWith(t *testing.T, c *zring.Context, ep string, opts ...zring.Option) error {
	t.Helper()
	return newSocket(t, c, zring.Pull, opts...).Bind(ep)
}

func connectPeer(s *zring.Socket, ep string) error {
	_, err := s.ConnectPeer(ep)
	return err
}

func recvOn(t *testing.T, c *zring.Context, typ zring.Type) error {
	t.Helper()
	_, err := newSocket(t, c, typ).Recv(zring.DontWait)
	return err
}

func parseKey(s string) error {
	_, err := zring.ParseCurveKey(s)
	return err
}

func newContextErr(opts ...zring.ContextOption) error {
	c, err := zring.NewContext(opts...)
	if err == nil {
		c.Close()
		return errors.New("NewContext succeeded")
	}
	return err
}

func newSocketErr(c *zring.Context) error {
	s, err := c.NewSocket(zring.Pull)
	if err == nil {
		s.Close()
		return errors.New("NewSocket succeeded")
	}
	return err
}
