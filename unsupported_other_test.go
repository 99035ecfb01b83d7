//go:build !linux

package zring_test

import (
	"errors"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zring/zring"
)

// Off Linux the package compiles, and NewContext says at once that the
// platform is unsupported, before starting a thread or touching
// GOMAXPROCS, even when asked to raise it.
func TestNewContextUnsupported(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	c, err := zring.NewContext(zring.WithIOThreads(2), zring.WithRaiseGOMAXPROCS(true))
	assert.Nil(t, c)
	assert.ErrorIs(t, err, errors.ErrUnsupported)
	assert.Equal(t, before, runtime.GOMAXPROCS(0))
}

// What needs no I/O thread works everywhere: CURVE keys and frames.
func TestPurePartsWorkOffLinux(t *testing.T) {
	pub, sec, err := zring.NewCurveKeypair()
	require.NoError(t, err)
	assert.Equal(t, pub, zring.CurvePublicKey(sec))
	parsed, err := zring.ParseCurveKey(pub.Z85())
	require.NoError(t, err)
	assert.Equal(t, pub, parsed)

	f := zring.NewFrame(5)
	copy(f.Bytes(), "hello")
	assert.Equal(t, "hello", string(f.Bytes()))
	f.Release()
}
