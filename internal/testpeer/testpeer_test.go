//go:build linux

package testpeer

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const recvTimeoutMs = 5000

// pushPull returns a bound PUSH peer and a PULL peer connected to it.
func pushPull(t *testing.T) (push, pull *Peer) {
	t.Helper()
	push = Start(t, "PUSH")
	endpoint := push.Bind("tcp://127.0.0.1:*")
	require.Regexp(t, `^tcp://127\.0\.0\.1:\d+$`, endpoint)
	pull = Start(t, "PULL")
	pull.SetOption("RCVTIMEO", recvTimeoutMs)
	pull.Connect(endpoint)
	return push, pull
}

func TestVersionIsLibzmq43(t *testing.T) {
	p := Start(t, "PAIR")
	assert.Regexp(t, `^4\.3\.\d+ `, p.Version())
}

func TestPushPullMultipart(t *testing.T) {
	push, pull := pushPull(t)
	frames := [][]byte{[]byte("head"), nil, {}, Pattern(256), {0x00}, {}}
	push.Send(frames...)
	want := [][]byte{[]byte("head"), {}, {}, Pattern(256), {0x00}, {}}
	assert.Equal(t, want, pull.Recv())
}

func TestRecvN(t *testing.T) {
	push, pull := pushPull(t)
	push.Send([]byte("a"))
	push.Send([]byte{})
	push.Send([]byte("b"), []byte("c"))
	want := [][][]byte{{[]byte("a")}, {{}}, {[]byte("b"), []byte("c")}}
	assert.Equal(t, want, pull.RecvN(3))
}

func TestSendBigMatchesPattern(t *testing.T) {
	push, pull := pushPull(t)
	push.SendBig(1000)
	assert.Equal(t, [][]byte{Pattern(1000)}, pull.Recv())
}

func TestSendBigRecvCheckOneMiB(t *testing.T) {
	push, pull := pushPull(t)
	const size = 1 << 20
	push.SendBig(size)
	n, sum := pull.RecvCheck()
	assert.Equal(t, size, n)
	assert.Equal(t, sha256.Sum256(Pattern(size)), sum)
}

func TestSendHexOneMiB(t *testing.T) {
	push, pull := pushPull(t)
	const size = 1 << 20
	push.Send(Pattern(size)[:size/2], Pattern(size)[size/2:])
	n, sum := pull.RecvCheck()
	assert.Equal(t, size, n)
	assert.Equal(t, sha256.Sum256(Pattern(size)), sum)
}

func TestReqRepEcho(t *testing.T) {
	rep := Start(t, "REP")
	rep.SetOption("RCVTIMEO", recvTimeoutMs)
	endpoint := rep.Bind("tcp://127.0.0.1:*")
	req := Start(t, "REQ")
	req.SetOption("RCVTIMEO", recvTimeoutMs)
	req.Connect(endpoint)

	done := make(chan error, 1)
	go func() { _, err := rep.Do("echo 3"); done <- err }()
	for _, body := range [][][]byte{{[]byte("x")}, {{}, []byte("y")}, {Pattern(300)}} {
		req.Send(body...)
		assert.Equal(t, body, req.Recv())
	}
	require.NoError(t, <-done)
}

func TestRoutingIDOption(t *testing.T) {
	router := Start(t, "ROUTER")
	router.SetOption("RCVTIMEO", recvTimeoutMs)
	endpoint := router.Bind("tcp://127.0.0.1:*")
	dealer := Start(t, "DEALER")
	dealer.SetOption("ROUTING_ID", []byte("dealer-1"))
	dealer.Connect(endpoint)
	dealer.Send([]byte("hi"))
	assert.Equal(t, [][]byte{[]byte("dealer-1"), []byte("hi")}, router.Recv())
	assert.Equal(t, "6465616c65722d31", dealer.MustDo("getsockopt ROUTING_ID"))
}

func TestPubSubSubscribe(t *testing.T) {
	pub := Start(t, "PUB")
	endpoint := pub.Bind("tcp://127.0.0.1:*")
	sub := Start(t, "SUB")
	sub.SetOption("RCVTIMEO", 100)
	sub.SetOption("SUBSCRIBE", "k")
	sub.Connect(endpoint)
	var got [][]byte
	require.Eventually(t, func() bool { // the subscription reaches PUB asynchronously
		_, errNope := pub.Do("send 6e6f7065")
		_, errKey := pub.Do("send 6b6579,76")
		msg, err := sub.TryRecv()
		got = msg
		return errors.Join(errNope, errKey, err) == nil
	}, 5*time.Second, 10*time.Millisecond)
	assert.Equal(t, [][]byte{[]byte("key"), []byte("v")}, got)
}

