//go:build !linux

package zmq4_test

import (
	"errors"
	"testing"

	zmq "github.com/zring/zring/compat/pebbe"
)

// Off Linux the package builds, and making a context or a socket says
// that the platform is unsupported.
func TestNoContextOffLinux(t *testing.T) {
	if _, err := zmq.NewContext(); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("NewContext: %v, want errors.ErrUnsupported", err)
	}
	if _, err := zmq.NewSocket(zmq.REQ); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("NewSocket: %v, want errors.ErrUnsupported", err)
	}
}
