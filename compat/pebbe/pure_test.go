package zmq4_test

import (
	"errors"
	"syscall"
	"testing"

	"github.com/zring/zring"
	zmq "github.com/zring/zring/compat/pebbe"
)

// What needs no I/O thread, on every platform.

func TestStrings(t *testing.T) {
	for got, want := range map[string]string{
		zmq.DEALER.String():                               "DEALER",
		zmq.Type(99).String():                             "<INVALID>",
		(zmq.DONTWAIT | zmq.SNDMORE).String():             "DONTWAIT|SNDMORE",
		zmq.Flag(0).String():                              "<NONE>",
		zmq.EVENT_ALL.String():                            "EVENT_ALL",
		(zmq.EVENT_LISTENING | zmq.EVENT_CLOSED).String(): "EVENT_LISTENING|EVENT_CLOSED",
		zmq.EVENT_HANDSHAKE_FAILED_AUTH.String():          "EVENT_HANDSHAKE_FAILED_AUTH",
		(zmq.POLLIN | zmq.POLLOUT).String():               "POLLIN|POLLOUT",
		zmq.CURVE.String():                                "CURVE",
		zmq.Mechanism(9).String():                         "<INVALID>",
	} {
		if got != want {
			t.Errorf("%q, want %q", got, want)
		}
	}
	// libzmq's numbers.
	if zmq.REQ != 3 || zmq.STREAM != 11 || zmq.EVENT_ALL != 0xFFFF || zmq.EVENT_CLOSED != 0x80 || zmq.ETERM != 156384765 {
		t.Error("a constant is not libzmq's")
	}
}

func TestErrnoMatchesSentinels(t *testing.T) {
	for _, c := range []struct {
		errno zmq.Errno
		err   error
	}{
		{zmq.EAGAIN, zring.ErrAgain},
		{zmq.ETERM, zring.ErrTerminated},
		{zmq.EFSM, zring.ErrState},
		{zmq.ENOTSUP, zring.ErrNotSupported},
		{zmq.ENOTSUP, errors.ErrUnsupported},
		{zmq.EINVAL, zring.ErrInvalid},
		{zmq.EADDRINUSE, zring.ErrAddrInUse},
		{zmq.EHOSTUNREACH, zring.ErrHostUnreachable},
		{zmq.EHOSTUNREACH, syscall.EHOSTUNREACH},
	} {
		if !errors.Is(c.errno, c.err) {
			t.Errorf("%v does not match %v", c.errno, c.err)
		}
	}
	if errors.Is(zmq.EAGAIN, zring.ErrTerminated) {
		t.Error("EAGAIN matches ErrTerminated")
	}
}

func TestZ85AndKeys(t *testing.T) {
	// RFC 32's test vector.
	raw := "\x86\x4F\xD2\x6F\xB5\x59\xF7\x5B"
	if got := zmq.Z85encode(raw); got != "HelloWorld" {
		t.Fatalf("Z85encode: %q", got)
	}
	if got := zmq.Z85decode("HelloWorld"); got != raw {
		t.Fatalf("Z85decode: %q", got)
	}
	if got := zmq.Z85decode("Hello\"orld"); got != "" {
		t.Fatalf("Z85decode of text that is not Z85: %q, want \"\"", got)
	}
	if got := zmq.Z85encode("abc"); got != "" {
		t.Errorf("Z85encode of 3 bytes: %q, want \"\" (no panic)", got)
	}
	if got := zmq.Z85decode("abcd"); got != "" {
		t.Errorf("Z85decode of 4 characters: %q, want \"\" (no panic)", got)
	}
	pub, sec, err := zmq.NewCurveKeypair()
	if err != nil || len(pub) != 40 || len(sec) != 40 {
		t.Fatalf("NewCurveKeypair: %q %q %v", pub, sec, err)
	}
	if derived, err := zmq.AuthCurvePublic(sec); derived != pub || err != nil {
		t.Fatalf("AuthCurvePublic: %q %v, want %q", derived, err, pub)
	}
	if _, err := zmq.AuthCurvePublic("blabla"); err != zmq.EINVAL {
		t.Fatalf("AuthCurvePublic of a bad key: %v", err)
	}
	if major, minor, _ := zmq.Version(); major != 4 || minor < 3 {
		t.Fatalf("Version %d.%d", major, minor)
	}
}