func TestMonitorEvents(t *testing.T) {
	push := Start(t, "PUSH")
	push.Monitor() // before any connection, so no event is missed
	endpoint := push.Bind("tcp://127.0.0.1:*")
	pull := Start(t, "PULL")
	pull.SetOption("RCVTIMEO", recvTimeoutMs)
	pull.Connect(endpoint)
	var events []string
	require.Eventually(t, func() bool {
		reply, err := push.Do("events")
		events = append(events, strings.Fields(reply)...)
		return err == nil && contains(events, "HANDSHAKE_SUCCEEDED:0")
	}, 5*time.Second, 10*time.Millisecond)
	push.Send([]byte("m"))
	assert.Equal(t, [][]byte{[]byte("m")}, pull.Recv())
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestErrReplyBecomesError(t *testing.T) {
	req := Start(t, "REQ")
	_, err := req.TryRecv()
	var perr *Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, "EFSM", perr.Class)
	assert.ErrorIs(t, err, &Error{Class: "EFSM"})
	assert.NotErrorIs(t, err, ErrAgain)

	_, err = req.Do("nonsense")
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, "EINVAL", perr.Class)
	assert.Equal(t, "0", req.MustDo("getsockopt RCVMORE"), "peer still usable")
}

func TestTryRecvTimeoutIsEAGAIN(t *testing.T) {
	_, pull := pushPull(t)
	pull.SetOption("RCVTIMEO", 20)
	_, err := pull.TryRecv()
	assert.ErrorIs(t, err, ErrAgain)
}

func TestDoTimeoutKillsPeer(t *testing.T) {
	pull := Start(t, "PULL")
	pull.SetTimeout(200 * time.Millisecond)
	_, err := pull.Do("recv") // RCVTIMEO is -1: blocks forever
	require.ErrorContains(t, err, "no reply within")
	_, err = pull.Do("close")
	assert.Error(t, err)
}

func TestCloseThenReopen(t *testing.T) {
	p := Start(t, "PAIR")
	p.Close()
	_, err := p.Do("bind tcp://127.0.0.1:*")
	require.ErrorIs(t, err, &Error{Class: "ENOTSOCK"})
	p.MustDo("socket PUSH")
	p.Bind("tcp://127.0.0.1:*")
	assert.Equal(t, "", p.MustDo("quit"))
}

func TestEncodeDecodeFrames(t *testing.T) {
	frames := [][]byte{{}, {0xde, 0xad}, {}, {0x00}}
	encoded := EncodeFrames(frames)
	assert.Equal(t, "-,dead,-,00", encoded)
	decoded, err := DecodeFrames(encoded)
	require.NoError(t, err)
	assert.Equal(t, frames, decoded)
	for _, bad := range []string{"", "zz", "abc", "00,", ",00"} {
		_, err := DecodeFrames(bad)
		assert.Error(t, err, bad)
	}
}

func TestPattern(t *testing.T) {
	p := Pattern(600)
	assert.Len(t, p, 600)
	assert.Equal(t, byte(250), p[250])
	assert.Equal(t, byte(0), p[251])
	assert.Equal(t, byte(97), p[2*251+97])
}

// fatalTB records Fatalf instead of ending the test, to check launch errors.
type fatalTB struct {
	testing.TB
	msg string
}

type fatalCalled struct{}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic(fatalCalled{})
}

func launchFailure(t *testing.T, python string) (msg string) {
	tb := &fatalTB{TB: t}
	defer func() {
		require.Equal(t, fatalCalled{}, recover())
		msg = tb.msg
	}()
	launch(tb, python)
	return ""
}

func TestMissingPythonFailsWithHint(t *testing.T) {
	msg := launchFailure(t, filepath.Join(t.TempDir(), "no-python3"))
	assert.Contains(t, msg, "apt-get install python3-zmq")
}

func TestMissingZMQFailsWithHint(t *testing.T) {
	fake := filepath.Join(t.TempDir(), "python3")
	script := "#!/bin/sh\necho 'err ENOZMQ cannot import zmq'\nexit 1\n"
	require.NoError(t, os.WriteFile(fake, []byte(script), 0o700))
	msg := launchFailure(t, fake)
	assert.Contains(t, msg, "apt-get install python3-zmq")
}

func TestRecvProps(t *testing.T) {
	push, pull := pushPull(t)
	push.Send([]byte("a"), []byte{})
	frames, props := pull.RecvProps("Socket-Type", "Peer-Address", "User-Id", "X-None")
	assert.Equal(t, [][]byte{[]byte("a"), {}}, frames)
	assert.Equal(t, map[string]string{"Socket-Type": "PUSH", "Peer-Address": "127.0.0.1"}, props,
		"no User-Id without ZAP; absent properties are left out")
}
